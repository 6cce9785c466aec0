import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, subscribeSchema, type ClientToServerEvents, type ServerToClientEvents } from '@tidewatch/contracts';
import type { Namespace, Socket } from 'socket.io';
import { IndicatorService } from '../air/indicators.js';
import { AlertStore } from '../alerts/alerts.repository.js';
import { AuthService } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/roles.js';
import { CONFIG, type Config } from '../config/config.js';
import { HubBus } from '../cluster/hub-bus.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { LiveState } from './live-state.js';
import { narrowSnapshot, WATCH_ALL, type Watch } from './live-snapshot.js';
import { Coalescer } from './site-coalescer.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const ALL = 'all';
const kindRoom = (kind: string): string => `kind:${kind}`;
const siteRoom = (id: string): string => `site:${id}`;
const userRoom = (id: number): string => `user:${id}`;
const sessionRoom = (id: number): string => `session:${id}`;
const SUBSCRIBES_PER_WINDOW = 5;
const SLOW_CHECK_MS = 1000;
/** How long a live client's backlog may stay over the limit before it is dropped. */
const SLOW_GRACE_MS = 5000;
const SUBSCRIBE_WINDOW_MS = 10_000;

/**
 * socket.io namespace /live: JWT in `auth.token`; a client gets one `snapshot` (sites, open
 * alerts, AQI) on connect and after each `subscribe`, then deltas: `site` updates (at most one
 * per site per interval) from committed batches only, `alert` and `aqi`, filtered by what it
 * subscribed to. The socket joins its rooms before the snapshot is taken, so no delta falls
 * between the two; deltas that overtake it are ordered by the page (site and alert times).
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE, maxHttpBufferSize: 64 * 1024, cors: { origin: false } })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  @WebSocketServer() private server!: Namespace<ClientToServerEvents, ServerToClientEvents>;
  private readonly coalescer: Coalescer<number>;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeAqi: (() => void) | null = null;
  private unsubscribeAlerts: (() => void) | null = null;
  private unsubscribeRevoked: (() => void) | null = null;
  private slowCheck: NodeJS.Timeout | null = null;
  /** Packets queued for one client that does not read; past this it is dropped (it reconnects and gets a fresh snapshot). */
  private readonly maxQueued: number;

  constructor(
    @Inject(AuthService) private readonly auth: AuthService,
    @Inject(LiveState) private readonly state: LiveState,
    @Inject(SiteRegistry) private readonly registry: SiteRegistry,
    @Inject(HubBus) private readonly bus: HubBus,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(CONFIG) config: Config,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(IndicatorService) private readonly indicators: IndicatorService,
    @Inject(AlertStore) private readonly alertStore: AlertStore,
  ) {
    this.coalescer = new Coalescer(config.LIVE_SITE_INTERVAL_MS, (key) => this.pushSite(key));
    this.maxQueued = config.LIVE_MAX_QUEUED;
  }

  afterInit(ns: Namespace): void {
    ns.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      this.auth.authenticate(typeof token === 'string' ? token : undefined).then(
        (user) => {
          if (!user) return next(new Error('unauthorized: a valid token of a live session is required in auth.token'));
          if (user.mustChangePassword) return next(new Error('unauthorized: password change required'));
          socket.data.user = user;
          next();
        },
        (err: unknown) => {
          this.log.warn({ err: String(err) }, 'live socket not authenticated (database unavailable?)');
          next(new Error('unavailable: try again shortly'));
        },
      );
    });
    // A session that ends (logout, new password, new role, removed user) loses its sockets at once.
    this.unsubscribeRevoked = this.auth.onRevoked((r) => {
      if (r.only !== undefined) this.server.in(sessionRoom(r.only)).disconnectSockets(true);
      else if (r.except !== undefined) this.server.in(userRoom(r.userId)).except(sessionRoom(r.except)).disconnectSockets(true);
      else this.server.in(userRoom(r.userId)).disconnectSockets(true);
    });
    this.slowCheck = setInterval(() => this.dropSlowConsumers(), SLOW_CHECK_MS);
    this.slowCheck.unref();
    // Every hub of a cluster hears every committed batch and alert change on the bus, so each
    // pushes to its own sockets only (`local`): through the Redis adapter, each would reach all.
    this.unsubscribe = this.bus.onCommitted((result) => {
      for (const key of this.state.apply(result)) this.coalescer.changed(key);
    });
    // The hourly AQI goes to everyone watching air quality (or everything).
    this.unsubscribeAqi = this.indicators.onAqiChange((aqi) => this.server.local.to([ALL, kindRoom('air')]).emit('aqi', aqi));
    // Alerts go out at once (never coalesced), to whoever watches the site; its map status follows.
    this.unsubscribeAlerts = this.bus.onAlert((event, alert) => {
      this.server.local.to([ALL, kindRoom(alert.kind), siteRoom(alert.site)]).emit('alert', { event, ...alert });
      const site = this.registry.lookup(alert.site);
      if (site) this.coalescer.changed(site.key);
    });
  }

  handleConnection(socket: LiveSocket): void {
    this.metrics.liveClients.inc();
    const user = socket.data.user as AuthUser;
    void socket.join([ALL, userRoom(user.id), sessionRoom(user.sessionId)]);
    // The socket lives as long as its access token; the dashboard reconnects with a renewed one.
    const expiresIn = user.tokenExp * 1000 - Date.now();
    const expiry = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(expiresIn, 2 ** 31 - 1)));
    socket.on('disconnect', () => clearTimeout(expiry));
    socket.on('subscribe', (req, ack) => this.subscribe(socket, req, ack));
    void this.sendSnapshot(socket, WATCH_ALL);
  }

  /** One snapshot of what the socket watches; resolves false when it could not be sent. */
  private async sendSnapshot(socket: LiveSocket, watch: Watch): Promise<boolean> {
    // A later subscription supersedes a snapshot still being taken: only the newest goes out.
    const data = socket.data as { snapshotSeq?: number };
    const seq = (data.snapshotSeq = (data.snapshotSeq ?? 0) + 1);
    try {
      const at = new Date(); // before the query: an alert changed while it runs counts as newer
      const alerts = await this.alertStore.open();
      if (data.snapshotSeq !== seq) return true;
      socket.emit('snapshot', narrowSnapshot(watch, at, this.state.snapshotAll(Date.now()), alerts, this.indicators.currentAqi));
      return true;
    } catch (err) {
      // Without its snapshot the page would show stale state: it connects again (and is refused while the database is away).
      this.log.warn({ err: String(err) }, 'live snapshot failed: socket closed');
      socket.disconnect(true);
      return false;
    }
  }

  handleDisconnect(): void {
    this.metrics.liveClients.dec();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.unsubscribeAqi?.();
    this.unsubscribeAlerts?.();
    this.unsubscribeRevoked?.();
    if (this.slowCheck) clearInterval(this.slowCheck);
    this.coalescer.stop();
  }

  private subscribe(socket: LiveSocket, req: unknown, ack?: unknown): void {
    const reply = typeof ack === 'function' ? (ack as (r: { ok: boolean; error?: string }) => void) : () => undefined;
    // Each subscription answers with a snapshot of what it wants: bounded, so a client cannot make the hub flood itself.
    const now = Date.now();
    const recent = ((socket.data as { subscribes?: number[] }).subscribes ?? []).filter((t) => now - t < SUBSCRIBE_WINDOW_MS);
    if (recent.length >= SUBSCRIBES_PER_WINDOW) {
      reply({ ok: false, error: `too many subscriptions: at most ${SUBSCRIBES_PER_WINDOW} per ${SUBSCRIBE_WINDOW_MS / 1000} s` });
      return;
    }
    (socket.data as { subscribes?: number[] }).subscribes = [...recent, now];
    const parsed = subscribeSchema.safeParse(req);
    if (!parsed.success) {
      reply({ ok: false, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
      return;
    }
    const { kinds = [], sites = [] } = parsed.data;
    for (const room of socket.rooms) if (room !== socket.id && !room.startsWith('user:') && !room.startsWith('session:')) void socket.leave(room);
    const rooms = kinds.length === 0 && sites.length === 0 ? [ALL] : [...kinds.map(kindRoom), ...sites.map(siteRoom)];
    void socket.join(rooms);
    void this.sendSnapshot(socket, { all: rooms.includes(ALL), kinds, sites }).then((sent) => sent && reply({ ok: true }));
  }

  /**
   * Clients that do not read are dropped before they cost the hub its memory. A backlog over
   * LIVE_MAX_QUEUED must last SLOW_GRACE_MS: a dashboard busy for a moment under a full
   * district's updates catches up and is kept; one that stopped reading is not. Past ten times
   * the limit it goes at once.
   */
  private dropSlowConsumers(): void {
    const now = Date.now();
    for (const socket of this.server.sockets.values()) {
      const queued = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      const data = socket.data as { backlogSince?: number };
      if (queued <= this.maxQueued) {
        data.backlogSince = undefined;
        continue;
      }
      data.backlogSince ??= now;
      if (now - data.backlogSince < SLOW_GRACE_MS && queued <= this.maxQueued * 10) continue;
      this.log.warn({ queued, user: (socket.data.user as AuthUser | undefined)?.username }, 'live client not reading: disconnected');
      this.metrics.liveSlowDropped.inc();
      socket.disconnect(true);
    }
  }

  private pushSite(key: number): void {
    const site = this.registry.byKey(key);
    if (!site) return;
    try {
      this.server.local.to([ALL, kindRoom(site.kind), siteRoom(site.id)]).emit('site', this.state.snapshot(site, Date.now()));
    } catch (err) {
      this.log.error({ err: String(err) }, 'live push failed');
    }
  }
}
