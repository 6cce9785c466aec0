import { afterEach, describe, expect, it } from 'vitest';
import { ALERT_QUEUE_MAX, type AlertEngine } from '../alerts/alert-engine.js';
import { emptyBatch, slowEngine } from '../../test/harness/slow-alert-engine.js';
import type { BatchRows } from './batch.repository.js';
import { IngestBatcher, type BatchItem } from './ingest-batcher.js';
import { IngestEvents } from './ingest-events.js';

const WRITERS = 2;
const WINDOW = 200;
const MESSAGES = 4000;

const item = (): BatchItem => ({
  rows: { readings: [{}] as unknown as BatchRows['readings'], events: [], statuses: [], deadLetters: [] },
  asDeadLetter: () => {
    throw new Error('not refused');
  },
});

let engine: AlertEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

describe('ingest with an alert engine slower than the stream', () => {
  it('keeps the engine queue and the messages held in memory bounded', async () => {
    const events = new IngestEvents();
    engine = await slowEngine(events, 4); // 4 ms a batch; the database takes 1 ms
    const batcher = new IngestBatcher({
      maxRows: 10,
      maxDelayMs: 5,
      writers: WRITERS,
      write: async () => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        return emptyBatch();
      },
      onCommitted: (result) => events.emitCommitted(result),
      onRetry: () => undefined,
      onRefused: () => undefined,
    });
    // A transport like the MQTT subscriber: it reads while fewer than WINDOW messages are in flight.
    let inflight = 0;
    let peakInflight = 0;
    let peakQueue = 0;
    let room: (() => void) | null = null;
    const done: Promise<void>[] = [];
    for (let i = 0; i < MESSAGES; i++) {
      while (inflight >= WINDOW) await new Promise<void>((resolve) => (room = resolve));
      inflight++;
      peakInflight = Math.max(peakInflight, inflight);
      done.push(
        batcher.submit(item()).then(() => {
          inflight--;
          peakQueue = Math.max(peakQueue, engine!.queuedBatchCount);
          room?.();
          room = null;
        }),
      );
    }
    await Promise.all(done);
    console.log(`peak alert queue ${peakQueue} batches (bound ${ALERT_QUEUE_MAX} + ${WRITERS - 1}), peak in flight ${peakInflight} messages`);
    // Without push-back the engine held 344 batches at its peak in this run, growing with the stream.
    expect(peakQueue).toBeLessThanOrEqual(ALERT_QUEUE_MAX + WRITERS - 1);
    expect(peakInflight).toBeLessThanOrEqual(WINDOW);
  });
});
