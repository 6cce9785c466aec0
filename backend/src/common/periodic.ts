import type { Logger } from '../logging/logger.js';

/** Whether this hub runs the cluster's once-only tasks (always, on a hub on its own). */
export type OnceOnly = () => boolean;

/** A feature's periodic tasks: a failed run is logged and the next one goes ahead. */
export class Periodic {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: Logger) {}

  /** Runs `fn` every `ms`; with `onlyIf`, only while it says so (a cluster's once-only task). */
  every(ms: number, task: string, fn: () => Promise<void>, onlyIf?: OnceOnly): void {
    const t = setInterval(() => {
      if (onlyIf && !onlyIf()) return;
      fn().catch((err: unknown) => this.log.warn({ task, err: String(err) }, 'periodic task failed'));
    }, ms);
    t.unref();
    this.timers.push(t);
  }

  stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers.length = 0;
  }
}
