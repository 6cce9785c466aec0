import { airFeature } from '../air/air.feature.js';
import { alertsFeature } from '../alerts/alerts.feature.js';
import { SiteAlertLevels } from '../alerts/site-alert-levels.js';
import { auditFeature } from '../audit/audit.feature.js';
import { clusterFeature, type ClusterFeature } from '../cluster/cluster.feature.js';
import type { SiteOwnership } from '../cluster/site-ownership.js';
import { authFeature, type AuthFeature } from '../auth/auth.feature.js';
import type { FirstAdmin } from '../auth/first-admin.js';
import { setDistrictZone } from '../common/district-zone.js';
import type { Feature } from '../common/feature.js';
import { CONFIG, type Config } from '../config/config.js';
import { openStorage } from '../database/storage.feature.js';
import { goalsFeature } from '../goals/goals.feature.js';
import { HealthController } from '../health/health.controller.js';
import { ingestFeature } from '../ingest/ingest.feature.js';
import { liveFeature } from '../live/live.feature.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import { reportsFeature } from '../reports/reports.feature.js';
import { reviewFeature } from '../review/review.feature.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { openSiteCatalogue, sitesFeature } from '../sites/sites.feature.js';
import { intakeFeature, type IntakeFeature } from './intake.feature.js';

/**
 * The hub: its features built in dependency order and started as they are built; stopped
 * in the order that loses nothing: intake first, then ingest drains, the alert engine
 * saves its rule state, and the database closes last.
 */
export class Hub {
  /** Every feature built so far, in build order; a failed start stops exactly these. */
  private readonly built: Feature[] = [];
  private intake: IntakeFeature | null = null;
  private auth: AuthFeature | null = null;
  registry: SiteRegistry | null = null;
  private ownership: SiteOwnership | null = null;
  private cluster: ClusterFeature | null = null;

  constructor(
    readonly config: Config,
    readonly log: Logger,
  ) {}

  /** Builds and starts every feature; the Nest application is then made from `features`. */
  async build(): Promise<void> {
    const { config, log } = this;
    setDistrictZone(config.TZ_DISTRICT); // query times without a zone are district times
    // Once-only tasks (retention, archiving, saving what was learned) run on one hub of a cluster.
    const onceOnly = (): boolean => this.ownership?.isLeader() ?? false;
    const storage = await this.add(openStorage(config, log, onceOnly));
    const { pool } = storage;
    const metrics = new HubMetrics();
    const catalogue = await openSiteCatalogue(pool, config.TZ_DISTRICT);
    this.registry = catalogue.registry;
    const ingest = await this.add(ingestFeature(pool, catalogue, metrics, config, log, onceOnly));
    const cluster = (this.cluster = await this.add(clusterFeature(pool, ingest.events, metrics, config, log)));
    this.ownership = cluster.ownership;
    // Each hub learns the sites' cadence from the readings every hub stores.
    cluster.bus.onCommitted((result, _position, local) => {
      if (!local) for (const r of result.stored) ingest.ingest.cadence.observe(r.siteKey, r.timeMs);
    });
    const air = await this.add(airFeature(catalogue, cluster.bus, config, log));
    const levels = new SiteAlertLevels(catalogue.registry);
    // The map colours sites by the open alerts of the whole cluster, whichever hub changed them.
    cluster.bus.onAlert((_event, alert) => levels.track(alert));
    const live = await this.add(liveFeature(catalogue, air.indicators, levels));
    this.auth = await this.add(authFeature(pool, config));
    await this.add(auditFeature(pool, log));
    const alerts = await this.add(
      alertsFeature(
        pool,
        {
          registry: catalogue.registry,
          cluster,
          metrics,
          levels,
          derived: (site) => air.indicators.derivedFor(site, live.state.countableOf(site)),
          lastSeenMs: (key) => live.state.lastSeenMs(key),
          jwtSecret: this.auth.jwtSecret,
        },
        config,
        log,
      ),
    );
    await this.add(sitesFeature(pool, catalogue, { indicators: air.indicators, openAlerts: alerts.store }, config, log));
    const review = await this.add(reviewFeature(pool, catalogue.registry));
    await this.add(goalsFeature(catalogue, air, alerts.figures, config));
    await this.add(reportsFeature(pool, { catalogue, aqi: air.aqi, dailyMeans: air.dailyMeans, alertFigures: alerts.figures, reviews: review.marks, committed: ingest.events }, config, log, onceOnly));
    this.intake = await this.add(intakeFeature(pool, catalogue, ingest.ingest, metrics, config, log));
    await this.add({
      name: 'health',
      controllers: [HealthController],
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LOGGER, useValue: log },
        { provide: HubMetrics, useValue: metrics },
      ],
    });
  }

  get features(): readonly Feature[] {
    return this.built;
  }

  /**
   * Starts taking device messages, and the cluster's committed batches from the other hubs;
   * call once the hub serves HTTP and socket.io (every listener is then in place).
   */
  startIntake(): Promise<void> {
    this.cluster!.bus.listen();
    return this.intake!.open();
  }

  get deviceBrokerUrl(): string {
    return this.intake!.deviceBrokerUrl;
  }

  simulatorPasswords(siteIds: readonly string[]): Record<string, string> | undefined {
    return this.intake!.simulatorPasswords(siteIds);
  }

  get firstAdmin(): FirstAdmin | null {
    return this.auth?.firstAdmin() ?? null;
  }

  async stop(): Promise<void> {
    const first = ['intake', 'ingest', 'alerts'];
    const last = ['storage'];
    const rank = (f: Feature): number => (first.includes(f.name) ? first.indexOf(f.name) - first.length : last.includes(f.name) ? 1 : 0);
    const order = [...this.built].sort((a, b) => rank(a) - rank(b));
    for (const feature of order) {
      try {
        await feature.stop?.();
      } catch (err) {
        this.log.warn({ feature: feature.name, err: String(err) }, 'stopping a feature failed');
      }
    }
    this.built.length = 0;
  }

  private async add<F extends Feature>(building: F | Promise<F>): Promise<F> {
    const feature = await building;
    this.built.push(feature);
    await feature.start?.();
    return feature;
  }
}
