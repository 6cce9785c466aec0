import net from 'node:net';
import { metricFor, siteTopic, type LiveSnapshot } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildFrame, takeFrame } from '../src/hj212/frame.js';
import { api, login, waitFor, withDb } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/** Data flags (issue 10 part 2): flagged values are stored apart, shown with their flag, never counted. */
const ctx = useHub();
let token: string;
beforeAll(async () => {
  token = await login(ctx.t);
});

const MIN = 60_000;
const DAY = Date.parse('2026-11-12T00:00:00+08:00'); // a district day
const A = { pm25: 80, pm10: 100, so2: 10, no2: 30, co: 0.8, o3: 100 };
const FLAGGED_HOUR = DAY + 10 * 3_600_000; // 10:00–11:00 district time
const PM25 = metricFor('air', 'pm25')!.id;

type Point = { t: string; avg: number; n: number; flag?: string };
type Latest = Record<string, { value: number; t: string; flag?: string }>;

async function publish(site: string, payloads: unknown[]): Promise<void> {
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `flags-${site}-${Date.now()}` });
  for (const p of payloads) await c.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify(p), { qos: 1 });
  await c.endAsync();
}

const count = (sql: string, values: unknown[]): Promise<number> => withDb(ctx.t, async (c) => Number((await c.query<{ n: string }>(sql, values)).rows[0]!.n));

describe('data flags over the broker', () => {
  it('stores flagged values once with their flag, keeps them out of readings, rollups and the daily AQI, and shows them in the series', async () => {
    // A whole day of normal minute readings, and in one hour a calibration value of PM2.5 500
    // at :30 of each minute (with PM10 beside it, normal): counted, it would move the day's PM2.5.
    const readings: unknown[] = Array.from({ length: 1440 }, (_, i) => ({ ts: DAY + i * MIN, values: A }));
    const flagged = Array.from({ length: 60 }, (_, i) => ({ ts: FLAGGED_HOUR + i * MIN + 30_000, values: { pm25: 500, pm10: 100 }, flags: { pm25: 'C', pm10: 'N' } }));
    const batches = [...readings, ...flagged].reduce<unknown[][]>((acc, r, i) => (i % 400 === 0 ? [...acc, [r]] : (acc.at(-1)!.push(r), acc)), []);
    await publish('air-hekou', batches.map((b) => ({ readings: b })));
    await publish('air-hekou', [{ readings: flagged }]); // redelivered

    const flaggedRows = 'SELECT count(*) AS n FROM reading_flagged f JOIN site s ON s.key = f.site_key WHERE s.id = $1 AND f.metric_id = $2 AND f.flag = $3 AND f.value = 500';
    await waitFor(async () => (await count(flaggedRows, ['air-hekou', PM25, 'C'])) === 60, 30_000, 'flagged values stored');
    await waitFor(async () => (await count('SELECT count(*) AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1 AND r.metric_id = $2', ['air-hekou', PM25])) === 1440, 30_000, 'normal readings stored');
    expect(await count('SELECT count(*) AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1 AND r.value = 500', ['air-hekou'])).toBe(0);
    const hour = await withDb(ctx.t, async (c) => (await c.query(`SELECT h.n, h.max FROM reading_hourly h JOIN site s ON s.key = h.site_key WHERE s.id = 'air-hekou' AND h.metric_id = $1 AND h.hour = $2`, [PM25, new Date(FLAGGED_HOUR)])).rows);
    expect(hour).toEqual([{ n: 60, max: 80 }]);

    // The daily AQI and its mean concentrations: PM2.5 80 (AQI 119), not (1440 × 80 + 60 × 500) / 1500.
    let days: { date: string; aqi: number | null; concentrations: Record<string, number> }[] = [];
    await waitFor(async () => {
      days = (await api<{ days: typeof days }>(ctx.t, token, '/api/aqi/daily?from=2026-11-12&to=2026-11-12&site=air-hekou')).body.days;
      return days[0]?.aqi !== null && days[0]?.aqi !== undefined;
    }, 30_000, 'daily AQI');
    expect(days[0]).toMatchObject({ date: '2026-11-12', aqi: 119 });
    expect(days[0]!.concentrations.pm25).toBe(80);

    // Series with zone-less district times: 10:00–11:00 Shanghai in 5-minute buckets, the flagged values beside them.
    const series = (await api<Point[]>(ctx.t, token, '/api/sites/air-hekou/series?metric=pm25&from=2026-11-12T10:00&to=2026-11-12T11:00&bucket=5m')).body;
    const normal = series.filter((p) => p.flag === undefined);
    expect(normal).toHaveLength(12);
    expect(normal[0]).toMatchObject({ t: new Date(FLAGGED_HOUR).toISOString(), avg: 80, n: 5 });
    expect(normal.every((p) => p.avg === 80)).toBe(true);
    const marked = series.filter((p) => p.flag !== undefined);
    expect(marked).toHaveLength(60);
    expect(marked[0]).toEqual({ t: new Date(FLAGGED_HOUR + 30_000).toISOString(), avg: 500, min: 500, max: 500, n: 1, flag: 'C' });
    expect(series.map((p) => Date.parse(p.t))).toEqual(series.map((p) => Date.parse(p.t)).sort((a, b) => a - b));

    // A bare date is the district day: 2026-11-12 is 2026-11-11T16:00Z … 2026-11-12T16:00Z, 24 hours.
    const dayHours = (await api<Point[]>(ctx.t, token, '/api/sites/air-hekou/series?metric=pm25&from=2026-11-12&to=2026-11-12&bucket=1h')).body.filter((p) => !p.flag);
    expect(dayHours).toHaveLength(24);
    expect(dayHours[0]!.t).toBe('2026-11-11T16:00:00.000Z');
  });

  it('rejects a bad flag for its value alone', async () => {
    const ts = Date.now() - 5 * MIN;
    await publish('air-caidaling', [{ ts, values: { pm25: 31, pm10: 41 }, flags: { pm25: 'Q' } }]);
    await waitFor(async () => (await api<{ latest: Latest }>(ctx.t, token, '/api/sites/air-caidaling')).body.latest.pm10?.value === 41, 20_000, 'pm10 stored');
    const letters = (await api<{ reason: string; detail: string }[]>(ctx.t, token, '/api/dead-letters?limit=100')).body;
    expect(letters.find((l) => l.reason === 'bad_flag')?.detail).toMatch(/flags\.pm25="Q" is not a data flag/);
    expect((await api<{ latest: Latest }>(ctx.t, token, '/api/sites/air-caidaling')).body.latest.pm25?.value).not.toBe(31);
  });

  it('shows when a metric’s newest value is flagged, over HTTP and in the live snapshot', async () => {
    const now = Date.now();
    await publish('air-lingshui', [{ ts: now - 2 * MIN, values: { pm25: 40, pm10: 50 } }, { ts: now - MIN, values: { pm25: 77 }, flags: { pm25: 'M' } }]);
    let latest: Latest = {};
    await waitFor(async () => {
      latest = (await api<{ latest: Latest }>(ctx.t, token, '/api/sites/air-lingshui')).body.latest;
      return latest.pm25?.value === 77;
    }, 20_000, 'flagged newest value');
    expect(latest.pm25).toEqual({ value: 77, t: new Date(now - MIN).toISOString(), flag: 'M' });
    expect(latest.pm10).toEqual({ value: 50, t: new Date(now - 2 * MIN).toISOString() });

    const socket = io(`${ctx.t.httpUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
    const snap = await new Promise<LiveSnapshot>((resolve) => socket.once('snapshot', resolve));
    socket.close();
    expect(snap.sites.find((s) => s.id === 'air-lingshui')!.latest.pm25).toMatchObject({ value: 77, flag: 'M' });

    // A newer normal value replaces it.
    await publish('air-lingshui', [{ ts: now, values: { pm25: 42 } }]);
    await waitFor(async () => (await api<{ latest: Latest }>(ctx.t, token, '/api/sites/air-lingshui')).body.latest.pm25?.value === 42, 20_000, 'normal newest value');
    expect((await api<{ latest: Latest }>(ctx.t, token, '/api/sites/air-lingshui')).body.latest.pm25!.flag).toBeUndefined();
  });
});

describe('data flags over HJ 212', () => {
  const MN = '010000A8900016F000169DC0'; // wwtp-hekou in the seed
  const PW = '123456';

  /** Sends one frame and waits for its acknowledgement (sent only after the data committed). */
  async function sendAcknowledged(frame: Buffer): Promise<void> {
    const socket = net.connect({ port: ctx.t.hj212Port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    const acked = new Promise<void>((resolve) =>
      socket.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (takeFrame(buf).ok) resolve();
      }),
    );
    socket.write(frame);
    await Promise.race([acked, new Promise((_resolve, reject) => setTimeout(() => reject(new Error('no acknowledgement')), 10_000))]);
    socket.destroy();
  }

  it('a value with -Flag=M goes through the pipeline to reading_flagged (once), not to readings or rollups, and the series shows it', async () => {
    const atMs = Math.floor((Date.now() - 3 * MIN) / MIN) * MIN;
    const dataTime = new Date(atMs + 8 * 3_600_000).toISOString().slice(0, 19).replace(/[-T:]/g, '');
    const frame = buildFrame(`QN=${dataTime}000;ST=32;CN=2051;PW=${PW};MN=${MN};Flag=5;CP=&&DataTime=${dataTime};w01018-Avg=480,w01018-Flag=M;w21003-Avg=1.1,w21003-Flag=N&&`);
    await sendAcknowledged(frame);
    await sendAcknowledged(frame); // the monitor sends it again
    const cod = metricFor('wwtp', 'cod_mgl')!.id;
    const nh3n = metricFor('wwtp', 'nh3n_mgl')!.id;
    const at = new Date(atMs);
    expect(await count(`SELECT count(*) AS n FROM reading_flagged f JOIN site s ON s.key = f.site_key WHERE s.id = 'wwtp-hekou' AND metric_id = $1 AND time = $2 AND flag = 'M' AND value = 480`, [cod, at])).toBe(1);
    expect(await count(`SELECT count(*) AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = 'wwtp-hekou' AND metric_id = $1 AND time = $2`, [cod, at])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM reading_hourly h JOIN site s ON s.key = h.site_key WHERE s.id = 'wwtp-hekou' AND metric_id = $1 AND max = 480`, [cod])).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = 'wwtp-hekou' AND metric_id = $1 AND time = $2 AND value = 1.1`, [nh3n, at])).toBe(1);

    const series = (await api<Point[]>(ctx.t, token, `/api/sites/wwtp-hekou/series?metric=cod_mgl&from=${atMs - MIN}&to=${atMs + MIN}`)).body;
    expect(series).toEqual([{ t: at.toISOString(), avg: 480, min: 480, max: 480, n: 1, flag: 'M' }]);
    const site = (await api<{ latest: Latest }>(ctx.t, token, '/api/sites/wwtp-hekou')).body;
    expect(site.latest.cod_mgl).toMatchObject({ value: 480, flag: 'M' });
  });
});
