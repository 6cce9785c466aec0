import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetentionRepository } from '../../src/database/retention.repository.js';
import { writeBatch, type DeadLetterRow } from '../../src/ingest/batch.repository.js';
import { DeadLettersRepository } from '../../src/ingest/dead-letters.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const DAY = 86_400_000;
let db: FreshDatabase;
const now = Date.now();
const letter = (receivedAtMs: number, reason: string, topic: string): DeadLetterRow => ({ receivedAtMs, topic, reason, detail: reason, payload: '{}', payloadBytes: 2 });

beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

describe('DeadLettersRepository', () => {
  it('lists the newest first, of one reason or all, at most `limit`', async () => {
    await writeBatch(db.pool, {
      readings: [],
      events: [],
      statuses: [],
      deadLetters: [letter(now - 3000, 'malformed_json', 'a'), letter(now - 2000, 'unknown_site', 'b'), letter(now - 1000, 'malformed_json', 'c')],
    });
    const repo = new DeadLettersRepository(db.pool);
    expect((await repo.newest(10, null)).map((d) => d.topic)).toEqual(['c', 'b', 'a']);
    expect((await repo.newest(10, 'malformed_json')).map((d) => d.topic)).toEqual(['c', 'a']);
    const [one] = await repo.newest(1, null);
    expect(one).toEqual({ received_at: new Date(now - 1000).toISOString(), topic: 'c', reason: 'malformed_json', detail: 'malformed_json', payload: '{}', payload_bytes: 2 });
  });
});

describe('RetentionRepository', () => {
  it('deletes readings and events past the retention days and dead letters past 90 days, nothing newer', async () => {
    const site = firstOfKind(db, 'fishing_port');
    const metricId = (await db.pool.query<{ id: number }>(`SELECT id FROM metric WHERE kind = 'fishing_port' LIMIT 1`)).rows[0]!.id;
    await writeBatch(db.pool, {
      readings: [
        { siteKey: site.key, metricId, timeMs: now - 40 * DAY, value: 1 },
        { siteKey: site.key, metricId, timeMs: now - DAY, value: 2 },
      ],
      events: [
        { siteKey: site.key, timeMs: now - 40 * DAY, type: 'departure', data: {} },
        { siteKey: site.key, timeMs: now - DAY, type: 'departure', data: {} },
      ],
      statuses: [],
      deadLetters: [letter(now - 91 * DAY, 'malformed_json', 'old'), letter(now - 89 * DAY, 'malformed_json', 'kept')],
    });
    expect(await new RetentionRepository(db.pool).sweep(30)).toBe(1);
    const count = async (sql: string): Promise<number> => (await db.pool.query<{ n: number }>(sql)).rows[0]!.n;
    expect(await count(`SELECT count(*)::int AS n FROM reading WHERE site_key = ${site.key}`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM event WHERE site_key = ${site.key}`)).toBe(1);
    expect(await count(`SELECT count(*)::int AS n FROM dead_letter WHERE topic IN ('old', 'kept')`)).toBe(1);
    // The hourly rollup is kept for good.
    expect(await count(`SELECT count(*)::int AS n FROM reading_hourly WHERE site_key = ${site.key}`)).toBe(2);
  });
});
