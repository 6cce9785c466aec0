import net from 'node:net';
import { siteTopic, type RejectReason } from '@tidewatch/contracts';
import { tzOffsetMs } from '../common/district-time.js';
import { describeListenError } from '../common/net.js';
import type { Config } from '../config/config.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import type { Hj212DropReason, HubMetrics } from '../metrics/metrics.service.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import { accessRefusal } from './access.js';
import { FlowControl } from './flow-control.js';
import { ackFrame, MAX_DATA_BYTES, parsePacket, takeFrame, type Packet } from './frame.js';
import { convertPacket } from './mapping.js';
import { ConnectionCounts, RejectWindows, summaryDetail, type RejectSummary } from './peer-limits.js';
import { isSplit, PART_WAIT_MS, SplitPackets } from './split-packets.js';

/** Unparsed bytes a connection may hold before it is dropped (a few frames' worth). */
const MAX_BUFFER = 8 * (MAX_DATA_BYTES + 12);
/** Frames a connection may send per second; past that it is dropped. */
const MAX_FRAMES_PER_S = 50;
const MAX_CONNECTIONS = 200;
/** Frames of one connection handled and not yet stored; past this the hub stops reading from it. */
export const MAX_FRAMES_IN_FLIGHT = 8;
const IDLE_MS = 10 * 60_000;
const TICK_MS = 1000;
/** Dropped connections are logged as one line at most this often. */
const DROP_LOG_MS = 60_000;
const EMPTY = Buffer.alloc(0);

interface Connection {
  socket: net.Socket;
  address: string;
  /** `hj212/<address>:<port>`, the topic of its dead letters. */
  label: string;
  buf: Buffer;
  windowStart: number;
  framesInWindow: number;
  splits: SplitPackets;
  /** Whether it has sent a packet that opened its plant. */
  authorized: boolean;
}

/**
 * The HJ 212-2017 TCP listener for wastewater online monitors: frames are checked (length,
 * CRC), the monitor is found by its MN (site parameter `hj212_mn`) and must send that plant's
 * access password as PW (site parameter `hj212_pw`), its values go through the ordinary
 * ingest path as the site's telemetry, each with its data flag (`flags`: values flagged other
 * than N are stored apart and never counted), and a packet
 * that asks for it (Flag bit 0) gets its CN=9014 acknowledgement only after its data committed.
 * A stranger gets little: a few connections per address, closed unless a packet opens a plant
 * soon, and one dead letter per address per window however much it sends.
 */
export class Hj212Gateway {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  private readonly counts = new ConnectionCounts();
  private readonly rejects: RejectWindows<Buffer>;
  private readonly dropped = new Map<Hj212DropReason, number>();
  private lastDropLog = 0;
  private ticker: NodeJS.Timeout | null = null;
  private readonly flow: FlowControl;

  constructor(
    private readonly config: Config,
    private readonly registry: SiteRegistry,
    private readonly ingest: IngestService,
    private readonly metrics: HubMetrics,
    private readonly log: Logger,
  ) {
    this.rejects = new RejectWindows(config.HJ212_REJECT_WINDOW_MS);
    this.flow = new FlowControl(ingest, MAX_FRAMES_IN_FLIGHT, config.INGEST_INFLIGHT_MAX);
  }

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : this.config.HJ212_PORT;
  }

  async start(): Promise<void> {
    if (this.config.HJ212_PORT === 0) return;
    const server = net.createServer((socket) => this.admit(socket));
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(describeListenError(err, 'HJ 212 listener', this.config.HJ212_PORT, 'HJ212_PORT')));
      server.listen(this.config.HJ212_PORT, this.config.HOST, () => resolve());
    });
    this.ticker = setInterval(() => this.tick(Date.now()), TICK_MS);
    this.log.info({ port: this.port }, 'HJ 212 listener running');
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    if (this.ticker) clearInterval(this.ticker);
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
    for (const summary of this.rejects.flush()) this.fileSummary(summary);
    this.logDrops(Infinity);
  }

  private tick(nowMs: number): void {
    for (const summary of this.rejects.due(nowMs)) this.fileSummary(summary);
    this.logDrops(nowMs);
  }

  /** Counts a connection the hub refused or closed; logged in one line now and then, never per connection. */
  private drop(socket: net.Socket, why: Hj212DropReason): void {
    socket.destroy();
    this.metrics.hj212Dropped.inc({ why });
    this.dropped.set(why, (this.dropped.get(why) ?? 0) + 1);
  }

  private logDrops(nowMs: number): void {
    if (this.dropped.size === 0 || nowMs - this.lastDropLog < DROP_LOG_MS) return;
    this.lastDropLog = nowMs;
    this.log.warn({ dropped: Object.fromEntries(this.dropped) }, 'HJ 212 connections refused or closed');
    this.dropped.clear();
  }

  private admit(socket: net.Socket): void {
    socket.on('error', () => socket.destroy());
    const address = socket.remoteAddress ?? '?';
    if (!this.counts.admit(address)) return this.drop(socket, 'address_limit');
    const conn: Connection = {
      socket,
      address,
      label: `hj212/${address}:${socket.remotePort ?? 0}`,
      buf: Buffer.alloc(0),
      windowStart: Date.now(),
      framesInWindow: 0,
      splits: new SplitPackets(),
      authorized: false,
    };
    // An absolute deadline: trickling bytes does not keep a stranger's connection open.
    const handshake = setTimeout(() => {
      if (!conn.authorized) this.drop(socket, 'no_valid_frame');
    }, this.config.HJ212_HANDSHAKE_MS);
    const splitTimer = setInterval(() => this.expireSplits(conn), PART_WAIT_MS / 4);
    this.sockets.add(socket);
    this.flow.add(socket, () => this.receive(conn, EMPTY));
    socket.on('close', () => {
      this.flow.release(socket);
      clearTimeout(handshake);
      clearInterval(splitTimer);
      this.sockets.delete(socket);
      this.counts.release(address);
    });
    socket.setTimeout(IDLE_MS, () => this.drop(socket, 'idle'));
    socket.on('data', (chunk: Buffer) => this.receive(conn, chunk));
  }

  private expireSplits(conn: Connection): void {
    for (const e of conn.splits.expire(Date.now())) {
      const raw = Buffer.from(e.parts.map((p) => `PNO=${p.pno}`).join(';'));
      this.fileReject(conn, raw, `split message QN ${e.qn}: ${e.received} of ${e.pnum} parts within ${PART_WAIT_MS / 1000} s`);
    }
  }

  private receive(conn: Connection, chunk: Buffer): void {
    if (chunk.length > 0) conn.buf = Buffer.concat([conn.buf, chunk]);
    if (conn.buf.length > MAX_BUFFER) {
      this.fileReject(conn, conn.buf.subarray(0, 4096), `more than ${MAX_BUFFER} bytes without a complete frame; connection closed`);
      return this.drop(conn.socket, 'buffer_overflow');
    }
    for (;;) {
      // Too much in flight: the rest waits here (the socket is paused) until frames are stored.
      if (conn.socket.destroyed || this.flow.holds(conn.socket)) return;
      const r = takeFrame(conn.buf);
      if (r.ok === null) break;
      const raw = conn.buf.subarray(0, r.consumed);
      conn.buf = conn.buf.subarray(r.consumed);
      if (Date.now() - conn.windowStart > 1000) {
        conn.windowStart = Date.now();
        conn.framesInWindow = 0;
      }
      if (++conn.framesInWindow > MAX_FRAMES_PER_S) {
        this.fileReject(conn, raw, `more than ${MAX_FRAMES_PER_S} frames a second; connection closed`);
        return this.drop(conn.socket, 'too_many_frames');
      }
      if (!r.ok) this.fileReject(conn, raw, r.reason);
      else this.receiveFrame(conn, raw, r.data);
    }
  }

  private receiveFrame(conn: Connection, raw: Buffer, data: string): void {
    const packet = parsePacket(data);
    if (typeof packet === 'string') return this.fileReject(conn, raw, packet);
    if (packet.cn === '9014' || packet.cn === '9011' || packet.cn === '9012') return; // answers, not data
    const site = this.authorize(conn, raw, packet);
    if (!site) return;
    conn.authorized = true;
    this.flow.track(conn.socket, () => this.handle(conn, raw, packet, site)).catch((err: unknown) => {
      // Nothing a monitor sends may stop the hub: log it, and it is not acknowledged.
      this.log.error({ err: String(err), peer: conn.label }, 'HJ 212 frame could not be handled');
    });
  }

  /** Files a dead letter unless its address already had one this window (then it is counted into the window's summary). */
  private fileReject(conn: Connection, raw: Buffer, detail: string, reason: RejectReason = 'bad_frame'): void {
    if (this.rejects.offer(conn.address, Date.now(), { reason, detail, item: Buffer.from(raw.subarray(0, 4096)) })) this.fileNow(conn.label, raw, reason, detail);
  }

  /** One dead letter for what a window counted, under its most frequent reason; the metric counts every rejection. */
  private fileSummary(s: RejectSummary<Buffer>): void {
    const [reason] = [...s.byReason].reduce((a, b) => (b[1] > a[1] ? b : a));
    for (const [r, n] of s.byReason) this.metrics.rejected.inc({ reason: r }, r === reason ? n - 1 : n);
    this.fileNow(`hj212/${s.key}`, s.last.item, reason as RejectReason, summaryDetail(s, this.rejects.windowMs));
  }

  /** Files a dead letter in the background; a failure to file it is logged, never thrown. */
  private fileNow(topic: string, raw: Buffer, reason: RejectReason, detail: string): void {
    this.ingest.reject(topic, raw, reason, detail).catch((err: unknown) => this.log.error({ err: String(err), topic }, 'HJ 212 dead letter not stored'));
  }

  /** The plant a packet's MN names, when its PW opens it; otherwise the packet is filed as a dead letter. */
  private authorize(conn: Connection, raw: Buffer, packet: Packet): SiteMeta | null {
    const site = this.registry.all().find((s) => s.kind === 'wwtp' && s.params.hj212_mn === packet.mn);
    if (!site) {
      this.fileReject(conn, raw, `no plant with MN ${packet.mn ?? '(none)'}`, 'unknown_site');
      return null;
    }
    const refusal = accessRefusal(site.id, site.params, packet.pw);
    if (refusal) {
      this.fileReject(conn, raw, refusal, 'not_authorized');
      return null;
    }
    return site;
  }

  private async handle(conn: Connection, raw: Buffer, packet: Packet, site: SiteMeta): Promise<void> {
    if (!isSplit(packet)) return this.store(conn, raw, site, packet, [packet]);
    const joined = conn.splits.add(packet, Date.now());
    if (joined.state === 'refused') return this.fileReject(conn, raw, joined.reason);
    if (joined.state === 'complete') return this.store(conn, raw, site, joined.packet, joined.parts);
  }

  /** Stores one whole message; then acknowledges each of its packets that asked for it. */
  private async store(conn: Connection, raw: Buffer, site: SiteMeta, packet: Packet, packets: Packet[]): Promise<void> {
    const converted = convertPacket(packet, tzOffsetMs(Date.now(), this.config.TZ_DISTRICT) / 60_000);
    if (typeof converted === 'string') return this.fileReject(conn, raw, converted);
    try {
      if (Object.keys(converted.values).length > 0) {
        // The ordinary ingest path: validation, flags, batching, dead letters, rollups, alerts.
        const flags = Object.keys(converted.flags).length > 0 ? { flags: converted.flags } : {};
        await this.ingest.submit(siteTopic(site.id, 'telemetry'), Buffer.from(JSON.stringify({ ts: converted.ts, values: converted.values, ...flags, ...(converted.periodS ? { period_s: converted.periodS } : {}) })));
      }
      for (const p of packets) if ((p.flag & 1) !== 0 && !conn.socket.destroyed) conn.socket.write(ackFrame(p));
    } catch (err) {
      // Not stored: no acknowledgement, so the monitor sends the packet again.
      this.log.warn({ err: String(err), mn: packet.mn }, 'HJ 212 packet not stored');
    }
  }
}
