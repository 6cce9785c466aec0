import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, WebSocketServer, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import { LIVE_NAMESPACE, subscribeSchema, type ClientToServerEvents, type ServerToClientEvents, type SiteSnapshot } from '@tidewatch/contracts';
import type { Namespace, Socket } from 'socket.io';
import { IndicatorService } from '../air/indicators.js';
import { AlertEngine } from '../alerts/alert-engine.js';
import { AuthService } from '../auth/auth.service.js';
import type { AuthUser } from '../auth/roles.js';
import { CONFIG, type Config } from '../config/config.js';
import { IngestEvents } from '../ingest/ingest-events.js';
import { LOGGER, type Logger } from '../logging/logger.js';
import { HubMetrics } from '../metrics/metrics.service.js';
import { SiteRegistry } from '../sites/site-registry.js';
import { LiveState } from './live-state.js';
import { Coalescer } from './site-coalescer.js';

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

const ALL = 'all';
const kindRoom = (kind: string): string => `kind:${kind}`;
const siteRoom = (id: string): string => `site:${id}`;
const userRoom = (id: number): string => `user:${id}`;
const sessionRoom = (id: number): string => `session:${id}`;
const SUBSCRIBES_PER_WINDOW = 5;
const SLOW_CHECK_MS = 1000;
const SUBSCRIBE_WINDOW_MS = 10_000;

/**
 * socket.io namespace /live: JWT in `auth.token`; a client gets every site's snapshot on
 * connect, then `site` updates (at most one per site per interval) from committed batches
 * only, filtered by what it subscribed to.
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
    @Inject(IngestEvents) private readonly events: IngestEvents,
    @Inject(HubMetrics) private readonly metrics: HubMetrics,
    @Inject(CONFIG) config: Config,
    @Inject(LOGGER) private readonly log: Logger,
    @Inject(IndicatorService) private readonly indicators: IndicatorService,
    @Inject(AlertEngine) private readonly alerts: AlertEngine,
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
    this.unsubscribe = this.events.onCommitted((result) => {
      for (const key of this.state.apply(result)) this.coalescer.changed(key);
    });
    // The hourly AQI goes to everyone watching air quality (or everything).
    this.unsubscribeAqi = this.indicators.onAqiChange((aqi) => this.server.to([ALL, kindRoom('air')]).emit('aqi', aqi));
    // Alerts go out at once (never coalesced), to whoever watches the site; its map status follows.
    this.unsubscribeAlerts = this.alerts.onAlert((event, alert) => {
      this.server.to([ALL, kindRoom(alert.kind), siteRoom(alert.site)]).emit('alert', { event, ...alert });
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
    const now = Date.now();
    for (const snap of this.state.snapshotAll(now)) socket.emit('site', snap);
    const aqi = this.indicators.currentAqi;
    if (aqi) socket.emit('aqi', aqi as unknown as Record<string, unknown>);
    socket.on('subscribe', (req, ack) => this.subscribe(socket, req, ack));
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
    // Each subscription answers with every wanted snapshot: bounded, so a client cannot make the hub flood itself.
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
    const wanted = (s: SiteSnapshot): boolean => rooms.includes(ALL) || kinds.includes(s.kind) || sites.includes(s.id);
    for (const snap of this.state.snapshotAll(now)) if (wanted(snap)) socket.emit('site', snap);
    reply({ ok: true });
  }

  /** Clients whose queue keeps growing (they do not read) are dropped before they cost the hub its memory. */
  private dropSlowConsumers(): void {
    for (const socket of this.server.sockets.values()) {
      const queued = (socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0;
      if (queued > this.maxQueued) {
        this.log.warn({ queued, user: (socket.data.user as AuthUser | undefined)?.username }, 'live client not reading: disconnected');
        this.metrics.liveSlowDropped.inc();
        socket.disconnect(true);
      }
    }
  }

  private pushSite(key: number): void {
    const site = this.registry.byKey(key);
    if (!site) return;
    try {
      this.server.to([ALL, kindRoom(site.kind), siteRoom(site.id)]).emit('site', this.state.snapshot(site, Date.now()));
    } catch (err) {
      this.log.error({ err: String(err) }, 'live push failed');
    }
  }
}
