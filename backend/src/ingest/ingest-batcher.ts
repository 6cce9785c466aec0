import type { BatchResult, BatchRows, DeadLetterRow } from './batch.repository.js';
import { isTransientDbError } from './batch.repository.js';

/** One received message, already parsed into the rows it stores. */
export interface BatchItem {
  rows: BatchRows;
  /** Turns the item into a dead letter when the database refuses its rows. */
  asDeadLetter(error: string): DeadLetterRow;
}

export interface BatcherOptions {
  /** Close a batch at this many rows. */
  maxRows: number;
  /** …or this long after its first item arrived. */
  maxDelayMs: number;
  /** Batches written at the same time. */
  writers: number;
  write(rows: BatchRows): Promise<BatchResult>;
  /** A promise returned holds the writer (not the batch's items) until it settles. */
  onCommitted(result: BatchResult, seconds: number): void | Promise<void>;
  onRetry(err: unknown, attempt: number, delayMs: number): void;
  /** The database refused an item's rows (not a transient failure). */
  onRefused(err: unknown): void;
}

interface Pending {
  item: BatchItem;
  resolve(): void;
  reject(err: Error): void;
}

const MAX_BACKOFF_MS = 5000;

function merge(items: BatchItem[]): BatchRows {
  const rows: BatchRows = { readings: [], flagged: [], events: [], statuses: [], deadLetters: [] };
  for (const { rows: r } of items) {
    for (const x of r.readings) rows.readings.push(x);
    for (const x of r.flagged ?? []) rows.flagged!.push(x);
    if (r.rejudge?.length) rows.rejudge = [...(rows.rejudge ?? []), ...r.rejudge];
    for (const x of r.events) rows.events.push(x);
    for (const x of r.statuses) rows.statuses.push(x);
    for (const x of r.deadLetters) rows.deadLetters.push(x);
  }
  return rows;
}

function size(rows: BatchRows): number {
  return rows.readings.length + (rows.flagged?.length ?? 0) + rows.events.length + rows.statuses.length + rows.deadLetters.length;
}

/**
 * Collects items into batches that close on size or time, writes each batch in one
 * statement, and settles every item's promise only after its batch committed.
 * Transient database failures are retried with back-off for as long as it takes (the
 * caller's in-flight window stops intake meanwhile); rows the database refuses are
 * isolated by halving the batch, and only the offending message becomes a dead letter.
 */
export class IngestBatcher {
  private queue: Pending[] = [];
  private queuedRows = 0;
  private timer: NodeJS.Timeout | null = null;
  private activeWriters = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly opts: BatcherOptions) {}

  submit(item: BatchItem): Promise<void> {
    if (this.closed) return Promise.reject(new Error('ingest is shutting down'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.queuedRows += size(item.rows);
      if (this.queuedRows >= this.opts.maxRows) this.kick();
      else if (!this.timer) this.timer = setTimeout(() => this.kick(), this.opts.maxDelayMs);
    });
  }

  /** Items waiting for or inside a batch. */
  get pendingItems(): number {
    return this.queue.length;
  }

  /** Writes what is queued and waits for every batch in flight. */
  async drain(): Promise<void> {
    this.closed = true;
    this.kick();
    while (this.queue.length > 0 || this.activeWriters > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.activeWriters < this.opts.writers && this.queue.length > 0) {
      const batch = this.take();
      this.activeWriters++;
      void this.run(batch).finally(() => {
        this.activeWriters--;
        if (this.queue.length > 0 && (this.queuedRows >= this.opts.maxRows || this.closed)) this.kick();
        else if (this.queue.length > 0 && !this.timer) this.timer = setTimeout(() => this.kick(), this.opts.maxDelayMs);
        if (this.queue.length === 0 && this.activeWriters === 0) this.idleWaiters.splice(0).forEach((r) => r());
      });
    }
  }

  private take(): Pending[] {
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0 && (rows < this.opts.maxRows || batch.length === 0)) {
      const p = this.queue.shift()!;
      rows += size(p.item.rows);
      batch.push(p);
    }
    this.queuedRows -= rows;
    return batch;
  }

  private async run(batch: Pending[]): Promise<void> {
    const room: Promise<void>[] = [];
    try {
      await this.writeIsolating(batch.map((p) => p.item), room);
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err as Error);
    }
    // The batch is acknowledged; a consumer behind on committed batches keeps this writer busy.
    await Promise.all(room.map((r) => r.catch(() => undefined)));
  }

  /** Writes items; a refused batch is split until the refused message is alone. */
  private async writeIsolating(items: BatchItem[], room: Promise<void>[]): Promise<void> {
    try {
      await this.writeWithRetry(merge(items), room);
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      this.opts.onRefused(err);
      if (items.length === 1) {
        const dead = items[0]!.asDeadLetter(String((err as Error).message ?? err));
        await this.writeWithRetry({ readings: [], flagged: [], events: [], statuses: [], deadLetters: [dead] }, room);
        return;
      }
      const mid = Math.ceil(items.length / 2);
      await this.writeIsolating(items.slice(0, mid), room);
      await this.writeIsolating(items.slice(mid), room);
    }
  }

  private async writeWithRetry(rows: BatchRows, room: Promise<void>[]): Promise<void> {
    let delay = 100;
    for (let attempt = 1; ; attempt++) {
      const started = process.hrtime.bigint();
      try {
        const result = await this.opts.write(rows);
        const wait = this.opts.onCommitted(result, Number(process.hrtime.bigint() - started) / 1e9);
        if (wait) room.push(wait);
        return;
      } catch (err) {
        if (!isTransientDbError(err)) throw err;
        this.opts.onRetry(err, attempt, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_BACKOFF_MS);
      }
    }
  }
}
