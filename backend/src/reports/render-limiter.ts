/** Why a rendering was refused, and when to try again. */
export interface Refusal {
  reason: 'user' | 'busy';
  retryAfterS: number;
}

export type Release = () => void;

export interface RenderLimits {
  /** Renderings one user may have in flight (running or waiting). */
  perUser: number;
  /** Renderings the hub takes in at once (running or waiting) before it refuses more. */
  total: number;
}

/** Smoothing of the measured rendering times behind Retry-After. */
const ALPHA = 0.3;

export const isRefusal = (r: Release | Refusal): r is Refusal => typeof r !== 'function';

/**
 * Admission for report renderings: a bound per user and a bound on the whole backlog.
 * Retry-After is the smoothed time from admission to completion of recent renderings.
 */
export class RenderLimiter {
  private readonly byUser = new Map<number, number>();
  private inFlight = 0;
  private meanMs: number;

  constructor(
    private readonly limits: RenderLimits,
    private readonly now: () => number = Date.now,
    initialMs = 1000,
  ) {
    this.meanMs = initialMs;
  }

  /** A slot for one of the user's requests that needs a rendering (its own or one it shares). */
  user(id: number): Release | Refusal {
    const n = this.byUser.get(id) ?? 0;
    if (n >= this.limits.perUser) return { reason: 'user', retryAfterS: this.retryAfterS() };
    this.byUser.set(id, n + 1);
    return once(() => {
      const left = (this.byUser.get(id) ?? 1) - 1;
      if (left > 0) this.byUser.set(id, left);
      else this.byUser.delete(id);
    });
  }

  /** A slot for a new rendering; its release records how long it took. */
  render(): Release | Refusal {
    if (this.inFlight >= this.limits.total) return { reason: 'busy', retryAfterS: this.retryAfterS() };
    this.inFlight++;
    const start = this.now();
    return once(() => {
      this.inFlight--;
      this.meanMs = ALPHA * (this.now() - start) + (1 - ALPHA) * this.meanMs;
    });
  }

  retryAfterS(): number {
    return Math.max(1, Math.ceil(this.meanMs / 1000));
  }

  get renderings(): number {
    return this.inFlight;
  }
}

function once(fn: () => void): Release {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
