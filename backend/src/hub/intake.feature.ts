import { EmbeddedBroker } from '../broker/embedded-broker.js';
import { MqttSubscriber } from '../broker/mqtt-subscriber.js';
import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import type { DatabasePool } from '../database/pool.js';
import { BROKER_STATUS } from '../health/broker-status.js';
import { Hj212Gateway } from '../hj212/hj212-gateway.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import type { HubMetrics } from '../metrics/metrics.service.js';
import type { SiteCatalogue } from '../sites/sites.feature.js';

export interface IntakeFeature extends Feature {
  /** Starts taking device messages (once the hub serves HTTP and socket.io). */
  open(): Promise<void>;
  /** The URL devices (and the in-process simulators) publish to. */
  readonly deviceBrokerUrl: string;
  /**
   * Passwords for the in-process simulators: with the embedded broker each simulated site
   * gets a random one, kept in memory; an external broker has its own password file.
   */
  simulatorPasswords(siteIds: readonly string[]): Record<string, string> | undefined;
}

/** Where device messages come in: MQTT (an external broker, or the embedded one) and HJ 212 over TCP. */
export function intakeFeature(pool: DatabasePool, catalogue: SiteCatalogue, ingest: IngestService, metrics: HubMetrics, config: Config, log: Logger): IntakeFeature {
  const subscriber = config.MQTT_URL ? new MqttSubscriber({ ...config, MQTT_URL: config.MQTT_URL }, ingest, log) : null;
  const broker = subscriber ? null : new EmbeddedBroker(config, ingest, catalogue.credentials, log);
  const hj212 = new Hj212Gateway(config, catalogue.registry, ingest, metrics, log);
  return {
    name: 'intake',
    providers: [{ provide: BROKER_STATUS, useValue: () => subscriber?.connected ?? broker?.running ?? false }],
    async open() {
      await subscriber?.start();
      await broker?.start();
      await hj212.start();
    },
    get deviceBrokerUrl() {
      return config.MQTT_URL ?? `mqtt://127.0.0.1:${broker!.port}`;
    },
    simulatorPasswords: (siteIds) => (broker ? catalogue.credentials.issueSimulated(siteIds) : undefined),
    // What is in flight when intake stops is committed (or redelivered later).
    async stop() {
      await subscriber?.stop().catch(() => undefined);
      await broker?.stop().catch(() => undefined);
      await hj212.stop().catch(() => undefined);
    },
  };
}
