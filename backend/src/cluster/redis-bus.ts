import { randomBytes } from 'node:crypto';
import type { AlertRecord } from '@tidewatch/contracts';
import { createClient } from 'redis';
import type { BatchResult } from '../ingest/batch.repository.js';
import type { IngestEvents } from '../ingest/ingest-events.js';
import type { Logger } from '../logging/logger.js';
import { decodeCommitted, encodeCommitted } from './committed-codec.js';
import { HubBus, type AlertAnnouncementListener, type BusListener } from './hub-bus.js';

type RedisClient = ReturnType<typeof createClient>;
interface StreamEntry {
  id: string;
  message: Record<string, string>;
}

const READ_COUNT = 500;
const READ_BLOCK_MS = 1000;
/** A committed batch that cannot reach the stream this long is given up (logged): ingest must not stall on Redis for ever. */
const APPEND_GIVE_UP_MS = 15_000;

/**
 * The bus of a cluster: one Redis stream that every hub appends its committed batches and
 * alert changes to, and that every hub reads in full, in the stream's order. The stream
 * keeps CLUSTER_STREAM_KEEP_S of entries, so that a hub taking over sites can replay what
 * came after their last saved rule states (`range`).
 */
export class RedisBus extends HubBus {
  /** This hub's mark on its entries. */
  readonly origin = randomBytes(6).toString('hex');
  private writer: RedisClient | null = null;
  private reader: RedisClient | null = null;
  private committedListeners: BusListener[] = [];
  private alertListeners: AlertAnnouncementListener[] = [];
  private rulesListeners: (() => void)[] = [];
  private running = false;
  private loop: Promise<void> | null = null;
  private unsubscribe: (() => void) | null = null;
  /** The newest entry read (or, before any, the stream's end when this hub started). */
  private lastRead = '0-0';
  constructor(
    private readonly url: string,
    private readonly key: string,
    private readonly keepS: number,
    private readonly log: Logger,
    /** Called for each committed batch given up (a Redis outage longer than APPEND_GIVE_UP_MS). */
    private readonly onDropped: () => void,
  ) {
    super();
  }

  /** Where this hub's reading of the stream began: entries after it reach the listeners. */
  startPosition = '0-0';

  /** Both connections to Redis are up. */
  get connected(): boolean {
    return Boolean(this.writer?.isReady && this.reader?.isReady);
  }

  /** The position of the newest entry handed to the listeners. */
  get position(): string {
    return this.lastRead;
  }

  async start(events: IngestEvents): Promise<void> {
    const onError = (err: Error): void => this.log.warn({ err: err.message }, 'redis connection failed (cluster bus)');
    // Commands fail at once while Redis is away (not queued for ever): appends retry and give up in time, and stop never hangs.
    this.writer = createClient({ url: this.url, disableOfflineQueue: true }).on('error', onError);
    this.reader = this.writer.duplicate().on('error', onError);
    await Promise.all([this.writer.connect(), this.reader.connect()]);
    const newest = (await this.writer.xRevRange(this.key, '+', '-', { COUNT: 1 })) as StreamEntry[];
    this.startPosition = this.lastRead = newest[0]?.id ?? '0-0';
    this.unsubscribe = events.onCommitted((result) => this.append(result));
    this.running = true;
  }

  /** Starts reading the stream from where it stood at start: no entry is handed out before every listener is there. */
  override listen(): void {
    if (this.running && !this.loop) this.loop = this.readLoop();
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    this.running = false;
    // A blocked XREAD is cut rather than waited for.
    this.reader?.destroy();
    await this.loop;
    await this.writer?.close().catch(() => undefined);
  }

  onCommitted(listener: BusListener): () => void {
    this.committedListeners.push(listener);
    return () => {
      this.committedListeners = this.committedListeners.filter((l) => l !== listener);
    };
  }

  onAlert(listener: AlertAnnouncementListener): () => void {
    this.alertListeners.push(listener);
    return () => {
      this.alertListeners = this.alertListeners.filter((l) => l !== listener);
    };
  }

  publishAlert(event: string, alert: AlertRecord): void {
    this.add({ o: this.origin, a: JSON.stringify({ event, alert }) }).catch((err: unknown) =>
      this.log.error({ err: String(err), alert: alert.id, event }, 'alert change not announced to the cluster'),
    );
  }

  publishRulesChanged(): void {
    this.add({ o: this.origin, n: 'rules' }).catch((err: unknown) => this.log.error({ err: String(err) }, 'rule change not announced to the cluster'));
  }

  onRulesChanged(listener: () => void): () => void {
    this.rulesListeners.push(listener);
    return () => {
      this.rulesListeners = this.rulesListeners.filter((l) => l !== listener);
    };
  }

  /** Committed batches after `after` up to `upTo` (both positions), in order: for a hub taking over sites. */
  async range(after: string, upTo: string, each: (result: BatchResult, position: string) => Promise<void>): Promise<void> {
    let from = `(${after}`;
    for (;;) {
      const entries = (await this.writer!.xRange(this.key, from, upTo, { COUNT: READ_COUNT })) as StreamEntry[];
      for (const e of entries) {
        const result = this.decode(e);
        if (result) await each(result, e.id);
      }
      if (entries.length < READ_COUNT) return;
      from = `(${entries[entries.length - 1]!.id}`;
    }
  }

  /** The oldest position the stream still holds (null: empty): a saved position older than this lost entries. */
  async oldestPosition(): Promise<string | null> {
    const first = (await this.writer!.xRange(this.key, '-', '+', { COUNT: 1 })) as StreamEntry[];
    return first[0]?.id ?? null;
  }

  private add(fields: Record<string, string>): Promise<string> {
    const threshold = Math.max(0, Date.now() - this.keepS * 1000);
    return this.writer!.xAdd(this.key, '*', fields, { TRIM: { strategy: 'MINID', strategyModifier: '~', threshold } });
  }

  /** Appends a committed batch; retried while Redis is away, so that ingest slows rather than the cluster missing it. */
  private async append(result: BatchResult): Promise<void> {
    if (result.stored.length === 0 && result.events.length === 0 && result.sites.length === 0 && result.latest.length === 0 && result.flaggedLatest.length === 0) return;
    const payload = encodeCommitted(result);
    const started = Date.now();
    for (let delay = 100; ; delay = Math.min(delay * 2, 2000)) {
      try {
        await this.add({ o: this.origin, c: payload });
        return;
      } catch (err) {
        if (Date.now() - started > APPEND_GIVE_UP_MS || !this.running) {
          this.onDropped();
          this.log.error({ err: String(err), readings: result.stored.length }, 'committed batch not passed to the cluster (stored, but no other hub sees it)');
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private decode(e: StreamEntry): BatchResult | null {
    if (e.message.c === undefined) return null;
    try {
      return decodeCommitted(e.message.c);
    } catch (err) {
      this.log.error({ err: String(err), position: e.id }, 'unreadable entry in the cluster stream: skipped');
      return null;
    }
  }

  private async readLoop(): Promise<void> {
    while (this.running) {
      let streams: { messages: StreamEntry[] }[] | null;
      try {
        streams = (await this.reader!.xRead({ key: this.key, id: this.lastRead }, { COUNT: READ_COUNT, BLOCK: READ_BLOCK_MS })) as { messages: StreamEntry[] }[] | null;
      } catch (err) {
        if (!this.running) return;
        this.log.warn({ err: String(err) }, 'reading the cluster stream failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const e of streams?.[0]?.messages ?? []) {
        this.lastRead = e.id;
        await this.deliver(e);
      }
    }
  }

  private async deliver(e: StreamEntry): Promise<void> {
    if (e.message.n === 'rules') {
      if (e.message.o !== this.origin) for (const l of this.rulesListeners) l();
      return;
    }
    if (e.message.a !== undefined) {
      let change: { event: string; alert: AlertRecord };
      try {
        change = JSON.parse(e.message.a) as { event: string; alert: AlertRecord };
      } catch {
        this.log.error({ position: e.id }, 'unreadable alert change in the cluster stream: skipped');
        return;
      }
      for (const l of this.alertListeners) {
        try {
          l(change.event, change.alert);
        } catch (err) {
          this.log.error({ err: String(err) }, 'alert listener failed');
        }
      }
      return;
    }
    const result = this.decode(e);
    if (!result) return;
    const local = e.message.o === this.origin;
    const waits: Promise<void>[] = [];
    for (const l of this.committedListeners) {
      try {
        const w = l(result, e.id, local);
        if (w) waits.push(w.catch((err: unknown) => this.log.error({ err: String(err) }, 'committed-batch listener failed')));
      } catch (err) {
        this.log.error({ err: String(err) }, 'committed-batch listener failed');
      }
    }
    if (waits.length > 0) await Promise.all(waits);
  }
}
