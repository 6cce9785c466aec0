import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import { Periodic } from '../common/periodic.js';
import type { DatabasePool } from '../database/pool.js';
import type { Logger } from '../logging/logger.js';
import { CompletenessService } from './completeness.service.js';
import { DeviceCredentials } from './device-credentials.js';
import { DeviceCredentialsRepository } from './device-credentials.repository.js';
import { EventsRepository } from './events.repository.js';
import { RollupsRepository } from './rollups.repository.js';
import { SeriesRepository } from './series.repository.js';
import { SiteRegistry } from './site-registry.js';
import { SiteAdminController } from './site-admin.controller.js';
import { SitesController } from './sites.controller.js';
import { SitesRepository } from './sites.repository.js';
import { SitesService, type OpenAlerts, type SiteIndicators } from './sites.service.js';

const SITE_RELOAD_MS = 30_000;

/** The registry of active sites and the stores of what they sent, which most features read. */
export interface SiteCatalogue {
  readonly registry: SiteRegistry;
  readonly sites: SitesRepository;
  readonly rollups: RollupsRepository;
  readonly events: EventsRepository;
  readonly credentials: DeviceCredentials;
  readonly completeness: CompletenessService;
}

export async function openSiteCatalogue(pool: DatabasePool, tz: string): Promise<SiteCatalogue> {
  const sites = new SitesRepository(pool);
  const registry = new SiteRegistry();
  await registry.load(sites);
  const rollups = new RollupsRepository(pool);
  return {
    registry,
    sites,
    rollups,
    completeness: new CompletenessService(rollups, registry, tz),
    events: new EventsRepository(pool),
    credentials: new DeviceCredentials(new DeviceCredentialsRepository(pool)),
  };
}

/** The sites API and administration; the registry is re-read every 30 s so that several hubs converge. */
export function sitesFeature(
  pool: DatabasePool,
  catalogue: SiteCatalogue,
  ports: { indicators: SiteIndicators; openAlerts: OpenAlerts },
  config: Config,
  log: Logger,
): Feature {
  const series = new SeriesRepository(pool, config.TZ_DISTRICT);
  const service = new SitesService(catalogue.sites, series, catalogue.registry, catalogue.credentials, ports.indicators, ports.openAlerts);
  const periodic = new Periodic(log);
  return {
    name: 'sites',
    controllers: [SitesController, SiteAdminController],
    providers: [
      { provide: SiteRegistry, useValue: catalogue.registry },
      { provide: SitesService, useValue: service },
      { provide: CompletenessService, useValue: catalogue.completeness },
    ],
    async start() {
      periodic.every(SITE_RELOAD_MS, 'site reload', () => service.reload());
    },
    async stop() {
      periodic.stop();
    },
  };
}
