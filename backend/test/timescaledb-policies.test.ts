/**
 * TimescaleDB's policies under a running hub: the compression job runs while devices keep
 * publishing and nothing is lost; the retention job drops old raw chunks and the rollups
 * still answer the hourly series and the AQI of those days. Runs only where DATABASE_URL's
 * server has TimescaleDB (.ci/run: the pass on 15/main).
 */
import { metricFor, siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { dayStartMs, localDate } from '../src/common/district-time.js';
import { writeBatch } from '../src/ingest/batch.repository.js';
import type { ReadingRow } from '../src/ingest/message-parser.js';
import { api, login, waitFor, withDb } from './harness/hub-process.js';
import { chunks, hasTimescaleDb, runPolicy, timescaleDbSkipReason } from './timescaledb.js';
import { useHub } from './use-hub.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const TZ = 'Asia/Shanghai';
const B = { pm25: 40, pm10: 60, so2: 10, no2: 30, co: 0.8, o3: 100 };
const skipReason = await timescaleDbSkipReason();

describe.skipIf(skipReason !== null)(`TimescaleDB policies under a running hub${skipReason ? ` (${skipReason})` : ''}`, () => {
  const ctx = useHub({ RETENTION_DAYS: '30' });
  let token: string;
  const count = (site: string, fromMs = 0, toMs = Date.now() + DAY): Promise<number> =>
    withDb(ctx.t, async (c) =>
      Number((await c.query(
        `SELECT count(*) FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1 AND r.time >= $2 AND r.time < $3`,
        [site, new Date(fromMs), new Date(toMs)],
      )).rows[0].count),
    );
  const rollupN = (site: string): Promise<number> =>
    withDb(ctx.t, async (c) =>
      Number((await c.query(`SELECT coalesce(sum(n), 0) AS n FROM reading_hourly h JOIN site s ON s.key = h.site_key WHERE s.id = $1`, [site])).rows[0].n),
    );

  beforeAll(async () => {
    token = await login(ctx.t);
    expect(await withDb(ctx.t, hasTimescaleDb)).toBe(true);
  });

  it('compresses the chunks past 7 days while a device keeps publishing: every reading stored once, the rollup exact', async () => {
    // Six days of one-minute air readings from 20 days ago: chunks the policy compresses.
    const oldFrom = Math.floor((Date.now() - 20 * DAY) / HOUR) * HOUR;
    const old: { ts: number; values: typeof B }[] = [];
    for (let t = oldFrom; t < oldFrom + 6 * DAY; t += MIN) old.push({ ts: t, values: B });
    const dev = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `tsdb-old-${Date.now()}` });
    for (let i = 0; i < old.length; i += 500) {
      await dev.publishAsync(siteTopic('air-qixianling', 'telemetry'), JSON.stringify({ readings: old.slice(i, i + 500) }), { qos: 1 });
    }
    const oldReadings = old.length * Object.keys(B).length;
    await waitFor(async () => (await count('air-qixianling')) === oldReadings, 60_000, 'old readings stored');

    // A pump station publishing every 10 ms, current time, all through the job.
    const live = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `tsdb-live-${Date.now()}` });
    let published = 0;
    let stop = false;
    const publishing = (async () => {
      while (!stop) {
        await live.publishAsync(siteTopic('pump-caidaling', 'telemetry'), JSON.stringify({ ts: Date.now(), values: { wet_well_level_m: 2 + (published % 10) / 10 } }), { qos: 1 });
        published++;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    await waitFor(async () => (await count('pump-caidaling')) > 20, 20_000, 'live readings flowing');
    const jobStart = Date.now();
    await withDb(ctx.t, (c) => runPolicy(c, 'policy_compression', 'reading'));
    const jobEnd = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop = true;
    await publishing;
    await live.endAsync();
    await dev.endAsync();
    await waitFor(async () => (await count('pump-caidaling')) === published, 30_000, 'every live reading stored');
    const duringJob = await count('pump-caidaling', jobStart, jobEnd);
    console.log(`compression job ran ${jobEnd - jobStart} ms; ${duringJob} live readings stored meanwhile, ${published} in all`);

    const all = await withDb(ctx.t, (c) => chunks(c, 'reading'));
    const oldChunks = all.filter((c) => c.toMs > oldFrom && c.fromMs < oldFrom + 6 * DAY);
    expect(oldChunks.length).toBeGreaterThan(0);
    expect(oldChunks.every((c) => c.compressed)).toBe(true);
    expect(all.find((c) => c.toMs > Date.now())?.compressed).toBe(false);
    // Ingestion went on while the job ran, nothing lost, nothing twice; the rollups agree.
    expect(duringJob).toBeGreaterThan(0);
    expect(await count('air-qixianling')).toBe(oldReadings);
    expect(await rollupN('air-qixianling')).toBe(oldReadings);
    expect(await rollupN('pump-caidaling')).toBe(published);
    expect((await fetch(`${ctx.t.httpUrl}/api/health`)).status).toBe(200);
  });

  it('drops raw chunks past RETENTION_DAYS and keeps their rollups: hourly and daily series and the daily AQI answer as before', async () => {
    // A whole district day of one-minute readings, 40 days ago, written by the hub's own batch
    // statement (the hub refuses readings older than its retention window).
    const date = localDate(Date.now() - 40 * DAY, TZ);
    const from = dayStartMs(date, TZ);
    const site = 'air-longwangtang';
    const pool = new pg.Pool({ connectionString: ctx.t.dbUrl(), max: 2 });
    try {
      const key = (await pool.query<{ key: number }>('SELECT key FROM site WHERE id = $1', [site])).rows[0]!.key;
      const readings: ReadingRow[] = [];
      for (let t = from; t < from + DAY; t += MIN) {
        for (const [name, v] of Object.entries(B)) readings.push({ siteKey: key, metricId: metricFor('air', name)!.id, timeMs: t, value: v + ((t / MIN) % 7), assumedS: 60 });
      }
      for (let i = 0; i < readings.length; i += 5000) await writeBatch(pool, { readings: readings.slice(i, i + 5000), events: [], statuses: [], deadLetters: [] });
    } finally {
      await pool.end();
    }
    const answers = async (): Promise<unknown[]> =>
      Promise.all(
        [
          `/api/sites/${site}/series?metric=pm25&from=${from}&to=${from + DAY}&bucket=1h`,
          `/api/sites/${site}/series?metric=o3&from=${from}&to=${from + DAY}&bucket=1d`,
          `/api/aqi/daily?from=${date}&to=${date}&site=${site}`,
        ].map(async (p) => {
          const r = await api<unknown>(ctx.t, token, p);
          expect(r.status).toBe(200);
          return r.body;
        }),
      );
    const raw = async (): Promise<unknown[]> => (await api<unknown[]>(ctx.t, token, `/api/sites/${site}/series?metric=pm25&from=${from}&to=${from + DAY}&bucket=raw`)).body;
    const before = await answers();
    expect((before[0] as unknown[]).length).toBe(24);
    expect((before[2] as { days: { aqi: number | null }[] }).days[0]!.aqi).toEqual(expect.any(Number));
    expect((await raw()).length).toBe(24 * 60);
    expect(await count(site, from, from + DAY)).toBe(24 * 60 * 6);

    await withDb(ctx.t, (c) => runPolicy(c, 'policy_retention', 'reading'));

    const left = await withDb(ctx.t, (c) => chunks(c, 'reading'));
    expect(left.every((c) => c.toMs > Date.now() - 30 * DAY)).toBe(true);
    expect(await count(site, from, from + DAY)).toBe(0);
    expect(await raw()).toEqual([]);
    expect(await answers()).toEqual(before);
  });
});
