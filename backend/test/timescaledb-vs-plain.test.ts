/**
 * The same field-shaped data through two hubs, one on TimescaleDB (DATABASE_URL's server) and
 * one on plain PostgreSQL (a private cluster without the TimescaleDB preload): stations every
 * 1, 5 and 60 minutes, hourly means that say so, gaps, and late data (some of it into chunks
 * the compression policy has compressed, and redelivered). Series, AQI, completeness, goals
 * and the monthly report must answer the same over HTTP.
 */
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayStartMs, localDate } from '../src/common/district-time.js';
import { api, login, makeTestEnv, startHub, waitFor, withDb, type Hub, type TestEnv } from './harness/hub-process.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';
import { hasTimescaleDb, runPolicy, timescaleDbSkipReason } from './timescaledb.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';
const skipReason = (await timescaleDbSkipReason()) ?? (privatePostgresAvailable ? null : 'skipped: no PostgreSQL binaries for a private plain cluster');

type Values = Record<string, number>;
interface Entry {
  ts: number;
  values: Values;
  period_s?: number;
}
interface Side {
  t: TestEnv;
  hub: Hub;
  token: string;
}

const AIR = (k: number): Values => ({ pm25: 30 + (k % 40), pm10: 50 + (k % 60), so2: 8 + (k % 5), no2: 25 + (k % 20), co: 0.6 + (k % 4) / 10, o3: 80 + (k % 50) });
const EFFLUENT = (k: number): Values => ({ cod_mgl: 20 + (k % 30), nh3n_mgl: 1 + (k % 5) / 10, tn_mgl: 9, tp_mgl: 0.25, ss_mgl: 6, ph: 7.1, water_temp_c: 20, flow_m3h: 2400 + (k % 500) });
const SEA: Values = { ph: 8.1, do_mgl: 7.2, cod_mgl: 1.2, din_mgl: 0.12, dip_mgl: 0.01, oil_mgl: 0.02 };
const RIVER = (k: number): Values => ({ do_mgl: 6 + (k % 3), codmn_mgl: 4, cod_mgl: 15, nh3n_mgl: 0.5 + (k % 4) / 10, tp_mgl: 0.1, ph: 7.4, water_temp_c: 18 });

/** Readings every `minutes` from `fromMs` for `hours`, leaving out those `drop` refuses. */
function every(minutes: number, fromMs: number, hours: number, values: (k: number) => Values, drop: (ms: number) => boolean = () => false): Entry[] {
  const out: Entry[] = [];
  for (let t = fromMs; t < fromMs + hours * HOUR; t += minutes * MIN) if (!drop(t)) out.push({ ts: t, values: values(t / MIN) });
  return out;
}

describe.skipIf(skipReason !== null)(`TimescaleDB answers as plain PostgreSQL${skipReason ? ` (${skipReason})` : ''}`, () => {
  let plainPg: PrivatePostgres;
  let tsdb: Side;
  let plain: Side;
  const now = Date.now();
  // An older day in chunks the compression policy compresses, and a recent one.
  const oldDate = localDate(now - 20 * DAY, TZ);
  const newDate = localDate(now - 3 * DAY, TZ);
  const D0 = dayStartMs(oldDate, TZ);
  const D1 = dayStartMs(newDate, TZ);
  const gappy = (day: number) => (t: number): boolean => (t >= day + 3 * HOUR && t < day + 3 * HOUR + 20 * MIN) || (t >= day + 12 * HOUR && t < day + 13 * HOUR);

  const publishAll = async (site: string, entries: Entry[]): Promise<void> => {
    for (const url of new Set([tsdb.t.mqttUrl, plain.t.mqttUrl])) {
      const c = await mqtt.connectAsync(url, { clientId: `tsdb-vs-plain-${site}-${entries[0]?.ts ?? 0}` });
      for (let i = 0; i < entries.length; i += 500) {
        await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ readings: entries.slice(i, i + 500) }), { qos: 1 });
      }
      await c.endAsync();
    }
  };
  const publishEvent = async (site: string, ts: number, type: string, data: object): Promise<void> => {
    for (const url of new Set([tsdb.t.mqttUrl, plain.t.mqttUrl])) {
      const c = await mqtt.connectAsync(url, { clientId: `tsdb-vs-plain-ev-${site}-${ts}` });
      await c.publishAsync(siteTopic(site, 'events'), JSON.stringify({ ts, type, data }), { qos: 1 });
      await c.endAsync();
    }
  };
  const storedBoth = async (): Promise<[string, string]> => {
    const q = (s: Side): Promise<string> =>
      withDb(s.t, async (c) => JSON.stringify((await c.query(`SELECT (SELECT count(*) FROM reading) AS r, (SELECT count(*) FROM event) AS e, (SELECT sum(n) FROM reading_hourly) AS h, (SELECT string_agg(DISTINCT left(detail, 200), ' | ') FROM dead_letter) AS d`)).rows[0]));
    return [await q(tsdb), await q(plain)];
  };
  const settle = async (readings: number, events: number): Promise<void> => {
    const want = JSON.stringify({ r: String(readings), e: String(events), h: String(readings), d: null });
    let seen: string[] = [];
    await waitFor(async () => (seen = await storedBoth()).every((s) => s === want), 90_000, `both hubs store ${want}`).catch((err: Error) => {
      throw new Error(`${err.message}; stored ${seen.join(' and ')}`);
    });
  };

  beforeAll(async () => {
    plainPg = await startPrivatePostgres();
    // Each hub on its own broker: the machine's broker may carry other publishers' readings.
    const ta = await makeTestEnv({ embeddedBroker: true });
    const tb = await makeTestEnv({ databaseServerUrl: plainPg.url, embeddedBroker: true });
    const [ha, hb] = await Promise.all([startHub(ta), startHub(tb)]);
    tsdb = { t: ta, hub: ha, token: await login(ta) };
    plain = { t: tb, hub: hb, token: await login(tb) };
    expect(await withDb(tsdb.t, hasTimescaleDb)).toBe(true);
    expect(await withDb(plain.t, hasTimescaleDb)).toBe(false);

    let readings = 0;
    const send = async (site: string, entries: Entry[]): Promise<void> => {
      await publishAll(site, entries);
      readings += entries.reduce((n, e) => n + Object.keys(e.values).length, 0);
    };
    for (const day of [D0, D1]) {
      await send('air-hekou', every(1, day, 24, AIR));
      await send('air-lingshui', every(5, day, 24, AIR, gappy(day)));
      await send('air-caidaling', every(60, day, 24, AIR).map((e) => ({ ...e, period_s: 3600 })));
      await send('wwtp-hekou', every(10, day, 24, EFFLUENT));
      await send('sea-lingshuiwan', every(60, day, 24, () => SEA));
      await send('river-lingshuihe-mouth', every(5, day, 24, RIVER, gappy(day)));
    }
    await publishEvent('port-longwangtang', D0 + 8 * HOUR, 'inspection', { vessel: '辽大甘渔 1', result: 'fail', hazards: ['life-jackets'] });
    await publishEvent('port-longwangtang', D1 + 9 * HOUR, 'inspection', { vessel: '辽大甘渔 2', result: 'pass', hazards: [] });
    await settle(readings, 2);

    // The old day's chunks compressed, then late data arrives: the gaps filled (into compressed
    // chunks on TimescaleDB), a station that starts a day late, and a whole day sent again.
    await withDb(tsdb.t, (c) => runPolicy(c, 'policy_compression', 'reading'));
    for (const day of [D0, D1]) {
      await send('air-lingshui', every(5, day, 24, AIR).filter((e) => gappy(day)(e.ts)));
      await send('river-lingshuihe-mouth', every(5, day, 24, RIVER).filter((e) => gappy(day)(e.ts)));
    }
    await send('air-yingeshi', every(1, D0 + 12 * HOUR, 36, AIR));
    await publishAll('air-hekou', every(1, D0, 24, AIR));
    await settle(readings, 2);
  });

  afterAll(async () => {
    await Promise.all([tsdb?.hub.stop(), plain?.hub.stop()]);
    await Promise.all([tsdb?.t.cleanup(), plain?.t.cleanup()]);
    plainPg?.destroy();
  });

  /** The same request to both hubs; each answer with the time it was made at left out. */
  const both = async (path: string): Promise<[unknown, unknown]> => {
    const get = async (s: Side): Promise<unknown> => {
      const r = await api<unknown>(s.t, s.token, path);
      expect(r.status, path).toBe(200);
      // When each hub computed or archived its copy is its own bookkeeping, not a figure.
      return JSON.parse(JSON.stringify(r.body), (k, v: unknown) => (['as_of', 'generated_at', 'archived_at', 'gathered_at'].includes(k) ? undefined : v));
    };
    return [await get(tsdb), await get(plain)];
  };

  it('series in every bucket', async () => {
    const paths: string[] = [];
    for (const [site, metric] of [['air-hekou', 'pm25'], ['air-lingshui', 'o3'], ['air-caidaling', 'no2'], ['wwtp-hekou', 'cod_mgl'], ['river-lingshuihe-mouth', 'do_mgl']]) {
      // Fine buckets a day at a time (at most 20,000 points an answer), hours and days over the whole span.
      for (const bucket of ['raw', '1m', '5m']) for (const day of [D0, D1]) paths.push(`/api/sites/${site}/series?metric=${metric}&from=${day}&to=${day + DAY}&bucket=${bucket}`);
      for (const bucket of ['1h', '1d']) paths.push(`/api/sites/${site}/series?metric=${metric}&from=${D0}&to=${D1 + DAY}&bucket=${bucket}`);
    }
    for (const p of paths) {
      const [a, b] = await both(p);
      expect(a, p).toEqual(b);
      expect((a as unknown[]).length, p).toBeGreaterThan(0);
    }
  });

  it('daily and latest AQI, completeness', async () => {
    const from = oldDate;
    const to = addDays(newDate, 1);
    for (const p of [
      `/api/aqi/daily?from=${from}&to=${to}`,
      ...['air-hekou', 'air-lingshui', 'air-caidaling', 'air-yingeshi'].map((s) => `/api/aqi/daily?from=${from}&to=${to}&site=${s}`),
      '/api/aqi/latest',
      ...['air-lingshui', 'river-lingshuihe-mouth', 'wwtp-hekou'].map((s) => `/api/sites/${s}/completeness?from=${from}&to=${to}`),
    ]) {
      const [a, b] = await both(p);
      expect(a, p).toEqual(b);
    }
    const [daily] = await both(`/api/aqi/daily?from=${oldDate}&to=${oldDate}&site=air-lingshui`);
    expect((daily as { days: { aqi: number | null }[] }).days[0]!.aqi).toEqual(expect.any(Number));
  });

  it('goals and the monthly reports of both days', async () => {
    const [ga, gb] = await both('/api/goals');
    expect(ga).toEqual(gb);
    for (const month of new Set([oldDate.slice(0, 7), newDate.slice(0, 7)])) {
      const [a, b] = await both(`/api/reports/monthly/${month}`);
      expect(a, month).toEqual(b);
      expect(JSON.stringify(a)).toContain('air-hekou');
    }
  });
});
