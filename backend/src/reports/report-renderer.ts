import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../logging/logger.js';
import type { RenderJob } from './render-document.js';
import { WorkerPool } from './worker-pool.js';

/** Renders documents somewhere other than the caller's event loop. */
export interface ReportRenderer {
  /** How many renderings run at once. */
  readonly size: number;
  render(job: RenderJob): Promise<Buffer>;
  close(): Promise<void>;
}

/** A rendering that takes longer is abandoned and its worker replaced. */
const RENDER_TIMEOUT_MS = 60_000;
/** A hostile or absurd report kills its worker, not the hub. */
const WORKER_HEAP_MB = 512;

/** One core stays with the event loop (ingest, API); on 2 cores that leaves 1 worker. */
export function defaultReportWorkers(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

/** Compiled next to this module: backend/dist/reports/render-worker.js. */
export const RENDER_WORKER_FILE = fileURLToPath(new URL('./render-worker.js', import.meta.url));

export function workerRenderer(size: number, log: Logger, file = RENDER_WORKER_FILE): ReportRenderer {
  if (!existsSync(file)) throw new Error(`report render worker ${file} is missing: build the backend (npm run build)`);
  const pool = new WorkerPool<RenderJob, Uint8Array>(
    () => new Worker(file, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } }),
    size,
    RENDER_TIMEOUT_MS,
    (err) => log.warn({ err: err.message }, 'report render worker failed; a new one takes the next rendering'),
  );
  return {
    size,
    render: async (job) => {
      const bytes = await pool.run(job);
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
    close: () => pool.close(),
  };
}
