/**
 * Lets through at most one update per key per interval: the first change goes out at
 * once, later ones within the interval are merged and sent when it ends.
 */
export class Coalescer<K> {
  private readonly lastSent = new Map<K, number>();
  private readonly pending = new Set<K>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: (key: K) => void,
    private readonly now: () => number = Date.now,
  ) {}

  changed(key: K): void {
    const t = this.now();
    const last = this.lastSent.get(key);
    if (last === undefined || t - last >= this.intervalMs) {
      this.lastSent.set(key, t);
      this.pending.delete(key);
      this.send(key);
      return;
    }
    this.pending.add(key);
    this.schedule();
  }

  /** Sends what is due; called by the timer (and by tests). */
  flushDue(): void {
    const t = this.now();
    for (const key of this.pending) {
      if (t - (this.lastSent.get(key) ?? 0) >= this.intervalMs) {
        this.pending.delete(key);
        this.lastSent.set(key, t);
        this.send(key);
      }
    }
    this.timer = null;
    if (this.pending.size > 0) this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flushDue(), Math.max(10, Math.floor(this.intervalMs / 10)));
    this.timer.unref();
  }
}
