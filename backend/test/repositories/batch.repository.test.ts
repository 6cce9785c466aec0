import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBatch, type BatchRows } from '../../src/ingest/batch.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

const HOUR = Date.parse('2026-09-10T02:00:00Z');
const batch = (siteKey: number, metricId: number, values: number[], offsetS = 0): BatchRows => ({
  readings: values.map((value, i) => ({ siteKey, metricId, timeMs: HOUR + (offsetS + i * 60) * 1000, value })),
  events: [],
  statuses: [],
  deadLetters: [],
});

describe('writeBatch', () => {
  it('stores readings once: duplicates are skipped and the hourly rollup counts only what was inserted', async () => {
    const site = firstOfKind(db, 'air');
    const pm25 = metricFor('air', 'pm25')!.id;
    const first = await writeBatch(db.pool, batch(site.key, pm25, [10, 20, 30]));
    expect(first).toMatchObject({ inserted: 3, duplicates: 0 });
    // All new: the stored readings are the input's, in its order, with the fields the alert rules read.
    expect(first.stored).toEqual(batch(site.key, pm25, [10, 20, 30]).readings);
    expect(first.latest).toEqual([{ siteKey: site.key, metricId: pm25, timeMs: HOUR + 120_000, value: 30 }]);

    // Redelivered in full, plus one new reading in the same hour.
    const again = await writeBatch(db.pool, batch(site.key, pm25, [10, 20, 30, 40]));
    expect(again).toMatchObject({ inserted: 1, duplicates: 3 });
    expect(again.stored).toEqual([{ siteKey: site.key, metricId: pm25, timeMs: HOUR + 180_000, value: 40 }]);

    const { rows } = await db.pool.query('SELECT n, sum, min, max FROM reading_hourly WHERE site_key = $1 AND metric_id = $2', [site.key, pm25]);
    expect(rows).toEqual([{ n: 4, sum: 100, min: 10, max: 40 }]);
    const latest = await db.pool.query('SELECT value FROM reading_latest WHERE site_key = $1 AND metric_id = $2', [site.key, pm25]);
    expect(latest.rows).toEqual([{ value: 40 }]);
  });

  it('adds to an hour only the seconds its newly inserted readings cover, duplicates or not', async () => {
    const site = firstOfKind(db, 'air');
    const so2 = metricFor('air', 'so2')!.id;
    const rows = (assumedS: number, values: number[], periodS?: number): BatchRows => {
      const b = batch(site.key, so2, values);
      for (const r of b.readings) Object.assign(r, periodS ? { periodS } : { assumedS });
      return b;
    };
    const coverage = async (): Promise<unknown> =>
      (await db.pool.query('SELECT n, n_declared, declared_s, assumed_s FROM reading_hourly WHERE site_key = $1 AND metric_id = $2', [site.key, so2])).rows[0];

    await writeBatch(db.pool, rows(300, [1, 2, 3]));
    expect(await coverage()).toEqual({ n: 3, n_declared: 0, declared_s: 0, assumed_s: 900 });
    // The three again (at another interval: they are duplicates, they add nothing) and a fourth.
    await writeBatch(db.pool, rows(600, [1, 2, 3, 4]));
    expect(await coverage()).toEqual({ n: 4, n_declared: 0, declared_s: 0, assumed_s: 1500 });
    // A value said to average an hour covers it, and the 86 400 s of an assumed daily cadence count as an hour.
    const hourly = batch(site.key, so2, [5], 300);
    hourly.readings[0]!.periodS = 3600;
    await writeBatch(db.pool, hourly);
    expect(await coverage()).toEqual({ n: 5, n_declared: 1, declared_s: 3600, assumed_s: 1500 });
    const daily = batch(site.key, so2, [6], 360);
    daily.readings[0]!.assumedS = 86_400;
    await writeBatch(db.pool, daily);
    expect(await coverage()).toEqual({ n: 6, n_declared: 1, declared_s: 3600, assumed_s: 5100 });
  });

  it('stores events, liveness and dead letters of the same batch', async () => {
    const port = firstOfKind(db, 'fishing_port');
    const r = await writeBatch(db.pool, {
      readings: [],
      events: [{ siteKey: port.key, timeMs: HOUR, type: 'inspection', data: { result: 'pass' } }],
      statuses: [{ siteKey: port.key, online: true, atMs: HOUR }],
      deadLetters: [{ receivedAtMs: HOUR, topic: 'tidewatch/x/telemetry', reason: 'malformed_json', detail: 'bad', payload: '{', payloadBytes: 1 }],
    });
    expect(r).toMatchObject({ eventsInserted: 1, deadLetters: 1 });
    expect(r.sites).toEqual([expect.objectContaining({ siteKey: port.key, online: true, statusAtMs: HOUR })]);
  });

  it('stores flagged values once in reading_flagged with their flag, never in reading, the rollup or reading_latest', async () => {
    const site = firstOfKind(db, 'air');
    const no2 = metricFor('air', 'no2')!.id;
    const rows: BatchRows = {
      ...batch(site.key, no2, [40]),
      flagged: [
        { siteKey: site.key, metricId: no2, timeMs: HOUR + 60_000, value: 400, flag: 'C' },
        { siteKey: site.key, metricId: no2, timeMs: HOUR + 120_000, value: 500, flag: 'M' },
      ],
    };
    const first = await writeBatch(db.pool, rows);
    expect(first).toMatchObject({ inserted: 1, flaggedInserted: 2 });
    expect(first.flaggedLatest).toEqual([{ siteKey: site.key, metricId: no2, timeMs: HOUR + 120_000, value: 500, flag: 'M' }]);
    const again = await writeBatch(db.pool, rows);
    expect(again).toMatchObject({ inserted: 0, flaggedInserted: 0, flaggedLatest: [] });

    const q = async (sql: string) => (await db.pool.query(sql, [site.key, no2])).rows;
    expect(await q('SELECT value, flag FROM reading_flagged WHERE site_key = $1 AND metric_id = $2 ORDER BY time')).toEqual([{ value: 400, flag: 'C' }, { value: 500, flag: 'M' }]);
    expect(await q('SELECT value FROM reading WHERE site_key = $1 AND metric_id = $2')).toEqual([{ value: 40 }]);
    expect(await q('SELECT n, sum FROM reading_hourly WHERE site_key = $1 AND metric_id = $2')).toEqual([{ n: 1, sum: 40 }]);
    expect(await q('SELECT value FROM reading_latest WHERE site_key = $1 AND metric_id = $2')).toEqual([{ value: 40 }]);
    expect(await q('SELECT value, flag FROM reading_flagged_latest WHERE site_key = $1 AND metric_id = $2')).toEqual([{ value: 500, flag: 'M' }]);
  });
});
