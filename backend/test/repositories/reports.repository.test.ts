import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sawOf, staleState } from '../../src/reports/archive.js';
import { buildMonthlyReport, type MonthlyReport } from '../../src/reports/monthly-report.js';
import { daysOfMonth } from '../../src/reports/report-sources.js';
import { ReportsRepository } from '../../src/reports/reports.repository.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const TZ = 'Asia/Shanghai';
let db: FreshDatabase;
let repo: ReportsRepository;
let site: number;

function figures(): MonthlyReport {
  return buildMonthlyReport({
    month: '2026-11', days: daysOfMonth('2026-11'), complete: true, asOfMs: Date.parse('2026-11-30T16:00:00Z'), tz: TZ,
    air: { version: '2026', district: [], stations: [] }, wwtp: [], rivers: [], sea: [], pumps: [], gas: [], ports: [], ebike: [], alerts: [], reviews: [],
    events: [{ site: 'port-a', type: 'departure', count: 1, hazards: 0, failed: 0 }],
  });
}
const saw = async (): Promise<ReturnType<typeof sawOf>> => sawOf(figures(), await repo.nowMs(), null);
const facts = async (month = '2026-11') => (await repo.lateFacts(month))[0]!;
const state = async (month = '2026-11') => {
  const f = await facts(month);
  return staleState(f.gatheredAtMs, f.late, f.reviewedMs);
};

/** An alert opened at `openedMs` (district month by its opening), raised now as its trail says. */
async function alertOpened(openedMs: number, rule: string): Promise<void> {
  await db.pool.query(
    `WITH a AS (INSERT INTO alert (site_key, rule_id, severity, state, title_zh, title_en, opened_at, last_triggered_at, announced_at)
                VALUES ($1, $3, 'major', 'active', '告警', 'alert', $2, $2, now()) RETURNING id)
     INSERT INTO alert_event (alert_id, action) SELECT id, 'opened' FROM a`,
    [site, new Date(openedMs), rule],
  );
}

beforeAll(async () => {
  db = await freshDatabase();
  repo = new ReportsRepository(db.pool, TZ);
  site = firstOfKind(db, 'gas_point').key;
});
afterAll(() => db?.drop());

describe('the reports repository: versions and late data', () => {
  it('archives version 1 once (a second insert is a no-op), then adds versions without overwriting any', async () => {
    expect(await repo.insertIfAbsent('2026-11', figures(), await saw())).toMatchObject({ version: 1 });
    expect(await repo.insertIfAbsent('2026-11', figures(), await saw())).toBeNull();
    expect(await repo.addVersion('2026-11', figures(), 'admin', 'admin', await saw())).toMatchObject({ version: 2 });
    const versions = (await repo.versions()).get('2026-11')!;
    expect(versions.map((v) => [v.version, v.why, v.generated_by])).toEqual([
      [2, 'admin', 'admin'],
      [1, 'scheduled', null],
    ]);
    expect(versions[0]!.saw).toMatchObject({ alerts: 0, readings: 0, review_marks: 0 });
    expect((await repo.findVersion('2026-11', 1))?.version).toBe(1);
    expect(await repo.find('2026-11')).toMatchObject({ version: 2, why: 'admin' });
  });

  it('late readings recorded after the newest version was gathered make it stale; older records do not', async () => {
    await repo.noteLate([{ month: '2026-10', reason: 'readings' }]); // a month never archived: kept, harmless
    expect((await state()).stale).toBe(false);
    await repo.noteLate([
      { month: '2026-11', reason: 'readings' },
      { month: '2026-11', reason: 'events' },
    ]);
    expect(await state()).toMatchObject({ stale: true, stale_reasons: ['readings', 'events'] });
    // A new version takes them in; the next arrival starts a new stale period.
    await repo.addVersion('2026-11', figures(), null, 'rule', await saw());
    expect((await state()).stale).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await repo.noteLate([{ month: '2026-11', reason: 'readings' }]);
    const s = await state();
    expect(s.stale_reasons).toEqual(['readings']);
    expect(Date.parse(s.stale_since!)).toBeGreaterThan((await facts()).gatheredAtMs);
  });

  it('data stored before a version was gathered, but marked after it, do not make it stale', async () => {
    await repo.addVersion('2026-11', figures(), null, 'admin', await saw());
    const gathered = (await facts()).gatheredAtMs;
    // The hub writes its marks up to a second after storing: the version already holds these data.
    await repo.noteLate([{ month: '2026-11', reason: 'events', atMs: gathered - 500 }]);
    expect((await state()).stale).toBe(false);
    await repo.noteLate([{ month: '2026-11', reason: 'events', atMs: gathered + 1 }]);
    expect(await state()).toMatchObject({ stale: true, stale_reasons: ['events'] });
    // Leave the month fresh for the tests after this one.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await repo.addVersion('2026-11', figures(), null, 'admin', await saw());
    expect((await state()).stale).toBe(false);
  });

  it('an alert of the month raised after gathering makes it stale; one of another month does not', async () => {
    await repo.addVersion('2026-11', figures(), null, 'rule', await saw());
    await alertOpened(Date.parse('2026-12-03T10:00:00+08:00'), 'r1');
    expect((await state()).stale).toBe(false);
    await alertOpened(Date.parse('2026-11-30T23:30:00+08:00'), 'r2');
    expect(await state()).toMatchObject({ stale: true, stale_reasons: ['alerts'] });
  });

  it('a data-review mark touching the month, created after gathering, makes it stale', async () => {
    await repo.addVersion('2026-11', figures(), null, 'rule', await saw());
    expect((await state()).stale).toBe(false);
    await db.pool.query(
      `INSERT INTO review_mark (site_key, from_ts, to_ts, reason, created_by) VALUES ($1, $2, $3, 'maintenance', 'op')`,
      [site, new Date('2026-11-05T00:00:00+08:00'), new Date('2026-11-05T02:00:00+08:00')],
    );
    expect(await state()).toMatchObject({ stale: true, stale_reasons: ['review'] });
    expect((await repo.lateFacts()).map((f) => f.month)).toEqual(['2026-11']);
  });
});
