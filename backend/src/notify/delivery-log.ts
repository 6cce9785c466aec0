import type { Logger } from '../logging/logger.js';
import type { DeliveryRecord, DeliveryRecorder } from './channel-sender.js';

export interface DeliveryStore {
  upsert(records: readonly DeliveryRecord[]): Promise<void>;
}

export interface DeliveryLogOptions {
  /** Records are written this long after the first unwritten one… */
  flushMs: number;
  /** …or at once when this many wait; one statement writes at most this many. */
  batchMax: number;
  /** Unwritten records kept at most (the database away): past it the oldest are forgotten, counted. */
  bufferMax: number;
  /** After a failed write, the next waits this long (doubling to 30 s). */
  retryMs: number;
}

/** PostgreSQL refused the data itself (SQLSTATE classes 22 data exception, 23 integrity constraint), not the connection. */
function refusedRow(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^2[23]/.test(code);
}

export const DELIVERY_LOG_DEFAULTS: DeliveryLogOptions = { flushMs: 250, batchMax: 500, bufferMax: 20_000, retryMs: 1000 };

/**
 * Writes delivery records to the database in batches, off the alert path: `record` only
 * remembers the newest state of each delivery. A database that is down delays the records
 * (kept, bounded) and never the sending, whose retries live in memory (channel-sender.ts).
 */
export class DeliveryLog implements DeliveryRecorder {
  private readonly buffer = new Map<string, DeliveryRecord>();
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly store: DeliveryStore,
    private readonly log: Logger,
    private readonly onForgotten: (n: number) => void = () => {},
    private readonly opts: DeliveryLogOptions = DELIVERY_LOG_DEFAULTS,
  ) {}

  get unwritten(): number {
    return this.buffer.size;
  }

  record(r: DeliveryRecord): void {
    // Re-inserted: the Map's order stays the order of the last change.
    this.buffer.delete(r.id);
    this.buffer.set(r.id, r);
    if (this.buffer.size > this.opts.bufferMax) {
      let n = 0;
      for (const id of this.buffer.keys()) {
        if (this.buffer.size <= this.opts.bufferMax) break;
        this.buffer.delete(id);
        n++;
      }
      this.onForgotten(n);
      this.log.error({ forgotten: n }, 'notification records not written: the buffer is full (database away?)');
    }
    if (this.buffer.size >= this.opts.batchMax && this.failures === 0) this.arm(0);
    else this.arm(this.failures === 0 ? this.opts.flushMs : this.retryDelay());
  }

  private retryDelay(): number {
    return Math.min(30_000, this.opts.retryMs * 2 ** Math.max(0, this.failures - 1));
  }

  private arm(ms: number): void {
    if (this.stopped || this.writing) return;
    if (this.timer && ms > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, ms);
    this.timer.unref();
  }

  /** Writes what waits (in batches); resolves when done or a write failed. Never rejects. */
  flush(): Promise<void> {
    if (this.writing) return this.writing;
    this.writing = this.writeAll().finally(() => {
      this.writing = null;
      if (this.buffer.size > 0) this.arm(this.failures === 0 ? 0 : this.retryDelay());
    });
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    while (this.buffer.size > 0) {
      const batch = [...this.buffer.values()].slice(0, this.opts.batchMax);
      for (const r of batch) this.buffer.delete(r.id);
      try {
        try {
          await this.store.upsert(batch);
        } catch (err) {
          // A row the table refuses (its alert gone, a value out of range) must not hold back
          // the rest for ever: one by one, and what is refused alone is forgotten.
          if (!refusedRow(err)) throw err;
          await this.writeOneByOne(batch);
        }
        if (this.failures > 0) this.log.info({ after: this.failures }, 'notification records written again');
        this.failures = 0;
      } catch (err) {
        // Put back what was not written, unless a newer state of it came meanwhile.
        const newer = [...this.buffer.values()];
        this.buffer.clear();
        for (const r of batch) this.buffer.set(r.id, r);
        for (const r of newer) {
          this.buffer.delete(r.id);
          this.buffer.set(r.id, r);
        }
        this.failures++;
        if (this.failures === 1 || this.failures % 20 === 0) this.log.warn({ err: String(err), waiting: this.buffer.size, failures: this.failures }, 'notification records not written; will retry');
        return;
      }
    }
  }

  private async writeOneByOne(batch: readonly DeliveryRecord[]): Promise<void> {
    let refused = 0;
    for (const r of batch) {
      try {
        await this.store.upsert([r]);
      } catch (err) {
        if (!refusedRow(err)) throw err;
        refused++;
        this.log.error({ err: String(err), delivery: r.id, channel: r.channel, alert: r.alertId }, 'notification record refused by the database; forgotten');
      }
    }
    if (refused > 0) this.onForgotten(refused);
  }

  /** A last write (bounded by the caller's patience), then no more timers. */
  async stop(waitMs = 5000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.flush(), new Promise<void>((resolve) => (t = setTimeout(resolve, waitMs)))]);
    clearTimeout(t);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
