import { describe, expect, it } from 'vitest';
import type { BatchResult, BatchRows } from './batch.repository.js';
import { IngestBatcher, type BatchItem } from './ingest-batcher.js';

const item = (): BatchItem => ({
  rows: { readings: [{ siteKey: 1, metricId: 1, timeMs: 0, value: 1 }] as unknown as BatchRows['readings'], events: [], statuses: [], deadLetters: [] },
  asDeadLetter: () => {
    throw new Error('not refused');
  },
});
const result = (): BatchResult => ({ inserted: 1, duplicates: 0, eventsInserted: 0, deadLetters: 0, latest: [], flaggedInserted: 0, flaggedLatest: [], events: [], stored: [], sites: [] });

describe('ingest batcher', () => {
  it('acknowledges a committed batch at once but writes no more on that writer until its consumer has room', async () => {
    let release = (): void => undefined;
    const room = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    const batcher = new IngestBatcher({
      maxRows: 1,
      maxDelayMs: 1,
      writers: 1,
      write: async () => {
        writes++;
        return result();
      },
      onCommitted: () => room,
      onRetry: () => undefined,
      onRefused: () => undefined,
    });
    await batcher.submit(item()); // acknowledged although the consumer is behind
    const second = batcher.submit(item());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(writes).toBe(1);
    release();
    await second;
    expect(writes).toBe(2);
  });
});
