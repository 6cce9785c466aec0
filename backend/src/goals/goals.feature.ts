import type { AlertFiguresRepository } from '../alerts/alert-figures.repository.js';
import type { AirFeature } from '../air/air.feature.js';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';
import { GoalsController } from './goals.controller.js';
import { GoalsService } from './goals.service.js';

/** The district's goals board. */
export function goalsFeature(catalogue: SiteCatalogue, air: AirFeature, alertFigures: AlertFiguresRepository, config: Config): Feature {
  const goals = new GoalsService(catalogue.rollups, alertFigures, catalogue.events, catalogue.registry, air.aqi, air.dailyMeans, config.TZ_DISTRICT);
  return { name: 'goals', controllers: [GoalsController], providers: [{ provide: GoalsService, useValue: goals }] };
}
