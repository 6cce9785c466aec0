import type { Logger } from '../logging/logger.js';

/** A feature's periodic tasks: a failed run is logged and the next one goes ahead. */
export class Periodic {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: Logger) {}

  every(ms: number, task: string, fn: () => Promise<void>): void {
    const t = setInterval(() => {
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
