import type { IndicatorService } from '../air/indicators.js';
import type { Feature } from '../common/feature.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';
import { LiveGateway } from './live.gateway.js';
import { LiveState } from './live-state.js';

export interface LiveFeature extends Feature {
  readonly state: LiveState;
}

/** What the map shows, kept in memory from committed batches, and the socket.io gateway that pushes it. */
export function liveFeature(catalogue: SiteCatalogue, indicators: IndicatorService, alertLevels: { openSeverity(siteKey: number): string | null }): LiveFeature {
  const state = new LiveState(catalogue.registry, (site, latest) => indicators.indicatorFor(site, latest), alertLevels);
  return {
    name: 'live',
    state,
    providers: [{ provide: LiveState, useValue: state }, LiveGateway],
    start: () => state.load(catalogue.sites),
  };
}
