/** How long the first SIGINT/SIGTERM may take to stop the hub before it exits regardless. */
export const STOP_LIMIT_MS = 20_000;
/**
 * Signals this soon after the first are the same Ctrl-C: under `npm start` the terminal's
 * SIGINT reaches the hub directly and npm forwards its own copy a moment later.
 */
export const SAME_SIGNAL_MS = 500;

export interface StopHooks {
  /** Stops everything in order (intake, draining, the database last). */
  stop(): Promise<void>;
  exit(code: number): void;
  /** Tells the person or service manager what is happening. */
  note(message: string): void;
}

/**
 * The hub's answer to SIGINT, SIGTERM and SIGHUP. The first signal stops it in order, within
 * `limitMs` (past it, or when stopping fails, it exits with 1); a second signal (Ctrl-C
 * again, SAME_SIGNAL_MS or more later) exits at once with 130. Exiting also stops the embedded database (an exit hook in
 * database/embedded-postgres.ts), so the next start finds its data folder free.
 */
export function stopOnSignals(hooks: StopHooks, limitMs = STOP_LIMIT_MS, now: () => number = Date.now): (signal: NodeJS.Signals) => void {
  let stopping = false;
  let firstAt = 0;
  return (signal) => {
    if (stopping) {
      if (now() - firstAt < SAME_SIGNAL_MS) return;
      hooks.note(`${signal} again: exiting now`);
      hooks.exit(130);
      return;
    }
    stopping = true;
    firstAt = now();
    hooks.note(`${signal}: stopping (within ${Math.round(limitMs / 1000)} s; press Ctrl-C again to exit at once)`);
    const timer = setTimeout(() => {
      hooks.note(`still stopping after ${Math.round(limitMs / 1000)} s: exiting now`);
      hooks.exit(1);
    }, limitMs);
    hooks.stop().then(
      () => {
        clearTimeout(timer);
        hooks.note('stopped');
        hooks.exit(0);
      },
      (err: unknown) => {
        clearTimeout(timer);
        hooks.note(`stopping failed: ${String(err)}`);
        hooks.exit(1);
      },
    );
  };
}
