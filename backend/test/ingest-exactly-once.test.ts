import { metricFor, siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { describe, expect, it } from 'vitest';
import { waitFor, withDb } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const SITE = 'air-lingshui';
const METRICS = ['pm25', 'pm10', 'so2', 'no2', 'co', 'o3', 'temp_c', 'humidity_pct', 'wind_speed_ms', 'wind_dir_deg'];
const TIMES = 1000; // 1000 timestamps × 10 metrics = 10,000 readings

const ctx = useHub();

function values(i: number): Record<string, number> {
  return Object.fromEntries(METRICS.map((m, j) => [m, ((i * 7 + j * 13) % 50) + (j === 4 ? 0.5 : 1)]));
}

describe('ingestion through a real broker into PostgreSQL', () => {
  it('stores 10,000 QoS 1 readings exactly once despite duplicates and a buffered batch, with an exact hourly rollup', async () => {
    const start = Date.now() - 4 * 3_600_000;
    const ts = (i: number): number => start + i * 10_000; // every 10 s over ~2.8 hours
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `exactly-once-${Date.now()}` });
    const topic = siteTopic(SITE, 'telemetry');
    const sends: Promise<unknown>[] = [];
    // 700 single readings…
    for (let i = 0; i < 700; i++) sends.push(pub.publishAsync(topic, JSON.stringify({ ts: ts(i), values: values(i) }), { qos: 1 }));
    // …a device's buffered batch of the other 300 (under the 64 KiB payload limit)…
    const batch = { readings: Array.from({ length: 300 }, (_, k) => ({ ts: new Date(ts(700 + k)).toISOString(), values: values(700 + k) })) };
    sends.push(pub.publishAsync(topic, JSON.stringify(batch), { qos: 1 }));
    // …and redeliveries: 300 singles again and the whole batch again.
    for (let i = 0; i < 300; i++) sends.push(pub.publishAsync(topic, JSON.stringify({ ts: ts(i), values: values(i) }), { qos: 1 }));
    sends.push(pub.publishAsync(topic, JSON.stringify(batch), { qos: 1 }));
    await Promise.all(sends);
    await pub.endAsync();

    const count = (): Promise<number> =>
      withDb(ctx.t, async (c) => {
        const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1`, [SITE]);
        return r.rows[0]!.n;
      });
    await waitFor(async () => (await count()) >= TIMES * METRICS.length, 60_000, '10,000 readings');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await count()).toBe(TIMES * METRICS.length);

    await withDb(ctx.t, async (c) => {
      const mismatches = await c.query(`
        WITH raw AS (
          SELECT site_key, metric_id, date_trunc('hour', time, 'UTC') AS hour, count(*)::int AS n,
                 sum(value) AS sum, min(value) AS min, max(value) AS max
          FROM reading GROUP BY 1, 2, 3)
        SELECT * FROM raw FULL JOIN reading_hourly h USING (site_key, metric_id, hour)
        WHERE raw.n IS DISTINCT FROM h.n OR abs(raw.sum - h.sum) > 1e-6
           OR raw.min IS DISTINCT FROM h.min OR raw.max IS DISTINCT FROM h.max`);
      expect(mismatches.rows).toEqual([]);
      const hourly = await c.query<{ n: number }>(`SELECT sum(n)::int AS n FROM reading_hourly`);
      expect(hourly.rows[0]!.n).toBe(TIMES * METRICS.length);
      // The newest value per metric is the reading with the latest timestamp.
      const latest = await c.query<{ value: number; time: Date }>(
        `SELECT l.value, l.time FROM reading_latest l JOIN site s ON s.key = l.site_key WHERE s.id = $1 AND l.metric_id = $2`,
        [SITE, metricFor('air', 'pm25')!.id],
      );
      expect(latest.rows[0]!.time.getTime()).toBe(ts(TIMES - 1));
      expect(latest.rows[0]!.value).toBe(values(TIMES - 1).pm25);
    });

    const metrics = await (await fetch(`${ctx.t.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^tidewatch_readings_ingested_total 10000$/m);
    expect(metrics).toMatch(/^tidewatch_readings_duplicate_total 6000$/m);
  });
});
