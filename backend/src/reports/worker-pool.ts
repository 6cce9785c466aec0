import { parentPort, type Worker } from 'node:worker_threads';

/** A worker died, hung past its time or could not start; the task it held fails with this. */
export class WorkerFailedError extends Error {}
/** The pool was closed (the hub is stopping). */
export class PoolClosedError extends Error {}

type Reply<O> = { ok: true; value: O } | { ok: false; error: string };

interface Task<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (err: Error) => void;
}

interface Slot<I, O> {
  worker: Worker;
  task: Task<I, O> | null;
  timer?: NodeJS.Timeout;
}

/**
 * At most `size` worker threads, each doing one task at a time; tasks beyond that wait in
 * order. Workers start when first needed; one that dies or overruns `timeoutMs` is
 * terminated, its task fails, and a fresh one takes the next task.
 */
export class WorkerPool<I, O> {
  private readonly slots = new Set<Slot<I, O>>();
  private readonly queue: Task<I, O>[] = [];
  private closed = false;

  constructor(
    private readonly spawn: () => Worker,
    readonly size: number,
    private readonly timeoutMs: number,
    private readonly onFailure: (err: Error) => void = () => undefined,
  ) {}

  run(input: I): Promise<O> {
    if (this.closed) return Promise.reject(new PoolClosedError('the worker pool is closed'));
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.dispatch();
    });
  }

  /** Workers running now (started and not dead). */
  get workers(): number {
    return this.slots.size;
  }

  get waiting(): number {
    return this.queue.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new PoolClosedError('the worker pool is closed'));
    const slots = [...this.slots];
    this.slots.clear();
    await Promise.all(
      slots.map(async (s) => {
        clearTimeout(s.timer);
        s.task?.reject(new PoolClosedError('the worker pool is closed'));
        await s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let slot = [...this.slots].find((s) => !s.task);
      if (!slot) {
        if (this.slots.size >= this.size) return;
        slot = this.start();
        if (!slot) return;
      }
      const task = this.queue.shift()!;
      const s = slot;
      s.task = task;
      s.timer = setTimeout(() => this.fail(s, new WorkerFailedError(`the worker took longer than ${this.timeoutMs} ms`)), this.timeoutMs);
      s.worker.postMessage(task.input);
    }
  }

  private start(): Slot<I, O> | undefined {
    let worker: Worker;
    try {
      worker = this.spawn();
    } catch (err) {
      const e = new WorkerFailedError(`cannot start a worker: ${err instanceof Error ? err.message : String(err)}`);
      for (const t of this.queue.splice(0)) t.reject(e);
      this.onFailure(e);
      return undefined;
    }
    const slot: Slot<I, O> = { worker, task: null };
    worker.on('message', (reply: Reply<O>) => {
      const task = slot.task;
      if (!task) return;
      clearTimeout(slot.timer);
      slot.task = null;
      if (reply.ok) task.resolve(reply.value);
      else task.reject(new Error(reply.error));
      this.dispatch();
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => this.fail(slot, new WorkerFailedError(`the worker exited (code ${code})`)));
    this.slots.add(slot);
    return slot;
  }

  private fail(slot: Slot<I, O>, err: Error): void {
    if (!this.slots.delete(slot)) return;
    clearTimeout(slot.timer);
    slot.task?.reject(err instanceof WorkerFailedError ? err : new WorkerFailedError(err.message));
    slot.task = null;
    void slot.worker.terminate();
    if (this.closed) return;
    this.onFailure(err);
    this.dispatch();
  }
}

/** Inside a worker: answers each task the pool sends with `fn`'s result (transferring buffers). */
export function answerTasks<I>(fn: (input: I) => Promise<Uint8Array>): void {
  const port = parentPort;
  if (!port) throw new Error('answerTasks runs in a worker thread');
  port.on('message', (input: I) => {
    fn(input).then(
      (value) => {
        // A fresh copy owns its whole ArrayBuffer, so it can be moved rather than cloned.
        const owned = new Uint8Array(value);
        port.postMessage({ ok: true, value: owned } satisfies Reply<Uint8Array>, [owned.buffer]);
      },
      (err: unknown) => port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies Reply<Uint8Array>),
    );
  });
}
