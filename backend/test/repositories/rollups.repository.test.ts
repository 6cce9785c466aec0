import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs } from '../../src/common/district-time.js';
import { writeBatch } from '../../src/ingest/batch.repository.js';
import { DailyMeans } from '../../src/sites/daily-means.js';
import { RollupsRepository } from '../../src/sites/rollups.repository.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { SitesRepository } from '../../src/sites/sites.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
let db: FreshDatabase;
let rollups: RollupsRepository;
let plant: number;
const cod = metricFor('wwtp', 'cod_mgl')!.id;
// 2026-09-10 in Shanghai starts at 2026-09-09T16:00Z.
const day = dayStartMs('2026-09-10', TZ);

beforeAll(async () => {
  db = await freshDatabase();
  rollups = new RollupsRepository(db.pool);
  plant = firstOfKind(db, 'wwtp').key;
  // Two half-hourly readings in the day's first hour (20, 40), an hourly mean in its last (60),
  // one minute reading the next day (100), and a daily mean, which is no hour's data (500).
  const readings = [
    { timeMs: day, value: 20, assumedS: 1800 },
    { timeMs: day + 60_000, value: 40, assumedS: 1800 },
    { timeMs: day + 23 * HOUR, value: 60, periodS: 3600 },
    { timeMs: day + 24 * HOUR, value: 100, assumedS: 60 },
    { timeMs: day + 25 * HOUR, value: 500, periodS: 86_400 },
  ].map((r) => ({ siteKey: plant, metricId: cod, ...r }));
  await writeBatch(db.pool, { readings, events: [], statuses: [], deadLetters: [] });
});
afterAll(() => db?.drop());

describe('RollupsRepository', () => {
  it('daily figures count days in the district zone', async () => {
    const rows = await rollups.daily([plant], [cod], day, day + 48 * HOUR, TZ);
    expect(rows.sort((a, b) => a.day.localeCompare(b.day))).toEqual([
      { site_key: plant, metric_id: cod, day: '2026-09-10', mean: 40, max: 60, n: 3, hours: 2, valid_hours: 2 },
      { site_key: plant, metric_id: cod, day: '2026-09-11', mean: 100, max: 100, n: 1, hours: 1, valid_hours: 0 },
    ]);
  });

  it('hour series come as arrays in hour order, with the seconds each hour is covered', async () => {
    const [row] = await rollups.hourSeries([plant], [cod], day, day + 48 * HOUR);
    expect(row).toEqual({ site_key: plant, metric_id: cod, hours: [day, day + 23 * HOUR, day + 24 * HOUR], ns: [2, 1, 1], sums: [60, 60, 100], covered: [3600, 3600, 60] });
  });

  it('a daily mean is stored as a reading but is no hour of the rollup', async () => {
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM reading WHERE site_key = $1 AND value = 500', [plant]);
    expect(rows[0].n).toBe(1);
    expect((await rollups.hourlyMeansSince([plant], [cod], day + 25 * HOUR)).length).toBe(0);
  });

  it('means since a time, overall and per valid hour', async () => {
    expect(await rollups.meansSince([plant], [cod], day + HOUR)).toEqual([{ site_key: plant, metric_id: cod, mean: 80 }]);
    const hourly = await rollups.hourlyMeansSince([plant], [cod], day);
    expect(hourly.map((r) => [r.hour.getTime(), r.mean]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [day, 30],
      [day + 23 * HOUR, 60],
      // The next day's hour is covered one minute: no valid hourly value.
    ]);
  });

  it('DailyMeans names the metrics and keys the days by site', async () => {
    const registry = new SiteRegistry();
    await registry.load(new SitesRepository(db.pool));
    const means = await new DailyMeans(rollups, registry, TZ).of('wwtp', ['cod_mgl'], '2026-09-10', '2026-09-10');
    expect(means.get(plant)?.get('2026-09-10')).toEqual({ cod_mgl: { mean: 40, max: 60, n: 3, hours: 2 } });
    expect(means.get(plant)?.has('2026-09-11')).toBe(false);
  });
});
