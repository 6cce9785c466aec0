import net from 'node:net';
import { metricFor, siteTopic, type RejectReason } from '@tidewatch/contracts';
import type pg from 'pg';
import { tzOffsetMs } from '../common/district-time.js';
import { describeListenError } from '../common/net.js';
import type { Config } from '../config/config.js';
import type { IngestService } from '../ingest/ingest.service.js';
import type { Logger } from '../logging/logger.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import { accessRefusal } from './access.js';
import { ackFrame, MAX_DATA_BYTES, parsePacket, takeFrame, type Packet } from './frame.js';
import { convertPacket } from './mapping.js';
import { isSplit, PART_WAIT_MS, SplitPackets } from './split-packets.js';

/** Unparsed bytes a connection may hold before it is dropped (a few frames' worth). */
const MAX_BUFFER = 8 * (MAX_DATA_BYTES + 12);
/** Frames a connection may send per second; past that it is dropped. */
const MAX_FRAMES_PER_S = 50;
const MAX_CONNECTIONS = 200;
const IDLE_MS = 10 * 60_000;

/**
 * The HJ 212-2017 TCP listener for wastewater online monitors: frames are checked (length,
 * CRC), the monitor is found by its MN (site parameter `hj212_mn`) and must send that plant's
 * access password as PW (site parameter `hj212_pw`), values flagged N go through
 * the ordinary ingest path as the site's telemetry, other flags are kept apart, and a packet
 * that asks for it (Flag bit 0) gets its CN=9014 acknowledgement only after its data committed.
 */
export class Hj212Gateway {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly config: Config,
    private readonly pool: pg.Pool,
    private readonly registry: SiteRegistry,
    private readonly ingest: IngestService,
    private readonly log: Logger,
  ) {}

  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : this.config.HJ212_PORT;
  }

  async start(): Promise<void> {
    if (this.config.HJ212_PORT === 0) return;
    const server = net.createServer((socket) => this.serve(socket));
    server.maxConnections = MAX_CONNECTIONS;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err) => reject(describeListenError(err, 'HJ 212 listener', this.config.HJ212_PORT, 'HJ212_PORT')));
      server.listen(this.config.HJ212_PORT, this.config.HOST, () => resolve());
    });
    this.log.info({ port: this.port }, 'HJ 212 listener running');
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private serve(socket: net.Socket): void {
    const peer = `hj212/${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    let buf = Buffer.alloc(0);
    let windowStart = Date.now();
    let framesInWindow = 0;
    const splits = new SplitPackets();
    const expireSplits = (): void => {
      for (const e of splits.expire(Date.now())) {
        const raw = Buffer.from(e.parts.map((p) => `PNO=${p.pno}`).join(';'));
        this.fileReject(peer, raw, `split message QN ${e.qn}: ${e.received} of ${e.pnum} parts within ${PART_WAIT_MS / 1000} s`);
      }
    };
    const splitTimer = setInterval(expireSplits, PART_WAIT_MS / 4);
    this.sockets.add(socket);
    socket.on('close', () => {
      clearInterval(splitTimer);
      this.sockets.delete(socket);
    });
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length > MAX_BUFFER) {
        this.fileReject(peer, buf.subarray(0, 4096), `more than ${MAX_BUFFER} bytes without a complete frame; connection closed`);
        socket.destroy();
        return;
      }
      for (;;) {
        const r = takeFrame(buf);
        if (r.ok === null) break;
        const raw = buf.subarray(0, r.consumed);
        buf = buf.subarray(r.consumed);
        if (Date.now() - windowStart > 1000) {
          windowStart = Date.now();
          framesInWindow = 0;
        }
        if (++framesInWindow > MAX_FRAMES_PER_S) {
          this.fileReject(peer, raw, `more than ${MAX_FRAMES_PER_S} frames a second; connection closed`);
          socket.destroy();
          return;
        }
        if (!r.ok) {
          this.fileReject(peer, raw, r.reason);
          continue;
        }
        const packet = parsePacket(r.data);
        if (typeof packet === 'string') {
          this.fileReject(peer, raw, packet);
          continue;
        }
        if (packet.cn === '9014' || packet.cn === '9011' || packet.cn === '9012') continue; // answers, not data
        const site = this.authorize(peer, raw, packet);
        if (!site) continue;
        this.handle(socket, peer, raw, packet, site, splits).catch((err: unknown) => {
          // Nothing a monitor sends may stop the hub: log it, and it is not acknowledged.
          this.log.error({ err: String(err), peer }, 'HJ 212 frame could not be handled');
        });
      }
    });
  }

  /** Files a dead letter in the background; a failure to file it is logged, never thrown. */
  private fileReject(peer: string, raw: Buffer, detail: string, reason: RejectReason = 'bad_frame'): void {
    this.ingest.reject(peer, raw, reason, detail).catch((err: unknown) => this.log.error({ err: String(err), peer }, 'HJ 212 dead letter not stored'));
  }

  /** The plant a packet's MN names, when its PW opens it; otherwise the packet is filed as a dead letter. */
  private authorize(peer: string, raw: Buffer, packet: Packet): SiteMeta | null {
    const site = this.registry.all().find((s) => s.kind === 'wwtp' && s.params.hj212_mn === packet.mn);
    if (!site) {
      this.fileReject(peer, raw, `no plant with MN ${packet.mn ?? '(none)'}`, 'unknown_site');
      return null;
    }
    const refusal = accessRefusal(site.id, site.params, packet.pw);
    if (refusal) {
      this.fileReject(peer, raw, refusal, 'not_authorized');
      return null;
    }
    return site;
  }

  private async handle(socket: net.Socket, peer: string, raw: Buffer, packet: Packet, site: SiteMeta, splits: SplitPackets): Promise<void> {
    if (!isSplit(packet)) return this.store(socket, peer, raw, site, packet, [packet]);
    const joined = splits.add(packet, Date.now());
    if (joined.state === 'refused') return this.fileReject(peer, raw, joined.reason);
    if (joined.state === 'complete') return this.store(socket, peer, raw, site, joined.packet, joined.parts);
  }

  /** Stores one whole message; then acknowledges each of its packets that asked for it. */
  private async store(socket: net.Socket, peer: string, raw: Buffer, site: SiteMeta, packet: Packet, packets: Packet[]): Promise<void> {
    const converted = convertPacket(packet, tzOffsetMs(Date.now(), this.config.TZ_DISTRICT) / 60_000);
    if (typeof converted === 'string') return this.fileReject(peer, raw, converted);
    try {
      if (converted.flagged.length > 0) await this.storeFlagged(site.key, converted.ts, converted.flagged);
      if (Object.keys(converted.values).length > 0) {
        // The ordinary ingest path: validation, batching, dead letters, rollups, alerts.
        await this.ingest.submit(siteTopic(site.id, 'telemetry'), Buffer.from(JSON.stringify({ ts: converted.ts, values: converted.values })));
      }
      for (const p of packets) if ((p.flag & 1) !== 0 && !socket.destroyed) socket.write(ackFrame(p));
    } catch (err) {
      // Not stored: no acknowledgement, so the monitor sends the packet again.
      this.log.warn({ err: String(err), mn: packet.mn }, 'HJ 212 packet not stored');
    }
  }

  private async storeFlagged(siteKey: number, ts: number, flagged: { metric: string; value: number; flag: string }[]): Promise<void> {
    const rows = flagged.flatMap((f) => {
      const def = metricFor('wwtp', f.metric);
      return def && /^[A-Za-z]$/.test(f.flag) ? [{ id: def.id, value: f.value, flag: f.flag }] : [];
    });
    if (rows.length === 0) return;
    await this.pool.query(
      `INSERT INTO reading_flagged (site_key, metric_id, time, value, flag)
       SELECT $1, metric_id, $2, value, flag FROM unnest($3::smallint[], $4::float8[], $5::text[]) AS t(metric_id, value, flag)
       ON CONFLICT DO NOTHING`,
      [siteKey, new Date(ts), rows.map((r) => r.id), rows.map((r) => r.value), rows.map((r) => r.flag)],
    );
  }
}
