import net from 'node:net';
import { isTidewatchTopic, parseTopic } from '@tidewatch/contracts';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { Config } from '../config/config.js';
import { describeListenError } from '../common/net.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import type { DeviceCredentials } from '../sites/device-credentials.js';

/** Aedes has no typed slot for our data; the authenticated site id is kept here. */
const SITE_OF_CLIENT = new WeakMap<Client, string>();

function authError(message: string): AuthenticateError {
  return Object.assign(new Error(message), { returnCode: 4 }) as AuthenticateError;
}

/**
 * The in-process MQTT broker of the embedded default. Device messages are stored straight
 * from the broker's publish hook, which waits for the commit: a device's PUBACK (sent by
 * aedes after the hook) leaves only once its readings are stored.
 */
export class EmbeddedBroker {
  private broker: Aedes | null = null;
  private server: net.Server | null = null;

  constructor(
    private readonly config: Config,
    private readonly ingest: IngestService,
    private readonly credentials: DeviceCredentials,
    private readonly log: Logger,
  ) {}

  get running(): boolean {
    return this.server?.listening ?? false;
  }

  get port(): number {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.MQTT_PORT;
  }

  async start(): Promise<void> {
    const broker = await Aedes.createBroker({
      id: 'tidewatch-embedded',
      // Wills and retained status messages live in memory: devices re-announce on reconnect.
      authenticate: (client, username, password, done) => {
        if (!username) {
          if (this.config.MQTT_ALLOW_ANONYMOUS) return done(null, true);
          return done(authError('credentials required'), false);
        }
        this.credentials.verify(username, password?.toString('utf8') ?? '').then(
          (ok) => {
            if (!ok) return done(authError('bad username or password'), false);
            SITE_OF_CLIENT.set(client, username);
            done(null, true);
          },
          (err: unknown) => {
            this.log.error({ err: String(err) }, 'device credential check failed');
            done(Object.assign(new Error('server unavailable'), { returnCode: 3 }) as AuthenticateError, false);
          },
        );
      },
      authorizePublish: (client, packet, done) => {
        if (!isTidewatchTopic(packet.topic)) return done(null);
        const site = client ? SITE_OF_CLIENT.get(client) : undefined;
        if (site !== undefined && parseTopic(packet.topic)?.siteId !== site) {
          this.log.warn({ site, topic: packet.topic }, 'device published outside its own topics');
          return done(new Error('not authorized'));
        }
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        this.ingest.submit(packet.topic, payload).then(
          () => done(null),
          (err: unknown) => {
            // Not stored (shutting down): refuse, so the device keeps and resends it.
            this.log.warn({ err: String(err) }, 'message not stored');
            done(err as Error);
          },
        );
      },
    });
    this.broker = broker;
    const server = net.createServer(broker.handle);
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(describeListenError(err, 'embedded MQTT broker', this.config.MQTT_PORT, 'MQTT_PORT')));
      server.listen(this.config.MQTT_PORT, this.config.MQTT_HOST, () => resolve());
    });
    this.log.info({ port: this.port }, 'embedded MQTT broker listening');
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.broker ? this.broker.close(() => resolve()) : resolve()));
  }
}
