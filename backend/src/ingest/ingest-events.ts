import { EventEmitter } from 'node:events';
import type { BatchResult } from './batch-writer.js';

/**
 * The in-process bus: what a committed batch stored. Only committed data is announced
 * (persist before you announce); listeners must not throw.
 */
export class IngestEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(50);
  }

  emitCommitted(result: BatchResult): void {
    this.emitter.emit('committed', result);
  }

  onCommitted(listener: (result: BatchResult) => void): () => void {
    this.emitter.on('committed', listener);
    return () => this.emitter.off('committed', listener);
  }
}
