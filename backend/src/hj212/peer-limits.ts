/**
 * What one remote address may hold of the HJ 212 listener: a few connections at once, and
 * dead letters at a bounded rate. Pure: no I/O, the caller passes the time.
 */

/** Simultaneous connections from one address (a plant's monitors usually share one). */
export const MAX_CONNECTIONS_PER_ADDRESS = 8;

export class ConnectionCounts {
  private readonly open = new Map<string, number>();

  /** True (and counted) when `address` may open one more connection. */
  admit(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (n >= MAX_CONNECTIONS_PER_ADDRESS) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = (this.open.get(address) ?? 0) - 1;
    if (n > 0) this.open.set(address, n);
    else this.open.delete(address);
  }

  of(address: string): number {
    return this.open.get(address) ?? 0;
  }
}

export interface Rejected<T> {
  reason: string;
  detail: string;
  item: T;
}

export interface RejectSummary<T> {
  key: string;
  /** Rejections counted, not filed, since the window opened. */
  more: number;
  byReason: Map<string, number>;
  last: Rejected<T>;
}

interface Window<T> {
  startMs: number;
  more: number;
  byReason: Map<string, number>;
  last: Rejected<T> | null;
}

/**
 * At most one dead letter per key (a remote address) per window: the first rejection is
 * filed at once, the rest are counted and filed as one summary when the window ends. A
 * summary opens the next window, so a steady stream of garbage gives one letter a window.
 * Keyed by address, not connection, so that reconnecting does not open a fresh window.
 */
export class RejectWindows<T> {
  private readonly open = new Map<string, Window<T>>();

  constructor(readonly windowMs: number) {}

  /** True when this rejection is to be filed now; false when it was counted into the window. */
  offer(key: string, nowMs: number, rejected: Rejected<T>): boolean {
    const w = this.open.get(key);
    if (!w) {
      this.open.set(key, { startMs: nowMs, more: 0, byReason: new Map(), last: null });
      return true;
    }
    w.more++;
    w.byReason.set(rejected.reason, (w.byReason.get(rejected.reason) ?? 0) + 1);
    w.last = rejected;
    return false;
  }

  /** Summaries of the windows that ended by `nowMs`. */
  due(nowMs: number): RejectSummary<T>[] {
    const out: RejectSummary<T>[] = [];
    for (const [key, w] of this.open) {
      if (nowMs - w.startMs < this.windowMs) continue;
      if (w.more === 0 || !w.last) {
        this.open.delete(key);
        continue;
      }
      out.push({ key, more: w.more, byReason: w.byReason, last: w.last });
      this.open.set(key, { startMs: nowMs, more: 0, byReason: new Map(), last: null });
    }
    return out;
  }

  /** Summaries of every window that counted something; all windows are closed. */
  flush(): RejectSummary<T>[] {
    const out = [...this.open].flatMap(([key, w]) => (w.more > 0 && w.last ? [{ key, more: w.more, byReason: w.byReason, last: w.last }] : []));
    this.open.clear();
    return out;
  }

  get size(): number {
    return this.open.size;
  }
}

/** "the last minute", "the last 3 s": how a summary names its window. */
export function windowText(ms: number): string {
  if (ms === 60_000) return 'the last minute';
  return ms % 60_000 === 0 ? `the last ${ms / 60_000} minutes` : `the last ${ms / 1000} s`;
}

/** The detail of a summary dead letter. */
export function summaryDetail(s: RejectSummary<unknown>, windowMs: number): string {
  const reasons = [...s.byReason].map(([r, n]) => `${r} ${n}`).join(', ');
  return `${s.more} more bad frame${s.more === 1 ? '' : 's'} in ${windowText(windowMs)} (${reasons}); the last: ${s.last.detail}`;
}
