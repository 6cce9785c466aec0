import net from 'node:net';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { Config } from '../config/config.js';
import { describeListenError } from '../common/net.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import type { DeviceCredentials } from '../sites/device-credentials.js';
import { clientIdProblem, judgePublish, MAX_CLIENT_ID_LENGTH, MAX_INFLIGHT_QOS2, MAX_PACKET_BYTES, QUEUE_LIMIT, type Publisher } from './broker-policy.js';
import { DeviceSessions } from './device-sessions.js';
import { GuardedConnection } from './packet-size-guard.js';

/** Aedes has no typed slot for our data; the authenticated site id is kept here. */
const SITE_OF_CLIENT = new WeakMap<Client, string>();
/** Password checks running at once; past this a CONNECT is answered "server unavailable". */
const MAX_PENDING_AUTH = 64;
const CONNECT_TIMEOUT_MS = 10_000;
/** Stopping waits this long for aedes to close its clients, then cuts every connection left. */
const CLOSE_CLIENTS_MS = 2000;

/** CONNACK return codes of MQTT 3.1.1. */
const ReturnCode = { IdentifierRejected: 2, ServerUnavailable: 3, BadUsernameOrPassword: 4, NotAuthorized: 5 } as const;

function authError(message: string, returnCode: (typeof ReturnCode)[keyof typeof ReturnCode]): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as unknown as AuthenticateError;
}

/**
 * The in-process MQTT broker of the embedded default. Device messages are stored straight
 * from the broker's publish hook, which waits for the commit: a device's PUBACK (sent by
 * aedes after the hook) leaves only once its readings are stored. Nobody subscribes to it:
 * devices only publish, and the hub reads in the hook.
 */
export class EmbeddedBroker {
  private broker: Aedes | null = null;
  private server: net.Server | null = null;
  private readonly sessions = new DeviceSessions<Client>();
  /** Every open device connection, authenticated or not: stopping must not wait for devices to leave. */
  private readonly sockets = new Set<net.Socket>();
  private pendingAuth = 0;

  constructor(
    private readonly config: Config,
    private readonly ingest: IngestService,
    private readonly credentials: DeviceCredentials,
    private readonly log: Logger,
  ) {
    credentials.onChange((site) => {
      const closed = this.sessions.disconnect(site);
      if (closed > 0) this.log.info({ site, closed }, 'device credential changed: connections closed');
    });
  }

  get running(): boolean {
    return this.server?.listening ?? false;
  }

  get port(): number {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? addr.port : this.config.MQTT_PORT;
  }

  async start(): Promise<void> {
    if (this.config.MQTT_ALLOW_ANONYMOUS) {
      this.log.warn('MQTT_ALLOW_ANONYMOUS=true: the embedded broker accepts devices without credentials; anyone who reaches its port can publish readings for any site');
    }
    const broker = await Aedes.createBroker({
      id: 'tidewatch-embedded',
      queueLimit: QUEUE_LIMIT,
      maxInflightInbound: MAX_INFLIGHT_QOS2,
      maxClientsIdLength: MAX_CLIENT_ID_LENGTH,
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Wills live in memory: devices re-announce on reconnect.
      authenticate: (client, username, password, done) => this.authenticate(client, username, password, done),
      authorizePublish: (client, packet, done) => this.authorizePublish(client, packet, done),
      // Nothing is served to subscribers: SUBACK says 0x80 (failure) for every filter.
      authorizeSubscribe: (_client, _sub, done) => done(null, null),
    });
    broker.on('clientError', (client, err) => this.log.debug({ client: client.id, err: err.message }, 'MQTT client error'));
    this.broker = broker;
    const server = net.createServer((socket) => this.accept(broker, socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(describeListenError(err, 'embedded MQTT broker', this.config.MQTT_PORT, 'MQTT_PORT')));
      server.listen(this.config.MQTT_PORT, this.config.MQTT_HOST, () => resolve());
    });
    this.log.info({ port: this.port }, 'embedded MQTT broker listening');
  }

  private accept(broker: Aedes, socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new GuardedConnection(socket, MAX_PACKET_BYTES);
    conn.on('error', (err) => this.log.debug({ err: err.message, remote: socket.remoteAddress }, 'MQTT connection closed'));
    broker.handle(conn);
  }

  private authenticate(
    client: Client,
    username: string | undefined,
    password: Buffer | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ): void {
    const idProblem = clientIdProblem(client.id);
    if (idProblem) return done(authError(idProblem, ReturnCode.IdentifierRejected), false);
    if (!username) {
      if (!this.config.MQTT_ALLOW_ANONYMOUS) return done(authError('credentials required', ReturnCode.NotAuthorized), false);
      return this.admit(client, null, done);
    }
    if (this.pendingAuth >= MAX_PENDING_AUTH) return done(authError('busy', ReturnCode.ServerUnavailable), false);
    this.pendingAuth++;
    const generation = this.credentials.generation(username);
    this.credentials
      .verify(username, password?.toString('utf8') ?? '')
      .then(
        (ok) => {
          if (!ok || this.credentials.generation(username) !== generation) {
            return done(authError('bad username or password', ReturnCode.BadUsernameOrPassword), false);
          }
          SITE_OF_CLIENT.set(client, username);
          this.admit(client, username, done);
        },
        (err: unknown) => {
          this.log.error({ err: String(err) }, 'device credential check failed');
          done(authError('server unavailable', ReturnCode.ServerUnavailable), false);
        },
      )
      .finally(() => this.pendingAuth--);
  }

  /** Registers an authenticated client, unless its client id is another site's connection. */
  private admit(client: Client, site: string | null, done: (error: AuthenticateError | null, success: boolean | null) => void): void {
    if (client.conn.destroyed) return done(authError('connection gone', ReturnCode.ServerUnavailable), false);
    if (this.sessions.heldByOther(client.id, site)) {
      this.log.warn({ client: client.id, site }, 'client id of another site’s connected device refused');
      return done(authError('client id in use', ReturnCode.IdentifierRejected), false);
    }
    this.sessions.add(client, site);
    client.conn.once('close', () => this.sessions.remove(client, site));
    done(null, true);
  }

  private authorizePublish(client: Client | null, packet: PublishPacket, done: (error?: Error | null) => void): void {
    const site = client ? SITE_OF_CLIENT.get(client) : undefined;
    const who: Publisher | null = site !== undefined ? { site } : client && this.config.MQTT_ALLOW_ANONYMOUS ? { anonymous: true } : null;
    const verdict = who ? judgePublish(who, packet.topic, packet.retain) : { ok: false as const, reason: 'not authenticated' };
    if (!verdict.ok) {
      this.log.warn({ site: site ?? null, client: client?.id ?? null, topic: packet.topic.slice(0, 200), reason: verdict.reason }, 'publish refused: connection closed');
      return done(new Error(`not authorized: ${verdict.reason}`));
    }
    if (verdict.stripRetain) packet.retain = false;
    const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
    this.ingest.submit(packet.topic, payload).then(
      () => done(null),
      (err: unknown) => {
        // Not stored (shutting down): refuse, so the device keeps and resends it.
        this.log.warn({ err: String(err) }, 'message not stored');
        done(err as Error);
      },
    );
  }

  /**
   * Stops listening and closes every device connection. The server's close callback waits for
   * all connections to end, which devices that stay connected never do by themselves: aedes
   * closes its clients, and what is still open after a short wait is cut.
   */
  async stop(): Promise<void> {
    const listening = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    const broker = this.broker;
    if (broker) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => broker.close(() => resolve())),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, CLOSE_CLIENTS_MS))),
      ]);
      clearTimeout(timer);
    }
    for (const socket of this.sockets) socket.destroy();
    await listening;
  }
}
