import { randomBytes } from 'node:crypto';
import type { Provider } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AqiService } from './air/aqi.service.js';
import { AlertActions } from './alerts/alert-actions.js';
import { AlertEngine } from './alerts/alert-engine.js';
import { RulesService } from './alerts/rules.service.js';
import { SiteAlertLevels } from './alerts/site-alert-levels.js';
import { GoalsService } from './goals/goals.service.js';
import { Hj212Gateway } from './hj212/hj212-gateway.js';
import { AlertFiguresRepository } from './alerts/alert-figures.repository.js';
import { AlertStore } from './alerts/alerts.repository.js';
import { WebhookNotifier } from './alerts/notifier.js';
import { RulesRepository } from './alerts/rules.repository.js';
import { IndicatorService } from './air/indicators.js';
import { AuthService } from './auth/auth.service.js';
import { SessionsRepository } from './auth/sessions.repository.js';
import { TokenService, resolveJwtSecret } from './auth/token.service.js';
import { AuditLog } from './audit/audit-log.js';
import { AuditRepository } from './audit/audit.repository.js';
import { UsersRepository } from './auth/users.repository.js';
import { EmbeddedBroker } from './broker/embedded-broker.js';
import { MqttSubscriber } from './broker/mqtt-subscriber.js';
import { CONFIG, type Config } from './config/config.js';
import { DatabaseProbe } from './database/database-probe.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './database/embedded-postgres.js';
import { migrate, seedSites, syncMetricCatalogue } from './database/migrate.js';
import { createPool, type DatabasePool } from './database/pool.js';
import { RetentionRepository } from './database/retention.repository.js';
import { BROKER_STATUS } from './health/health.controller.js';
import { writeBatch } from './ingest/batch-writer.js';
import { DeadLettersRepository } from './ingest/dead-letters.repository.js';
import { IngestEvents } from './ingest/ingest-events.js';
import { IngestService } from './ingest/ingest.service.js';
import { LiveState } from './live/live-state.js';
import { LOGGER, type Logger } from './logging/logger.js';
import { HubMetrics } from './metrics/metrics.service.js';
import { DeviceCredentials } from './sites/device-credentials.js';
import { DeviceCredentialsRepository } from './sites/device-credentials.repository.js';
import { EventsRepository } from './sites/events.repository.js';
import { RollupsRepository } from './sites/rollups.repository.js';
import { DailyMeans } from './sites/daily-means.js';
import { reportFontProblem, resolveReportFont } from './reports/render-pdf.js';
import { ReportSources } from './reports/report-sources.js';
import { defaultReportWorkers, workerRenderer } from './reports/report-renderer.js';
import { ReportService } from './reports/report.service.js';
import { ReportsRepository } from './reports/reports.repository.js';
import { FlaggedReadingsRepository } from './hj212/flagged-readings.repository.js';
import { SeriesRepository } from './sites/series.repository.js';
import { SiteRegistry } from './sites/site-registry.js';
import { SitesRepository } from './sites/sites.repository.js';
import { SitesService } from './sites/sites.service.js';
import { ReviewsRepository } from './review/reviews.repository.js';
import { ReviewsService } from './review/reviews.service.js';

const SITE_RELOAD_MS = 30_000;
const RETENTION_SWEEP_MS = 3_600_000;
const REPORT_ARCHIVE_CHECK_MS = 3_600_000;

/** The hub's long-lived parts, built once; Nest serves them over HTTP and socket.io. */
export class Runtime {
  private embeddedDb: EmbeddedDatabase | null = null;
  private timers: NodeJS.Timeout[] = [];
  pool!: DatabasePool;
  registry!: SiteRegistry;
  ingest!: IngestService;
  subscriber: MqttSubscriber | null = null;
  indicators: IndicatorService | null = null;
  alerts: AlertEngine | null = null;
  hj212: Hj212Gateway | null = null;
  private webhooks: WebhookNotifier | null = null;
  broker: EmbeddedBroker | null = null;
  private reports: ReportService | null = null;
  credentials!: DeviceCredentials;
  /** Set when this start created the first admin. */
  generatedAdminPassword: string | null = null;
  providers: Provider[] = [];

  constructor(readonly config: Config, readonly log: Logger) {}

  private reportService(aqi: AqiService, dailyMeans: DailyMeans, alertFigures: AlertFiguresRepository, events: EventsRepository, reviews: ReviewsRepository): ReportService {
    const { config, log } = this;
    const found = resolveReportFont(config.REPORT_FONT);
    const problem = found ? reportFontProblem(found) : 'no font with Chinese glyphs found';
    const font = problem ? null : found;
    if (problem) log.warn({ REPORT_FONT: config.REPORT_FONT ?? null, problem }, 'PDF reports are unavailable: install fonts-noto-cjk or set REPORT_FONT to a font with Chinese glyphs');
    const sources = new ReportSources(alertFigures, events, this.registry, aqi, dailyMeans, config.TZ_DISTRICT, reviews);
    const renderer = workerRenderer(config.REPORT_WORKERS ?? defaultReportWorkers(), log);
    return new ReportService(new ReportsRepository(this.pool), sources, config.TZ_DISTRICT, { zh: config.DISTRICT_NAME_ZH, en: config.DISTRICT_NAME_EN }, font, log, renderer);
  }

  async startStorage(): Promise<void> {
    const { config, log } = this;
    if (!config.DATABASE_URL) this.embeddedDb = await startEmbeddedPostgres(config.DATA_DIR, log);
    const url = config.DATABASE_URL ?? this.embeddedDb!.url;
    try {
      await migrate(url, config.RETENTION_DAYS, log);
    } catch (err) {
      const e = err as { code?: string; message?: string };
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '28P01' || e.code === '3D000' || e.code === '28000') {
        throw new Error(`cannot reach PostgreSQL (${e.code}: ${e.message}); check DATABASE_URL, or unset it to run the embedded database`, { cause: err });
      }
      throw err;
    }
    this.pool = createPool(url, config.DB_STATEMENT_TIMEOUT_MS, log);
    await syncMetricCatalogue(this.pool);
    await seedSites(this.pool, log);
  }

  async build(): Promise<void> {
    const { config, log, pool } = this;
    const metrics = new HubMetrics();
    const events = new IngestEvents();
    const sites = new SitesRepository(pool);
    const rollups = new RollupsRepository(pool);
    const alertFigures = new AlertFiguresRepository(pool);
    const eventsRepo = new EventsRepository(pool);
    this.registry = new SiteRegistry();
    await this.registry.load(sites);
    const aqi = new AqiService(rollups, this.registry, config.TZ_DISTRICT);
    const dailyMeans = new DailyMeans(rollups, this.registry, config.TZ_DISTRICT);
    const indicators = new IndicatorService(rollups, this.registry, aqi, log);
    this.indicators = indicators;
    await indicators.start();
    events.onCommitted((result) => indicators.nudge(result.latest.map((l) => l.siteKey)));
    const alertLevels = new SiteAlertLevels(this.registry);
    const liveState = new LiveState(this.registry, (site, latest) => indicators.indicatorFor(site, latest), alertLevels);
    await liveState.load(sites);
    this.ingest = new IngestService((rows) => writeBatch(pool, rows), this.registry, metrics, events, config, log);
    const credentials = new DeviceCredentials(new DeviceCredentialsRepository(pool));
    this.credentials = credentials;
    const users = new UsersRepository(pool);
    const jwtSecret = await resolveJwtSecret(config.JWT_SECRET, config.DATA_DIR);
    const tokens = new TokenService(jwtSecret, config.JWT_TTL_S);
    const auth = new AuthService(users, new SessionsRepository(pool), tokens, config.SESSION_TTL_S);
    const auditRepo = new AuditRepository(pool);
    const audit = new AuditLog(auditRepo, log);
    const alertStore = new AlertStore(pool);
    const rules = new RulesRepository(pool);
    const alerts = new AlertEngine(
      alertStore,
      rules,
      this.registry,
      events,
      metrics,
      {
        reannounceMin: config.ALERT_REANNOUNCE_MIN,
        escalateMin: config.ALERT_ESCALATE_MIN,
        derived: (site) => indicators.derivedFor(site, liveState.latestOf(site)),
        lastSeenMs: (key) => liveState.lastSeenMs(key),
      },
      log,
      alertLevels,
    );
    this.alerts = alerts;
    const webhookSecret = config.WEBHOOK_SECRET ?? createHash('sha256').update(`tidewatch-webhook:${jwtSecret}`).digest('hex');
    const urls = (config.WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
    this.webhooks = new WebhookNotifier(urls, webhookSecret, log);
    alerts.onAlert((event, alert) => this.webhooks?.notify(event, alert));
    await alerts.start();
    await this.ensureAdmin(users);

    this.hj212 = new Hj212Gateway(config, new FlaggedReadingsRepository(pool), this.registry, this.ingest, metrics, log);
    if (config.MQTT_URL) this.subscriber = new MqttSubscriber({ ...config, MQTT_URL: config.MQTT_URL }, this.ingest, log);
    else this.broker = new EmbeddedBroker(config, this.ingest, credentials, log);

    const sitesService = new SitesService(sites, new SeriesRepository(pool, config.TZ_DISTRICT), this.registry, credentials, indicators, alertStore);
    const reviews = new ReviewsRepository(pool);
    const reports = this.reportService(aqi, dailyMeans, alertFigures, eventsRepo, reviews);
    this.reports = reports;
    this.providers = [
      { provide: CONFIG, useValue: config },
      { provide: LOGGER, useValue: log },
      { provide: DatabaseProbe, useValue: new DatabaseProbe(pool) },
      { provide: DeadLettersRepository, useValue: new DeadLettersRepository(pool) },
      { provide: HubMetrics, useValue: metrics },
      { provide: IngestEvents, useValue: events },
      { provide: SiteRegistry, useValue: this.registry },
      { provide: LiveState, useValue: liveState },
      { provide: IngestService, useValue: this.ingest },
      { provide: DeviceCredentials, useValue: credentials },
      { provide: UsersRepository, useValue: users },
      { provide: TokenService, useValue: tokens },
      { provide: AuthService, useValue: auth },
      { provide: AuditRepository, useValue: auditRepo },
      { provide: AuditLog, useValue: audit },
      { provide: AqiService, useValue: aqi },
      { provide: IndicatorService, useValue: indicators },
      { provide: AlertStore, useValue: alertStore },
      { provide: RulesRepository, useValue: rules },
      { provide: AlertEngine, useValue: alerts },
      { provide: AlertActions, useValue: new AlertActions(alertStore, alerts) },
      { provide: RulesService, useValue: new RulesService(rules, alerts, this.registry) },
      { provide: GoalsService, useValue: new GoalsService(rollups, alertFigures, eventsRepo, this.registry, aqi, dailyMeans, config.TZ_DISTRICT) },
      { provide: SitesRepository, useValue: sites },
      { provide: ReportService, useValue: reports },
      { provide: SitesService, useValue: sitesService },
      { provide: ReviewsService, useValue: new ReviewsService(reviews, this.registry) },
      { provide: BROKER_STATUS, useValue: () => this.subscriber?.connected ?? this.broker?.running ?? false },
    ];

    this.every(SITE_RELOAD_MS, () => sitesService.reload());
    const retention = new RetentionRepository(pool);
    this.every(RETENTION_SWEEP_MS, () => this.sweepRetention(retention));
    const archiveReport = async (): Promise<void> => {
      await reports.archiveDue();
    };
    this.every(REPORT_ARCHIVE_CHECK_MS, archiveReport);
    archiveReport().catch((err: unknown) => log.warn({ err: String(err) }, 'archiving last month’s report failed'));
  }

  /** Starts taking device messages. */
  async startIntake(): Promise<void> {
    if (this.subscriber) await this.subscriber.start();
    if (this.broker) await this.broker.start();
    await this.hj212?.start();
  }

  /**
   * Passwords for the in-process simulators: with the embedded broker each simulated site
   * gets a random one, kept in memory; an external broker has its own password file.
   */
  simulatorPasswords(siteIds: readonly string[]): Record<string, string> | undefined {
    return this.broker ? this.credentials.issueSimulated(siteIds) : undefined;
  }

  /** The URL devices (and the in-process simulators) publish to. */
  get deviceBrokerUrl(): string {
    return this.config.MQTT_URL ?? `mqtt://127.0.0.1:${this.broker!.port}`;
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.indicators?.stop();
    // Stop intake first; what is in flight is committed (or redelivered later).
    await this.subscriber?.stop().catch(() => undefined);
    await this.broker?.stop().catch(() => undefined);
    await this.hj212?.stop().catch(() => undefined);
    await this.ingest?.close();
    await this.alerts?.stop();
    this.webhooks?.stop();
    await this.reports?.close().catch(() => undefined);
    await this.pool?.end().catch(() => undefined);
    await this.embeddedDb?.stop().catch(() => undefined);
  }

  private async ensureAdmin(users: UsersRepository): Promise<void> {
    if ((await users.count()) > 0) return;
    const password = this.config.ADMIN_PASSWORD ?? randomBytes(12).toString('base64url');
    // A generated password was printed to a terminal or log: it must be replaced at first sign-in.
    await users.create('admin', password, 'admin', !this.config.ADMIN_PASSWORD);
    if (!this.config.ADMIN_PASSWORD) this.generatedAdminPassword = password;
  }

  /** Raw readings older than RETENTION_DAYS go (on TimescaleDB its policy drops whole chunks first). */
  private async sweepRetention(retention: RetentionRepository): Promise<void> {
    const deleted = await retention.sweep(this.config.RETENTION_DAYS);
    if (deleted) this.log.info({ deleted }, 'retention sweep');
  }

  private every(ms: number, fn: () => Promise<void>): void {
    const t = setInterval(() => {
      fn().catch((err: unknown) => this.log.warn({ err: String(err) }, 'periodic task failed'));
    }, ms);
    t.unref();
    this.timers.push(t);
  }
}
