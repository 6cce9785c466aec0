import { allSitesFilter } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import type { Config } from '../config/config.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import { DeferredPuback } from './deferred-puback.js';

/** How long the hub waits for an external broker at start before giving up. */
const FIRST_CONNECT_TIMEOUT_MS = 15_000;

/**
 * Subscribes to an external broker (MQTT_URL) with QoS 1 and a persistent session, so the
 * broker keeps what arrives while the hub is down. Each PUBACK leaves only after its
 * message committed; the in-flight window bounds what is received and not yet stored.
 */
export class MqttSubscriber {
  private client: MqttClient | null = null;
  private acks: DeferredPuback | null = null;

  constructor(
    private readonly config: Config & { MQTT_URL: string },
    private readonly ingest: IngestService,
    private readonly log: Logger,
  ) {}

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  async start(): Promise<void> {
    const window = this.config.INGEST_INFLIGHT_MAX;
    const client = mqtt.connect(this.config.MQTT_URL, {
      clientId: this.config.MQTT_CLIENT_ID,
      clean: false,
      protocolVersion: 5,
      properties: {
        sessionExpiryInterval: 7 * 24 * 3600,
        // The broker sends at most this many unacknowledged messages: our in-flight window.
        receiveMaximum: window,
      },
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    client.handleMessage = (packet, done) => {
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        const stored = this.ingest.submit(packet.topic, payload);
        if (packet.qos > 0 && packet.messageId !== undefined) {
          const release = this.acks!.hold(packet.messageId);
          stored.then(release, (err: unknown) =>
            this.log.warn({ err: String(err), topic: packet.topic }, 'message not stored; left unacknowledged for redelivery'),
          );
        } else {
          stored.catch((err: unknown) => this.log.warn({ err: String(err) }, 'QoS 0 message not stored'));
        }
        // Read the next packet now, unless the window is full: then stop reading until it drains.
        if (this.ingest.inflightCount < window) done();
        else void this.ingest.whenInflightBelow(window).then(() => done());
    };
    this.client = client;
    this.acks = new DeferredPuback(client);
    const filter = allSitesFilter(this.config.MQTT_SHARE_GROUP);
    client.on('connect', (connack) => {
      this.log.info({ url: redact(this.config.MQTT_URL), sessionPresent: connack.sessionPresent }, 'connected to MQTT broker');
      client.subscribe(filter, { qos: 1 }, (err) => {
        if (err) this.log.error({ err: String(err) }, 'subscribe failed');
      });
    });
    client.on('error', (err) => this.log.warn({ err: err.message }, 'MQTT client error'));
    client.on('offline', () => this.log.warn('MQTT broker unreachable; reconnecting'));

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.end(true);
        reject(new Error(`cannot reach the MQTT broker at ${redact(this.config.MQTT_URL)}; check MQTT_URL (or unset it to run the embedded broker)`));
      }, FIRST_CONNECT_TIMEOUT_MS);
      client.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    // Not a clean session end: the broker keeps the session and queues for our return.
    await this.client?.endAsync(true);
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):([^@/]+)@/, '//$1:***@');
}
