/**
 * Field-shaped air data through the real broker: stations that report every 1, 5 and 60
 * minutes, hourly means that say so, a station that drops readings, stations that change
 * cadence, and an HJ 212 monitor sending hourly packets (CN 2061). Coverage is judged on the
 * time the readings really cover (45 minutes of an hour).
 */
import net from 'node:net';
import { siteTopic, type DayCompleteness, type ReportingInterval } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFrame } from '../src/hj212/frame.js';
import { api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const ctx = useHub();
let token: string;

const MIN = 60_000;
const HOUR = 3_600_000;
const DATE = '2026-11-10';
const D = Date.parse(`${DATE}T00:00:00+08:00`);
const B = { pm25: 40, pm10: 60, so2: 10, no2: 30, co: 0.8, o3: 100 };

interface Entry {
  ts: number;
  values: Record<string, number>;
  period_s?: number;
}

/** Readings every `minutes` from `fromMs` for `hours`, leaving out those `drop` refuses. */
function every(minutes: number, fromMs: number, hours: number, drop: (ms: number) => boolean = () => false): Entry[] {
  const out: Entry[] = [];
  for (let t = fromMs; t < fromMs + hours * HOUR; t += minutes * MIN) if (!drop(t)) out.push({ ts: t, values: B });
  return out;
}

async function publish(site: string, entries: Entry[]): Promise<void> {
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `cadence-${site}-${entries[0]?.ts ?? 0}` });
  for (let i = 0; i < entries.length; i += 500) {
    await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ readings: entries.slice(i, i + 500) }), { qos: 1 });
  }
  await c.endAsync();
}

const completeness = async (site: string, date = DATE): Promise<DayCompleteness> =>
  (await api<DayCompleteness[]>(ctx.t, token, `/api/sites/${site}/completeness?from=${date}&to=${date}`)).body[0]!;
const validHours = async (site: string): Promise<number> => (await completeness(site)).metrics.pm25!.valid_hours;
const dailyAqi = async (site: string): Promise<number | null> =>
  (await api<{ days: { aqi: number | null }[] }>(ctx.t, token, `/api/aqi/daily?from=${DATE}&to=${DATE}&site=${site}`)).body.days[0]!.aqi;

// A 5-minute station that lost 4 readings of hour 3 (8 left: 40 minutes), 3 of hour 7
// (9 left: 45 minutes, still valid) and all of hour 12.
const inHour = (t: number, h: number): boolean => t >= D + h * HOUR && t < D + (h + 1) * HOUR;
const minuteOf = (t: number): number => ((t - D) % HOUR) / MIN;
const gappy = (t: number): boolean => (inHour(t, 3) && minuteOf(t) < 20) || (inHour(t, 7) && minuteOf(t) < 15) || inHour(t, 12);

beforeAll(async () => {
  token = await login(ctx.t);
  await publish('air-hekou', every(1, D, 24));
  await publish('air-lingshui', every(5, D, 24));
  await publish('air-caidaling', every(60, D, 24).map((e) => ({ ...e, period_s: 3600 })));
  await publish('air-qixianling', every(60, D, 24));
  await publish('air-xiaopingdao', every(5, D, 24, gappy));
  await publish('air-huangnichuan', [...every(1, D, 12), ...every(5, D + 12 * HOUR, 12)]);
  await publish('air-yingeshi', [...every(5, D, 12), ...every(1, D + 12 * HOUR, 12)]);
  await waitFor(async () => (await completeness('air-yingeshi')).metrics.pm25!.received === 144 + 720, 30_000, 'readings stored');
}, 120_000);

describe('coverage judged on the time the readings cover', () => {
  it('gives 1-, 5- and 60-minute stations (and hourly means) every valid hour, and the same daily AQI', async () => {
    expect(await validHours('air-hekou')).toBe(24);
    expect(await validHours('air-lingshui')).toBe(24);
    expect(await validHours('air-caidaling')).toBe(24);
    // Hourly readings that do not say so: the first stands for the nominal minute until the
    // second shows the cadence, so that first hour alone is invalid.
    expect(await validHours('air-qixianling')).toBe(23);
    const reference = await dailyAqi('air-hekou');
    expect(reference).toBeGreaterThan(0);
    for (const site of ['air-lingshui', 'air-caidaling', 'air-qixianling']) expect(await dailyAqi(site)).toBe(reference);
  });

  it('gives a station that drops readings exactly the invalid hours the 45-minute rule gives', async () => {
    const day = await completeness('air-xiaopingdao');
    expect(day.metrics.pm25).toMatchObject({ received: 288 - 4 - 3 - 12, valid: 288 - 12 - 12 - 3, valid_hours: 22 });
    expect(await dailyAqi('air-xiaopingdao')).toBe(await dailyAqi('air-hekou'));
  });

  it('follows a device that changes its cadence, either way, without losing an hour', async () => {
    expect(await validHours('air-huangnichuan')).toBe(24); // 1 minute, then 5
    expect(await validHours('air-yingeshi')).toBe(24); // 5 minutes, then 1
  });

  it('shows the learned interval, and an interval an admin sets re-judges the stored hours at once', async () => {
    const interval = async (site: string): Promise<ReportingInterval> =>
      (await api<{ reporting_interval: ReportingInterval }>(ctx.t, token, `/api/sites/${site}`)).body.reporting_interval;
    // Learned intervals are stored every 30 s.
    await waitFor(async () => (await interval('air-lingshui')).source === 'learned', 45_000, 'learned interval stored');
    expect(await interval('air-lingshui')).toEqual({ seconds: 300, source: 'learned' });
    expect(await interval('air-qixianling')).toEqual({ seconds: 3600, source: 'learned' });
    expect(await interval('air-huangnichuan')).toEqual({ seconds: 300, source: 'learned' });

    // Said to report every 10 minutes, hour 3's 8 readings cover 80 minutes: valid.
    const set = await api(ctx.t, token, '/api/sites/air-xiaopingdao', { method: 'PUT', body: JSON.stringify({ reporting_interval_s: 600 }) });
    expect(set.status).toBe(200);
    expect(await interval('air-xiaopingdao')).toEqual({ seconds: 600, source: 'set' });
    expect(await validHours('air-xiaopingdao')).toBe(23);
    expect((await completeness('air-xiaopingdao')).metrics.pm25!.expected).toBe(144);
    // Back to the learned interval: 22 again.
    await api(ctx.t, token, '/api/sites/air-xiaopingdao', { method: 'PUT', body: JSON.stringify({ reporting_interval_s: null }) });
    expect(await validHours('air-xiaopingdao')).toBe(22);
    expect((await completeness('air-xiaopingdao')).metrics.pm25!.expected).toBe(288);
    expect((await interval('air-xiaopingdao')).source).not.toBe('set');
    // Refused: not a whole number of seconds up to a day.
    for (const bad of [0, 1.5, 86_401, '300']) {
      expect((await api(ctx.t, token, '/api/sites/air-xiaopingdao', { method: 'PUT', body: JSON.stringify({ reporting_interval_s: bad }) })).status).toBe(400);
    }
  }, 60_000);

  it('judges the last complete hour the same way for the real-time AQI', async () => {
    const hour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    await publish('air-hekou', every(1, hour, 1));
    await publish('air-lingshui', every(5, hour, 1));
    await publish('air-caidaling', [{ ts: hour, values: B, period_s: 3600 }]);
    await publish('air-xiaopingdao', every(5, hour, 1).slice(0, 8)); // 40 minutes
    type Latest = { stations: { site: string; aqi: number | null }[] };
    let latest: Latest = { stations: [] };
    await waitFor(async () => {
      latest = (await api<Latest>(ctx.t, token, '/api/aqi/latest')).body;
      return latest.stations.filter((s) => s.aqi !== null).length >= 3;
    }, 30_000, 'hourly AQI');
    const aqi = Object.fromEntries(latest.stations.map((s) => [s.site, s.aqi]));
    expect(aqi['air-hekou']).toBeGreaterThan(0);
    expect(aqi['air-lingshui']).toBe(aqi['air-hekou']);
    expect(aqi['air-caidaling']).toBe(aqi['air-hekou']);
    expect(aqi['air-xiaopingdao']).toBeNull();
  });
});

describe('HJ 212 hourly data', () => {
  const MN = '010000A8900016F000169DC0'; // wwtp-hekou in the seed
  const PW = '123456';
  const local = (ms: number): string => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace(/[-T:]/g, '');

  it('gives a valid hour for each CN 2061 packet', async () => {
    const socket = net.connect({ port: ctx.t.hj212Port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    for (let h = 0; h < 24; h++) {
      const qn = `${local(D + h * HOUR)}000`.slice(0, 17);
      socket.write(buildFrame(`QN=${qn};ST=32;CN=2061;PW=${PW};MN=${MN};Flag=4;CP=&&DataTime=${local(D + h * HOUR)};w01018-Avg=30,w01018-Flag=N;w21003-Avg=2,w21003-Flag=N&&`));
    }
    await waitFor(async () => (await completeness('wwtp-hekou')).metrics.cod_mgl!.received === 24, 15_000, 'hourly packets stored');
    socket.destroy();
    const day = await completeness('wwtp-hekou');
    expect(day.metrics.cod_mgl).toMatchObject({ received: 24, valid: 24, valid_hours: 24 });
    expect(day.metrics.nh3n_mgl).toMatchObject({ valid_hours: 24 });
  });
});
