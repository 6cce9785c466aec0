import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs } from '../../src/common/district-time.js';
import { writeBatch } from '../../src/ingest/batch.repository.js';
import { ReportsRepository } from '../../src/reports/reports.repository.js';
import { ReviewsRepository } from '../../src/review/reviews.repository.js';
import { RollupsRepository } from '../../src/sites/rollups.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
let db: FreshDatabase;
let rollups: RollupsRepository;
let reviews: ReviewsRepository;
let plant: number;
let other: number;
const cod = metricFor('wwtp', 'cod_mgl')!.id;
const ph = metricFor('wwtp', 'ph')!.id;
const day = dayStartMs('2026-09-10', TZ);

/** Hour `h` of the day holds value 10·(h + 1) of cod and 7 of pH, at both plants. */
beforeAll(async () => {
  db = await freshDatabase();
  rollups = new RollupsRepository(db.pool);
  reviews = new ReviewsRepository(db.pool);
  const plants = [...db.sites.values()].filter((s) => s.kind === 'wwtp');
  plant = firstOfKind(db, 'wwtp').key;
  other = plants.find((s) => s.key !== plant)?.key ?? firstOfKind(db, 'river').key;
  const readings = [plant, other].flatMap((siteKey) =>
    Array.from({ length: 4 }, (_, h) => [
      { siteKey, metricId: cod, timeMs: day + h * HOUR, value: 10 * (h + 1), periodS: 3600 },
      { siteKey, metricId: ph, timeMs: day + h * HOUR, value: 7, periodS: 3600 },
    ]).flat(),
  );
  await writeBatch(db.pool, { readings, events: [], statuses: [], deadLetters: [] });
});
afterAll(() => db?.drop());

const codHours = async (site: number): Promise<number[]> => {
  const [row] = await rollups.hourSeries([site], [cod], day, day + 24 * HOUR);
  return (row?.hours ?? []).map((h) => (h - day) / HOUR);
};

describe('review marks leave rollup hours out of every figure', () => {
  it('a mark of one metric leaves out its hours of that metric at that site only; withdrawn, they count again', async () => {
    const m = await reviews.insert({ siteKey: plant, metricId: cod, fromMs: day + HOUR, toMs: day + 3 * HOUR, reason: 'calibration', note: null, by: 'op' });
    expect(m).toMatchObject({ metric: 'cod_mgl', from: new Date(day + HOUR).toISOString(), to: new Date(day + 3 * HOUR).toISOString(), withdrawn_at: null });
    expect(await codHours(plant)).toEqual([0, 3]);
    expect(await codHours(other)).toEqual([0, 1, 2, 3]);
    // Hours 0 and 3 of cod: (10 + 40) / 2; pH untouched.
    const daily = await rollups.daily([plant], [cod, ph], day, day + 24 * HOUR, TZ);
    expect(daily.map((r) => [r.metric_id, r.mean, r.hours]).sort((a, b) => a[0]! - b[0]!)).toEqual([[cod, 25, 2], [ph, 7, 4]].sort((a, b) => a[0]! - b[0]!));
    expect(await rollups.meansSince([plant], [cod], day)).toEqual([{ site_key: plant, metric_id: cod, mean: 25 }]);
    expect((await rollups.hourlyMeansSince([plant], [cod], day)).map((r) => r.mean).sort()).toEqual([10, 40]);

    const w = await reviews.withdraw(m.id, 'boss', 'wrong station');
    expect(w).toMatchObject({ withdrawn_by: 'boss', withdrawn_reason: 'wrong station' });
    expect(await reviews.withdraw(m.id, 'boss', 'again')).toBeNull();
    expect(await codHours(plant)).toEqual([0, 1, 2, 3]);
  });

  it('a mark of the whole site leaves out all its metrics; the readings themselves stay', async () => {
    await reviews.insert({ siteKey: plant, metricId: null, fromMs: day + 2 * HOUR, toMs: day + 24 * HOUR, reason: 'other', note: '断电', by: 'op' });
    expect(await codHours(plant)).toEqual([0, 1]);
    const rows = await rollups.daily([plant], [cod, ph], day, day + 24 * HOUR, TZ);
    expect(rows.map((r) => r.hours)).toEqual([2, 2]);
    const { rows: raw } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM reading WHERE site_key = $1', [plant]);
    expect(raw[0]!.n).toBe(8);
  });

  it('lists marks overlapping a period, per site or all, withdrawn ones included, and says when a period was last reviewed', async () => {
    const all = await reviews.overlapping(null, day, day + 24 * HOUR);
    expect(all.map((m) => [m.metric, m.withdrawn_by])).toEqual([
      ['cod_mgl', 'boss'],
      [null, null],
    ]);
    expect(await reviews.overlapping(other, day, day + 24 * HOUR)).toEqual([]);
    expect(await reviews.overlapping(plant, day + 3 * HOUR, day + 4 * HOUR)).toHaveLength(1);
    const reports = new ReportsRepository(db.pool, 'Asia/Shanghai');
    expect(await reports.lastReviewedMs(day, day + 24 * HOUR)).toBeGreaterThan(Date.now() - 60_000);
    expect(await reports.lastReviewedMs(day + 30 * HOUR, day + 40 * HOUR)).toBeNull();
  });

  it('the table refuses a period not on whole hours, or other without a note', async () => {
    await expect(reviews.insert({ siteKey: plant, metricId: null, fromMs: day + 60_000, toMs: day + HOUR, reason: 'maintenance', note: null, by: 'op' })).rejects.toThrow(/check constraint/);
    await expect(reviews.insert({ siteKey: plant, metricId: null, fromMs: day, toMs: day + HOUR, reason: 'other', note: null, by: 'op' })).rejects.toThrow(/check constraint/);
  });

});
