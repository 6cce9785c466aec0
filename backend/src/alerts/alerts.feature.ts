import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import type { ClusterFeature } from '../cluster/cluster.feature.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import { notifyChannels } from '../notify/notify-channels.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { AlertActions } from './alert-actions.js';
import { AlertEngine, type AlertEngineOptions } from './alert-engine.js';
import { AlertFiguresRepository } from './alert-figures.repository.js';
import { AlertLogRepository } from './alert-log.repository.js';
import { AlertsController } from './alerts.controller.js';
import { AlertStore } from './alerts.repository.js';
import { WebhookNotifier } from './notifier.js';
import { RulesController } from './rules.controller.js';
import { RulesRepository } from './rules.repository.js';
import { RulesService } from './rules.service.js';
import type { SiteAlertLevels } from './site-alert-levels.js';
import { DutyRoster } from '../roster/duty-roster.js';
import { RosterController } from '../roster/roster.controller.js';
import { RosterRepository } from '../roster/roster.repository.js';

export interface AlertsFeature extends Feature {
  readonly store: AlertStore;
  readonly figures: AlertFiguresRepository;
}

export interface AlertInputs {
  registry: SiteRegistry;
  /** Committed batches and alert changes of the whole cluster; which sites this hub judges. */
  cluster: Pick<ClusterFeature, 'bus' | 'ownership' | 'replay'>;
  metrics: HubMetrics;
  /** Figures derived from a site's newest values (AQI, levels), and when it last sent: the live state's. */
  derived: AlertEngineOptions['derived'];
  lastSeenMs: AlertEngineOptions['lastSeenMs'];
  levels: SiteAlertLevels;
  /** Signs webhooks when WEBHOOK_SECRET is unset. */
  jwtSecret: string;
}

/** Rules judged on committed batches, alerts stored and announced (socket.io, signed webhooks, duty-room channels). */
export function alertsFeature(pool: DatabasePool, inputs: AlertInputs, config: Config, log: Logger): AlertsFeature {
  const { registry, cluster, metrics, levels } = inputs;
  const store = new AlertStore(pool);
  const rules = new RulesRepository(pool);
  // The duty roster assigns new and escalated alerts (where they are opened and escalated: once in a cluster).
  const roster = new DutyRoster(new RosterRepository(pool), log);
  const engine = new AlertEngine(
    store,
    rules,
    registry,
    cluster.bus,
    metrics,
    {
      reannounceMin: config.ALERT_REANNOUNCE_MIN,
      escalateMin: config.ALERT_ESCALATE_MIN,
      derived: inputs.derived,
      lastSeenMs: inputs.lastSeenMs,
      onDuty: (site, level, atMs) => roster.pick(site.kind, level, atMs),
    },
    log,
    levels,
    { ownership: cluster.ownership, replay: cluster.replay },
  );
  const secret = config.WEBHOOK_SECRET ?? createHash('sha256').update(`tidewatch-webhook:${inputs.jwtSecret}`).digest('hex');
  const urls = (config.WEBHOOK_URLS ?? '').split(',').map((u) => u.trim()).filter(Boolean);
  const webhooks = new WebhookNotifier(urls, secret, log);
  // Webhooks go from the hub that made the change (once); the bus tells every hub's browsers.
  engine.onAlert((event, alert) => webhooks.notify(event, alert));
  // WeCom and DingTalk robots, an SMS gateway: from the same hub, recorded (notify/).
  const channels = notifyChannels(pool, config, metrics, log);
  engine.onAlert((event, alert) => channels.notifier.notify(event, alert));
  engine.onAlert((event, alert) => cluster.bus.publishAlert(event, alert));
  return {
    name: 'alerts',
    store,
    figures: new AlertFiguresRepository(pool),
    controllers: [AlertsController, RulesController, RosterController, ...channels.controllers],
    providers: [
      ...channels.providers,
      { provide: AlertStore, useValue: store },
      { provide: AlertEngine, useValue: engine },
      { provide: AlertActions, useValue: new AlertActions(store, engine, new AlertLogRepository(pool)) },
      { provide: RulesService, useValue: new RulesService(rules, engine, registry) },
      { provide: DutyRoster, useValue: roster },
    ],
    async start() {
      await roster.start();
      await engine.start();
    },
    async stop() {
      // Saves the rules' running state (durations, counts) for the next start.
      await engine.stop();
      roster.stop();
      webhooks.stop();
      await channels.stop();
    },
  };
}
