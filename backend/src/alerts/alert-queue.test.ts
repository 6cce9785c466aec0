import { afterEach, describe, expect, it } from 'vitest';
import { IngestEvents } from '../ingest/ingest-events.js';
import { ALERT_QUEUE_MAX, type AlertEngine } from './alert-engine.js';
import { emptyBatch, slowEngine } from '../../test/harness/slow-alert-engine.js';

let engine: AlertEngine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

describe('alert engine queue', () => {
  it('pushes back on ingest once ALERT_QUEUE_MAX committed batches wait, and lets it go on when below', async () => {
    const events = new IngestEvents();
    engine = await slowEngine(events, 20);
    const acks: Promise<void>[] = [];
    for (let i = 0; i < ALERT_QUEUE_MAX - 1; i++) acks.push(events.emitCommitted(emptyBatch()));
    let held = true;
    const full = events.emitCommitted(emptyBatch()).then(() => (held = false));
    expect(engine.queuedBatchCount).toBe(ALERT_QUEUE_MAX);
    await Promise.all(acks); // below the bound: not held
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(held).toBe(true);
    await full;
    expect(engine.queuedBatchCount).toBeLessThan(ALERT_QUEUE_MAX);
  });
});
