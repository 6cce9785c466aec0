/**
 * Locks a username out after repeated wrong passwords, whether or not the user exists (so
 * the answer does not tell which names are real). Failures older than the window are
 * forgotten; a success clears the count. Bounded: the oldest names are dropped first.
 */
export interface LockoutOptions {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
  maxNames: number;
}

export const DEFAULT_LOCKOUT: LockoutOptions = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000, maxNames: 10_000 };

interface Entry {
  failures: number[];
  lockedUntil: number;
}

export class LoginLockout {
  private readonly names = new Map<string, Entry>();

  constructor(private readonly opts: LockoutOptions = DEFAULT_LOCKOUT) {}

  /** Milliseconds until `username` may try again; 0 when it may try now. */
  retryAfterMs(username: string, now: number): number {
    const e = this.names.get(username.toLowerCase());
    return e && e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  /** Records a wrong password; returns the lock's length in ms when this failure locks the name. */
  failed(username: string, now: number): number {
    const key = username.toLowerCase();
    const e = this.names.get(key) ?? { failures: [], lockedUntil: 0 };
    this.names.delete(key); // re-inserted last: Map order is the eviction order
    e.failures = [...e.failures.filter((t) => now - t < this.opts.windowMs), now];
    if (e.failures.length >= this.opts.maxFailures) {
      e.lockedUntil = now + this.opts.lockMs;
      e.failures = [];
    }
    this.names.set(key, e);
    while (this.names.size > this.opts.maxNames) this.names.delete(this.names.keys().next().value!);
    return e.lockedUntil > now ? e.lockedUntil - now : 0;
  }

  succeeded(username: string): void {
    this.names.delete(username.toLowerCase());
  }
}
