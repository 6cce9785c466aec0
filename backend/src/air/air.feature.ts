import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { HubBus } from '../cluster/hub-bus.js';
import type { Logger } from '../logging/logger.js';
import { DailyMeans } from '../sites/daily-means.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';
import { AqiController } from './aqi.controller.js';
import { AqiService } from './aqi.service.js';
import { IndicatorService } from './indicators.js';

export interface AirFeature extends Feature {
  readonly aqi: AqiService;
  readonly dailyMeans: DailyMeans;
  readonly indicators: IndicatorService;
}

/** AQI from the hourly rollup, and the per-site indicators, refreshed when their sites send data. */
export function airFeature(catalogue: SiteCatalogue, bus: HubBus, config: Config, log: Logger): AirFeature {
  const aqi = new AqiService(catalogue.rollups, catalogue.registry, config.TZ_DISTRICT);
  const dailyMeans = new DailyMeans(catalogue.rollups, catalogue.registry, config.TZ_DISTRICT);
  const indicators = new IndicatorService(catalogue.rollups, catalogue.registry, aqi, log);
  return {
    name: 'air',
    aqi,
    dailyMeans,
    indicators,
    controllers: [AqiController],
    providers: [
      { provide: AqiService, useValue: aqi },
      { provide: IndicatorService, useValue: indicators },
    ],
    async start() {
      await indicators.start();
      bus.onCommitted((result) => indicators.nudge(result.latest.map((l) => l.siteKey)));
    },
    async stop() {
      indicators.stop();
    },
  };
}
