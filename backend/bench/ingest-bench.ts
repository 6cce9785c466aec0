/**
 * `npm run bench`: ingest throughput and live latency of a real hub (its own process)
 * through a real broker into PostgreSQL. Uses DATABASE_URL / MQTT_URL when set, else the
 * embedded ones. Prints key=value lines.
 */
import { siteTopic, type SiteSnapshot } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { io } from 'socket.io-client';
import { login, makeTestEnv, startHub, withDb } from '../test/harness/hub-process.js';

const AIR = ['air-lingshui', 'air-qixianling', 'air-hekou', 'air-xiaopingdao', 'air-caidaling', 'air-huangnichuan', 'air-yingeshi', 'air-longwangtang'];
const GAS = ['gas-lingshui-regulator', 'gas-qixianling-valve', 'gas-hekou-riser', 'gas-xiaopingdao-household', 'gas-yingeshi-regulator', 'gas-huangnichuan-park'];
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000); // × 10 values each
const PUBLISHERS = 4;
const WINDOW = 500; // unacknowledged messages per publisher
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 100);

function airValues(i: number): Record<string, number> {
  return { pm25: 20 + (i % 50), pm10: 40 + (i % 70), so2: 5 + (i % 9), no2: 20 + (i % 30), co: 0.5 + (i % 10) / 10, o3: 60 + (i % 80), temp_c: 5 + (i % 10), humidity_pct: 50 + (i % 30), wind_speed_ms: 2 + (i % 5), wind_dir_deg: i % 360 };
}

async function publishWindowed(client: MqttClient, items: [string, string][]): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const [topic, payload] = items[next++]!;
      await client.publishAsync(topic, payload, { qos: 1 });
    }
  };
  await Promise.all(Array.from({ length: WINDOW }, () => worker()));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const k = 1 + (sorted.length - 1) * p;
  const s = Math.floor(k);
  const lo = sorted[s - 1]!;
  const hi = sorted[Math.min(s, sorted.length - 1)]!;
  return lo + (hi - lo) * (k - s);
}

async function main(): Promise<void> {
  const t = await makeTestEnv();
  const hub = await startHub(t);
  const out: Record<string, string | number> = { mode: process.env.DATABASE_URL ? 'external' : 'embedded', messages: MESSAGES, readings: MESSAGES * 10 };
  try {
    const base = Date.now() - 48 * 3_600_000;
    const messages: [string, string][] = Array.from({ length: MESSAGES }, (_, i) => {
      const site = AIR[i % AIR.length]!;
      return [siteTopic(site, 'telemetry'), JSON.stringify({ ts: base + Math.floor(i / AIR.length) * 1000, values: airValues(i) })];
    });
    const pubs = await Promise.all(Array.from({ length: PUBLISHERS }, (_, k) => mqtt.connectAsync(t.mqttUrl, { clientId: `bench-${k}-${Date.now()}` })));
    const count = (): Promise<number> => withDb(t, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM reading')).rows[0]!.n);

    const started = performance.now();
    await Promise.all(pubs.map((p, k) => publishWindowed(p, messages.filter((_, i) => i % PUBLISHERS === k))));
    const published = performance.now();
    const expected = MESSAGES * 10;
    while ((await count()) < expected && performance.now() - published < 120_000) await new Promise((resolve) => setTimeout(resolve, 50));
    const stored = performance.now();
    out.ingest_seconds = ((stored - started) / 1000).toFixed(2);
    out.ingest_readings_per_s = Math.round(expected / ((stored - started) / 1000));
    out.ingest_messages_per_s = Math.round(MESSAGES / ((stored - started) / 1000));

    // Redeliver a tenth of the messages: nothing may be stored twice.
    await publishWindowed(pubs[0]!, messages.slice(0, Math.floor(MESSAGES / 10)));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const finalCount = await count();
    out.lost = Math.max(0, expected - finalCount);
    out.duplicated = Math.max(0, finalCount - expected);

    // Live latency: publish → committed → socket.io `site` event, one gas site at a time
    // (each site at most once a second, so the live coalescing does not delay it).
    const token = await login(t);
    const socket = io(`${t.httpUrl}/live`, { auth: { token }, transports: ['websocket'] });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await socket.emitWithAck('subscribe', { kinds: ['gas_point'] });
    const waiting = new Map<string, (ms: number) => void>();
    socket.on('site', (s: SiteSnapshot) => {
      const key = `${s.id}:${s.latest.co_ppm?.value}`;
      waiting.get(key)?.(performance.now());
      waiting.delete(key);
    });
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const site = GAS[i % GAS.length]!;
      const value = 1000 + i;
      const arrived = new Promise<number>((resolve) => waiting.set(`${site}:${value}`, resolve));
      const sentAt = performance.now();
      await pubs[1]!.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ values: { co_ppm: value } }), { qos: 1 });
      const got = await Promise.race([arrived, new Promise<number>((resolve) => setTimeout(() => resolve(NaN), 5000))]);
      if (Number.isFinite(got)) latencies.push(got - sentAt);
      await new Promise((resolve) => setTimeout(resolve, 1100 / GAS.length + 20));
    }
    latencies.sort((a, b) => a - b);
    out.e2e_samples = latencies.length;
    out.e2e_p50_ms = percentile(latencies, 0.5).toFixed(1);
    out.e2e_p99_ms = percentile(latencies, 0.99).toFixed(1);
    socket.close();
    await Promise.all(pubs.map((p) => p.endAsync()));
  } finally {
    await hub.stop();
    await t.cleanup();
  }
  for (const [k, v] of Object.entries(out)) process.stdout.write(`${k}=${v}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${String(err)}\n`);
  process.exit(1);
});
