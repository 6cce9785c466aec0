import type { BatchResult } from './batch.repository.js';

/** A listener of committed batches; a promise it returns holds back further batches until it settles. */
export type CommittedListener = (result: BatchResult) => void | Promise<void>;

/**
 * The in-process bus: what a committed batch stored. Only committed data is announced
 * (persist before you announce); listeners must not throw. A listener that cannot keep up
 * returns a promise: ingest writes no further batch on that writer until it settles, so
 * the in-flight window fills and the transports stop reading.
 */
export class IngestEvents {
  private listeners: CommittedListener[] = [];

  /** Resolves once every listener that pushed back has room again. */
  emitCommitted(result: BatchResult): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const l of this.listeners) {
      const room = l(result);
      if (room) waits.push(room.catch(() => undefined));
    }
    return waits.length === 0 ? Promise.resolve() : Promise.all(waits).then(() => undefined);
  }

  onCommitted(listener: CommittedListener): () => void {
    this.listeners.push(listener);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }
}
