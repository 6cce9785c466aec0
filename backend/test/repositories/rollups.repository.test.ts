import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs } from '../../src/common/district-time.js';
import { writeBatch } from '../../src/ingest/batch-writer.js';
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
  // Two readings in the day's first hour (20, 40), one in its last (60), one the next day (100).
  const readings = [
    [day, 20],
    [day + 60_000, 40],
    [day + 23 * HOUR, 60],
    [day + 24 * HOUR, 100],
  ].map(([timeMs, value]) => ({ siteKey: plant, metricId: cod, timeMs: timeMs!, value: value! }));
  await writeBatch(db.pool, { readings, events: [], statuses: [], deadLetters: [] });
});
afterAll(() => db?.drop());

describe('RollupsRepository', () => {
  it('daily figures count days in the district zone', async () => {
    const rows = await rollups.daily([plant], [cod], day, day + 48 * HOUR, TZ);
    expect(rows.sort((a, b) => a.day.localeCompare(b.day))).toEqual([
      { site_key: plant, metric_id: cod, day: '2026-09-10', mean: 40, max: 60, n: 3, hours: 2 },
      { site_key: plant, metric_id: cod, day: '2026-09-11', mean: 100, max: 100, n: 1, hours: 1 },
    ]);
  });

  it('hour series come as arrays in hour order', async () => {
    const [row] = await rollups.hourSeries([plant], [cod], day, day + 24 * HOUR);
    expect(row).toEqual({ site_key: plant, metric_id: cod, hours: [day, day + 23 * HOUR], ns: [2, 1], sums: [60, 60] });
  });

  it('means since a time, overall and per hour', async () => {
    expect(await rollups.meansSince([plant], [cod], day + HOUR)).toEqual([{ site_key: plant, metric_id: cod, mean: 80 }]);
    const hourly = await rollups.hourlyMeansSince([plant], [cod], day);
    expect(hourly.map((r) => [r.hour.getTime(), r.mean]).sort((a, b) => a[0]! - b[0]!)).toEqual([
      [day, 30],
      [day + 23 * HOUR, 60],
      [day + 24 * HOUR, 100],
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
