import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AqiService } from '../../src/air/aqi.service.js';
import { AlertFiguresRepository } from '../../src/alerts/alert-figures.repository.js';
import { dayStartMs } from '../../src/common/district-time.js';
import { GoalsService } from '../../src/goals/goals.service.js';
import { writeBatch } from '../../src/ingest/batch.repository.js';
import { ReviewsRepository } from '../../src/review/reviews.repository.js';
import { buildMonthlyReport } from '../../src/reports/monthly-report.js';
import { ReportSources } from '../../src/reports/report-sources.js';
import { CompletenessService } from '../../src/sites/completeness.service.js';
import { DailyMeans } from '../../src/sites/daily-means.js';
import { EventsRepository } from '../../src/sites/events.repository.js';
import { RollupsRepository } from '../../src/sites/rollups.repository.js';
import { SiteRegistry } from '../../src/sites/site-registry.js';
import { SitesRepository } from '../../src/sites/sites.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const TZ = 'Asia/Shanghai';
const HOUR = 3_600_000;
let db: FreshDatabase;
let sources: ReportSources;
let events: EventsRepository;
let alertFigures: AlertFiguresRepository;
let goals: GoalsService;
/** The sites of each CompletenessService.ofSites call. */
const completenessCalls: string[][] = [];
const sept = dayStartMs('2026-09-01', TZ);
const oct = dayStartMs('2026-10-01', TZ);

beforeAll(async () => {
  db = await freshDatabase();
  // The first air station reports every 5 minutes, as its admin set.
  await db.pool.query('UPDATE site SET reporting_interval_s = 300 WHERE key = $1', [firstOfKind(db, 'air').key]);
  const registry = new SiteRegistry();
  await registry.load(new SitesRepository(db.pool));
  const rollups = new RollupsRepository(db.pool);
  events = new EventsRepository(db.pool);
  alertFigures = new AlertFiguresRepository(db.pool);
  const aqi = new AqiService(rollups, registry, TZ);
  const dailyMeans = new DailyMeans(rollups, registry, TZ);
  const completeness = new CompletenessService(rollups, registry, TZ);
  const counted: Pick<CompletenessService, 'ofSites'> = {
    ofSites: (sites, from, to, nowMs) => {
      completenessCalls.push(sites.map((s) => s.id));
      return completeness.ofSites(sites, from, to, nowMs);
    },
  };
  sources = new ReportSources(alertFigures, events, registry, aqi, dailyMeans, TZ, new ReviewsRepository(db.pool), counted);
  goals = new GoalsService(rollups, alertFigures, events, registry, aqi, dailyMeans, TZ);

  const port = firstOfKind(db, 'fishing_port').key;
  const plant = firstOfKind(db, 'wwtp').key;
  await writeBatch(db.pool, {
    readings: [{ siteKey: plant, metricId: metricFor('wwtp', 'cod_mgl')!.id, timeMs: sept + 10 * HOUR, value: 30, assumedS: 3600 }],
    events: [
      { siteKey: port, timeMs: sept + HOUR, type: 'inspection', data: { result: 'fail', hazards: ['a', 'b'] } },
      { siteKey: port, timeMs: sept + 2 * HOUR, type: 'inspection', data: { result: 'pass' } },
      { siteKey: port, timeMs: sept + 3 * HOUR, type: 'rectified', data: {} },
      // Next month: outside September's report, inside the goals board's open-ended count.
      { siteKey: port, timeMs: oct + HOUR, type: 'rectified', data: {} },
    ],
    statuses: [],
    deadLetters: [],
  });
  // 1 September at the 5-minute station: PM2.5 over hours 0–9 (12 readings each, each covering
  // 300 s: 10 valid hours), 6 readings in hour 10 (30 minutes: an invalid hour), one flagged value in hour 12.
  const air = firstOfKind(db, 'air').key;
  const pm25 = metricFor('air', 'pm25')!.id;
  const fiveMinutes = Array.from({ length: 126 }, (_, i) => ({ siteKey: air, metricId: pm25, timeMs: sept + i * 300_000, value: 20, assumedS: 300 }));
  await writeBatch(db.pool, {
    readings: fiveMinutes,
    flagged: [{ siteKey: air, metricId: pm25, timeMs: sept + 12 * HOUR, value: 900, assumedS: 300, flag: 'D' }],
    events: [],
    statuses: [],
    deadLetters: [],
  });
  await db.pool.query(
    `INSERT INTO alert (site_key, rule_id, severity, state, title_zh, title_en, opened_at, last_triggered_at, announced_at, acknowledged_at)
     VALUES ($1, 'gas-leak', 'critical', 'active', '泄漏', 'Leak', $2, $2, $2, $3)`,
    [firstOfKind(db, 'gas_point').key, new Date(sept + HOUR), new Date(sept + HOUR + 4 * 60_000)],
  );
});
afterAll(() => db?.drop());

describe('report sources', () => {
  it('gathers a month: daily means, port events and alerts', async () => {
    const input = await sources.gather('2026-09', oct + 2 * 86_400_000);
    expect(input.days).toHaveLength(30);
    expect(input.complete).toBe(true);
    expect(input.wwtp[0]!.days.get('2026-09-01')).toMatchObject({ cod_mgl: { mean: 30, n: 1, hours: 1 } });
    const port = firstOfKind(db, 'fishing_port').id;
    expect(input.events.filter((e) => e.site === port).sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { site: port, type: 'inspection', count: 2, hazards: 2, failed: 1 },
      { site: port, type: 'rectified', count: 1, hazards: 0, failed: 0 },
    ]);
    expect(input.alerts).toEqual([
      expect.objectContaining({ site: firstOfKind(db, 'gas_point').id, rule_id: 'gas-leak', severity: 'critical', opened_at: sept + HOUR, acknowledged_at: sept + HOUR + 240_000, resolved_at: null }),
    ]);
    expect(input.air.stations.length).toBeGreaterThan(0);
  });

  it('gathers every air and water station’s completeness in one call, from the rollup and the flagged values', async () => {
    completenessCalls.length = 0;
    const input = await sources.gather('2026-09', oct + 2 * 86_400_000);
    expect(completenessCalls).toHaveLength(1);
    const stations = (kind: string): string[] => [...db.sites.values()].filter((s) => s.kind === kind).map((s) => s.id);
    expect(completenessCalls[0]!.sort()).toEqual([...stations('air'), ...stations('wwtp'), ...stations('river'), ...stations('seawater')].sort());
    expect(input.completeness).toHaveLength(completenessCalls[0]!.length);

    const air = input.completeness!.find((c) => c.site.site === firstOfKind(db, 'air').id)!;
    expect(air).toMatchObject({ kind: 'air', interval: { seconds: 300, source: 'set' } });
    expect(air.days).toHaveLength(30);
    // 126 stored + 1 flagged received; the 120 of hours 0–9 valid.
    expect(air.days[0]!.metrics.pm25).toEqual({ expected: 288, received: 127, valid: 120, valid_hours: 10 });
    expect(air.days[1]!.metrics.pm25).toEqual({ expected: 288, received: 0, valid: 0, valid_hours: 0 });
    const plant = input.completeness!.find((c) => c.site.site === firstOfKind(db, 'wwtp').id)!;
    expect(plant.days[0]!.metrics.cod_mgl).toEqual({ expected: 1440, received: 1, valid: 1, valid_hours: 1 });

    // The report: 6 pollutants × 30 days × 288 expected; one PM2.5 day of data is far from a valid month.
    const row = buildMonthlyReport(input).completeness!.stations.find((s) => s.site === firstOfKind(db, 'air').id)!;
    expect(row).toMatchObject({ interval_s: 300, interval_source: 'set', expected: 51_840, received: 127, valid: 120, capture_rate: 0.0023, valid_days: 0, valid_month: false });
    expect(row.valid_hours_share).toBe(0.0023); // 10 of 30 × 24 × 6 metric-hours
  });

  it('counts events without an upper bound for the goals board', async () => {
    const counts = await events.countsBySiteAndType([firstOfKind(db, 'fishing_port').key], sept, null);
    expect(counts.find((c) => c.type === 'rectified')?.count).toBe(2);
  });

  it('alert figures for the goals board', async () => {
    expect(await alertFigures.countOpenedSince('gas-leak', sept)).toBe(1);
    expect(await alertFigures.countOpenedSince('gas-leak', oct)).toBe(0);
    expect(await alertFigures.gasPoints(sept)).toEqual({ open_critical: 1, open_all: 1, median_ack: 4 });
  });
});

describe('goals board', () => {
  it('reads the same port counts and alert figures as the report', async () => {
    const board = await goals.goals(sept + 20 * 86_400_000);
    const figures = (id: string): Record<string, number | null> => Object.fromEntries(board.goals.find((g) => g.id === id)!.figures.map((f) => [f.key, f.value]));
    // Open-ended: the rectification dated in October counts too.
    expect(figures('ports')).toEqual({ inspections: 2, hazards: 2, rectified_ratio: 1 });
    expect(figures('gas')).toEqual({ open_critical: 1, open_alerts: 1, median_ack_minutes: 4 });
    expect(figures('wastewater').compliant_hours_ratio).not.toBeUndefined();
  });
});
