import type { BatchResult } from '../ingest/batch.repository.js';
import type { Logger } from '../logging/logger.js';
import { closedBeforeMs, monthOf, type LateReason } from './archive.js';

/** Where late data of a month is recorded (table `report_late_data`). */
export interface LateDataSink {
  /** `atMs`: when the data were stored (the mark is written later, and must not look later than a report gathered meanwhile). */
  noteLate(marks: readonly { month: string; reason: LateReason; atMs?: number }[]): Promise<void>;
}

/** Pending marks are written at most this often per hub (a backfill stores many batches a second). */
export const LATE_FLUSH_MS = 1000;

/**
 * Watches the batches this hub commits for readings and events of a closed month (over for a
 * day: archived, or about to be). The cost per batch is one pass over its stored timestamps
 * against one number; only a batch holding such data does more (a month name per such row),
 * and the database hears of it once per LATE_FLUSH_MS, in one statement for every month.
 * The mark is in the database: every hub of a cluster sees it, whichever hub stored the data.
 */
export class LateDataWatch {
  /** Month → reason → when this hub last stored such data. */
  private readonly pending = new Map<string, Map<LateReason, number>>();
  private cutoff = { atMs: -Infinity, beforeMs: -Infinity };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly sink: LateDataSink,
    private readonly tz: string,
    private readonly archiveAfterMs: number,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly now: () => number = Date.now,
  ) {}

  /** A committed batch (never throws, never waits). */
  observe(result: Pick<BatchResult, 'stored' | 'events'>): void {
    const before = this.closedBefore();
    const atMs = this.now();
    this.scan(result.stored, before, 'readings', atMs);
    this.scan(result.events, before, 'events', atMs);
    if (this.pending.size > 0 && !this.timer) this.timer = setTimeout(() => void this.flush(), LATE_FLUSH_MS);
  }

  /** Months with marks not yet written, for tests. */
  get pendingMonths(): string[] {
    return [...this.pending.keys()];
  }

  /** Writes the pending marks now (also at stop); a failed write keeps them for the next try. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const marks = [...this.pending].flatMap(([month, reasons]) => [...reasons].map(([reason, atMs]) => ({ month, reason, atMs })));
    this.pending.clear();
    this.flushing = this.sink
      .noteLate(marks)
      .catch((err: unknown) => {
        this.log.warn({ err: String(err), marks: marks.length }, 'late data of an archived month not recorded yet; retrying');
        for (const m of marks) this.add(m.month, m.reason, m.atMs);
        if (!this.timer) this.timer = setTimeout(() => void this.flush(), 5 * LATE_FLUSH_MS);
      })
      .finally(() => {
        this.flushing = null;
      });
    await this.flushing;
  }

  stop(): Promise<void> {
    return this.flush();
  }

  private scan(rows: readonly { timeMs: number }[], beforeMs: number, reason: LateReason, atMs: number): void {
    let min = Infinity;
    for (const r of rows) if (r.timeMs < min) min = r.timeMs;
    if (min >= beforeMs) return;
    let last = '';
    for (const r of rows) {
      if (r.timeMs >= beforeMs) continue;
      const month = monthOf(r.timeMs, this.tz);
      if (month !== last) this.add(month, reason, atMs);
      last = month;
    }
  }

  private add(month: string, reason: LateReason, atMs: number): void {
    let reasons = this.pending.get(month);
    if (!reasons) this.pending.set(month, (reasons = new Map()));
    reasons.set(reason, Math.max(atMs, reasons.get(reason) ?? -Infinity));
  }

  /** The cutoff changes once a month: recomputed at most once a minute. */
  private closedBefore(): number {
    const now = this.now();
    if (now - this.cutoff.atMs > 60_000 || now < this.cutoff.atMs) this.cutoff = { atMs: now, beforeMs: closedBeforeMs(now, this.tz, this.archiveAfterMs) };
    return this.cutoff.beforeMs;
  }
}
