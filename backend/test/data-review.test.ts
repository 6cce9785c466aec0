import { siteTopic, type AuditRecord, type ReviewMark } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, login, waitFor, withDb } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/**
 * Data review (数据审核) end to end: the whole of October 2026 at two air stations published
 * through the broker at a 5-minute cadence (as automatic stations report), two days of one
 * station marked invalid by an operator, the figures and the monthly report recomputed
 * without them, and the withdrawal restoring them.
 */
const ctx = useHub();
let admin: string;
let operator: string;
let viewer: string;

type Values = Record<string, number>;
const MIN = 60_000;
const at = (date: string, hh = '00:00'): number => Date.parse(`${date}T${hh}:00+08:00`);

// HJ 633-2026 (in force from 2026-03-01). Station A: PM2.5 80 → IAQI 100 + (80 − 60)·50/55 = 118.2 → AQI 119 (light pollution),
// above every other IAQI (PM10 100 → 85.7, O3 8 h 100 → 50). Station B: PM2.5 40 → 50 + (40 − 35)·50/25 = 60 → AQI 60 (good),
// above PM10 60 → 57.1. The district mean of the two, PM2.5 60, is IAQI 100 → AQI 100 (good).
const AIR_A: Values = { pm25: 80, pm10: 100, so2: 10, no2: 30, co: 0.8, o3: 100 };
const AIR_B: Values = { pm25: 40, pm10: 60, so2: 10, no2: 30, co: 0.8, o3: 100 };
const DAYS = Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`);
const PER_DAY = 288; // one 5-minute mean every 5 minutes

async function publishDay(c: mqtt.MqttClient, site: string, date: string, values: Values): Promise<number> {
  const readings = Array.from({ length: PER_DAY }, (_, i) => ({ ts: at(date) + i * 5 * MIN, values }));
  for (let i = 0; i < readings.length; i += 480) {
    await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ readings: readings.slice(i, i + 480) }), { qos: 1 });
  }
  return readings.length * Object.keys(values).length;
}

interface Day {
  date: string;
  aqi: number | null;
}
interface Report {
  air: { district: { valid_days: number; good_days: number; mean: { pm25: number | null }; daily: Day[] }; stations: { site: string; valid_days: number; good_days: number }[] };
  review: { active: number; withdrawn: number; marks: ReviewMark[] };
  archive: { archived_at: string | null; reviewed_at: string | null; stale: boolean };
}

const report = async (): Promise<Report> => (await api<Report>(ctx.t, viewer, '/api/reports/monthly/2026-10')).body;
const regenerate = async (): Promise<void> => {
  expect((await api(ctx.t, admin, '/api/reports/monthly/2026-10/regenerate', { method: 'POST' })).status).toBe(200);
};
const districtAqi = async (): Promise<(number | null)[]> =>
  (await api<{ days: Day[] }>(ctx.t, viewer, '/api/aqi/daily?from=2026-10-01&to=2026-10-04')).body.days.map((d) => d.aqi);
const hekou = (r: Report): { valid_days: number; good_days: number } => r.air.stations.find((s) => s.site === 'air-hekou')!;
const firstFour = (r: Report): (number | null)[] => r.air.district.daily.slice(0, 4).map((d) => d.aqi);

/** The figures with both stations counted every day, as the published data give them. */
function expectUnmarked(r: Report): void {
  expect(firstFour(r)).toEqual([100, 100, 100, 100]);
  expect(r.air.district).toMatchObject({ valid_days: 31, good_days: 31, mean: { pm25: 60 } });
  expect(hekou(r)).toMatchObject({ valid_days: 31, good_days: 0 });
}

const mark = (token: string, body: unknown, site = 'air-hekou') => api<ReviewMark & { message?: unknown }>(ctx.t, token, `/api/sites/${site}/reviews`, { method: 'POST', body: JSON.stringify(body) });
const withdraw = (token: string, id: number, body: unknown) => api<ReviewMark & { message?: unknown }>(ctx.t, token, `/api/reviews/${id}/withdraw`, { method: 'POST', body: JSON.stringify(body) });

beforeAll(async () => {
  admin = await login(ctx.t);
  operator = await addUser(ctx.t, admin, 'review-operator', 'operator');
  viewer = await addUser(ctx.t, admin, 'review-viewer', 'viewer');
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: 'review-test-publisher' });
  let values = 0;
  for (const day of DAYS) {
    values += await publishDay(c, 'air-hekou', day, AIR_A);
    values += await publishDay(c, 'air-lingshui', day, AIR_B);
  }
  await c.endAsync();
  await waitFor(
    async () => withDb(ctx.t, async (db) => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM reading')).rows[0]!.n === values),
    60_000,
    'October stored',
  );
}, 120_000);

describe('data review', () => {
  let markId = 0;

  it('excludes two marked days of one station from its valid days, the district AQI and the report, and the withdrawal restores them', async () => {
    const before = await report();
    expectUnmarked(before);
    // The finished month was archived by that request; nothing was reviewed yet.
    expect(before.archive).toMatchObject({ stale: false, reviewed_at: null });
    expect(before.archive.archived_at).not.toBeNull();
    expect(before.review).toEqual({ active: 0, withdrawn: 0, marks: [] });

    // Oct 2 00:20 – Oct 3 23:40 in the district: whole hours, so Oct 2 00:00 – Oct 4 00:00 (+08:00).
    const created = await mark(operator, { from: '2026-10-02T00:20:00+08:00', to: '2026-10-03T23:40:00+08:00', reason: 'calibration', note: '季度校准 quarterly calibration' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ site: 'air-hekou', metric: null, from: '2026-10-01T16:00:00.000Z', to: '2026-10-03T16:00:00.000Z', reason: 'calibration', created_by: 'review-operator', withdrawn_at: null });
    markId = created.body.id;

    // Oct 2 and 3 now have only station B: AQI 60. The figures of the archive stay as published, but say they are stale.
    expect(await districtAqi()).toEqual([100, 60, 60, 100]);
    const stale = await report();
    expectUnmarked(stale);
    expect(stale.archive.stale).toBe(true);

    await regenerate();
    const marked = await report();
    expect(firstFour(marked)).toEqual([100, 60, 60, 100]);
    // Still 31 valid, good district days; station A keeps 29 days; the monthly PM2.5 mean
    // (29 × 60 + 2 × 40) / 31 = 58.71 → 58.7.
    expect(marked.air.district).toMatchObject({ valid_days: 31, good_days: 31, mean: { pm25: 58.7 } });
    expect(hekou(marked)).toMatchObject({ valid_days: 29, good_days: 0 });
    expect(marked.archive.stale).toBe(false);
    expect(marked.review).toMatchObject({ active: 1, withdrawn: 0, marks: [{ id: markId, site: 'air-hekou', reason: 'calibration', created_by: 'review-operator' }] });
    const html = await (await fetch(`${ctx.t.httpUrl}/api/reports/monthly/2026-10?format=html&lang=zh`, { headers: { authorization: `Bearer ${viewer}` } })).text();
    expect(html).toContain('数据审核');
    expect(html).toContain('2026-10-02 00:00 – 2026-10-04 00:00');
    expect(html).toContain('校准');

    // The raw readings were never deleted.
    const kept = await withDb(ctx.t, async (db) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = 'air-hekou'`)).rows[0]!.n);
    expect(kept).toBe(31 * PER_DAY * 6);

    const withdrawn = await withdraw(operator, markId, { reason: '校准记录有误 calibration log was wrong' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body).toMatchObject({ id: markId, withdrawn_by: 'review-operator', withdrawn_reason: '校准记录有误 calibration log was wrong' });
    expect(await districtAqi()).toEqual([100, 100, 100, 100]);
    expect((await report()).archive.stale).toBe(true);
    await regenerate();
    const restored = await report();
    expectUnmarked(restored);
    expect(restored.review).toMatchObject({ active: 0, withdrawn: 1, marks: [{ id: markId, withdrawn_by: 'review-operator' }] });
    const en = await (await fetch(`${ctx.t.httpUrl}/api/reports/monthly/2026-10?format=csv&lang=en`, { headers: { authorization: `Bearer ${viewer}` } })).text();
    expect(en).toContain('Data review');
    expect(en).toContain('Withdrawn (review-operator');

    // A second withdrawal of the same mark is refused; every mark stays listed.
    expect((await withdraw(operator, markId, { reason: 'again' })).status).toBe(409);
    const listed = await api<ReviewMark[]>(ctx.t, viewer, '/api/sites/air-hekou/reviews?from=2026-10-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00');
    expect(listed.body.map((m) => [m.id, m.withdrawn_by])).toEqual([[markId, 'review-operator']]);
    const district = await api<ReviewMark[]>(ctx.t, viewer, '/api/reviews?from=2026-10-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00');
    expect(district.body.map((m) => m.id)).toEqual([markId]);
    expect((await api<ReviewMark[]>(ctx.t, viewer, '/api/sites/air-lingshui/reviews?from=2026-10-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00')).body).toEqual([]);
  });

  it('puts marks and withdrawals in the audit log', async () => {
    const { body } = await api<AuditRecord[]>(ctx.t, admin, '/api/audit?action=review.');
    const ok = body.filter((e) => e.outcome === 'ok');
    expect(ok.map((e) => [e.action, e.actor, e.target])).toEqual(
      expect.arrayContaining([
        ['review.mark', 'review-operator', 'id=air-hekou'],
        ['review.withdraw', 'review-operator', `id=${markId}`],
      ]),
    );
    expect(ok.find((e) => e.action === 'review.mark')!.detail).toMatchObject({ reason: 'calibration', note: '季度校准 quarterly calibration' });
  });

  it('refuses a viewer (403) and changes nothing', async () => {
    const body = { from: '2026-10-05T00:00:00+08:00', to: '2026-10-06T00:00:00+08:00', reason: 'maintenance' };
    expect((await mark(viewer, body)).status).toBe(403);
    expect((await withdraw(viewer, markId, { reason: 'no' })).status).toBe(403);
    const { body: marks } = await api<ReviewMark[]>(ctx.t, viewer, '/api/reviews?from=2026-10-01T00:00:00%2B08:00&to=2026-11-01T00:00:00%2B08:00');
    expect(marks.map((m) => [m.id, m.withdrawn_reason])).toEqual([[markId, '校准记录有误 calibration log was wrong']]);
  });

  it('answers invalid bodies with 400 and a message saying what is wrong', async () => {
    const ok = { from: '2026-10-05T00:00:00+08:00', to: '2026-10-06T00:00:00+08:00', reason: 'maintenance' };
    const cases: [unknown, RegExp][] = [
      [{ ...ok, to: ok.from }, /end after it starts/],
      [{ ...ok, to: new Date(Date.now() + 86_400_000).toISOString() }, /future/],
      [{ ...ok, from: '2025-01-01T00:00:00+08:00' }, /at most 366 days/],
      [{ ...ok, reason: 'other' }, /needs a note/],
      [{ ...ok, reason: 'sabotage' }, /reason must be one of maintenance/],
      [{ ...ok, note: 'x'.repeat(501) }, /at most 500 characters/],
      [{ ...ok, from: 'yesterday' }, /ISO-8601/],
      [{ ...ok, extra: 1 }, /extra/],
      [{ ...ok, metric: 'cod_mgl' }, /cod_mgl is not a metric of air/],
    ];
    for (const [body, message] of cases) {
      const res = await mark(operator, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(JSON.stringify(res.body.message)).toMatch(message);
    }
    expect((await withdraw(operator, markId, {})).status).toBe(400);
    expect((await withdraw(operator, 999_999, { reason: 'no such mark' })).status).toBe(404);
    expect((await mark(operator, ok, 'no-such-site')).status).toBe(404);
  });
});
