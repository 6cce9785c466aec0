/**
 * `npm run bench [-- --seconds N] [--minutes N] [--hubs N]`: sustained ingest of real hubs
 * (their own processes) through a real broker into PostgreSQL, against what the database
 * takes alone; publish-to-browser latency at a fixed rate; hub CPU and memory. Uses
 * DATABASE_URL / MQTT_URL when set, else the embedded ones (several hubs need a shared
 * database: DATABASE_URL, else the machine's PostgreSQL, and a broker: MQTT_URL, else a
 * private Mosquitto). Prints key=value lines, then one JSON line with every figure.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { siteTopic, type SiteSnapshot } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { freeLoopbackPort } from '../src/common/net.js';
import type { ReadingRow } from '../src/ingest/message-parser.js';
import { login, makeTestEnv, startHub, withDb, type Hub, type TestEnv } from '../test/harness/hub-process.js';
import { startPrivateMosquitto, type PrivateBroker } from './bench-broker.js';
import { bareInsertReadingsPerS, hubStatementReadingsPerS } from './bench-ceiling.js';
import { AIR, AirTraffic, Publisher, READINGS_PER_MESSAGE } from './bench-load.js';
import { cpuSeconds, descendantsCpuSeconds, memoryMiB } from './bench-process.js';

const GAS = ['gas-lingshui-regulator', 'gas-qixianling-valve', 'gas-hekou-riser', 'gas-xiaopingdao-household', 'gas-yingeshi-regulator', 'gas-huangnichuan-park'];
/** Time between two probes of one gas site: well over the live view's 1 s per-site coalescing, whatever the latency's jitter. */
const PROBE_PERIOD_MS = 1500;
const PUBLISHERS = 4;
const WINDOW = 500; // unacknowledged messages per publisher
/**
 * Messages published and not yet stored, per hub: an external broker acknowledges before the
 * hub stores, and drops what overflows the hub's session queue (Mosquitto's default: 1,000
 * queued past 20 in flight); the private one queues a million.
 */
const UNSTORED_PER_HUB = { roomy: 2500, mosquittoDefaults: 1000 };
/** The hub's ingest settings the database ceiling copies (backend/src/config/config.ts, ingest.service.ts): each hub's writers count. */
const HUB_BATCH_ROWS = 5000;
const HUB_WRITERS = 2;

interface Options {
  seconds: number;
  messages: number | undefined;
  latencyRate: number;
  latencySamples: number;
  minutes: number;
  memoryRate: number;
  hubs: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    seconds: 60,
    messages: process.env.BENCH_MESSAGES ? Number(process.env.BENCH_MESSAGES) : undefined,
    latencyRate: 12_000,
    latencySamples: Number(process.env.BENCH_LATENCY_SAMPLES ?? 200),
    minutes: 0,
    memoryRate: 12_000,
    hubs: 1,
  };
  const flags: Record<string, keyof Options> = { '--seconds': 'seconds', '--messages': 'messages', '--latency-rate': 'latencyRate', '--latency-samples': 'latencySamples', '--minutes': 'minutes', '--memory-rate': 'memoryRate', '--hubs': 'hubs' };
  for (let i = 0; i < argv.length; i++) {
    const key = flags[argv[i]!];
    const value = Number(argv[i + 1]);
    if (!key || !Number.isFinite(value) || value < 0) throw new Error(`usage: npm run bench -- [${Object.keys(flags).map((f) => `${f} N`).join('] [')}] (got ${argv.slice(i).join(' ')})`);
    o[key] = value as never;
    i++;
  }
  return o;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const k = 1 + (sorted.length - 1) * p;
  const s = Math.floor(k);
  const lo = sorted[s - 1]!;
  const hi = sorted[Math.min(s, sorted.length - 1)]!;
  return lo + (hi - lo) * (k - s);
}

const progress = (line: string): void => void process.stdout.write(`# ${line}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x: number, digits = 0): number => Number(x.toFixed(digits));

/** Another hub on the same database and broker: its own ports, data folder and MQTT client id. */
async function siblingEnv(t: TestEnv): Promise<TestEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tidewatch-bench-'));
  const port = await freeLoopbackPort();
  const clientId = `tidewatch-bench-${randomBytes(4).toString('hex')}`;
  const env = { ...t.env, PORT: String(port), HJ212_PORT: String(await freeLoopbackPort()), DATA_DIR: dataDir, MQTT_CLIENT_ID: clientId };
  return {
    ...t,
    env,
    httpUrl: `http://127.0.0.1:${port}`,
    async cleanup() {
      const c = await mqtt.connectAsync(t.mqttUrl, { clientId, clean: true, protocolVersion: 5 });
      await c.endAsync();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Readings stored for the air sites so far: the hourly rollup counts every inserted reading, and is small to read. */
class StoredCounter {
  value = 0;
  private waiters: (() => void)[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(private readonly db: pg.Client, private readonly siteKeys: number[]) {
    this.loop = this.poll();
  }

  private async read(): Promise<number> {
    const r = await this.db.query<{ n: number }>('SELECT coalesce(sum(n), 0)::float8 AS n FROM reading_hourly WHERE site_key = ANY($1)', [this.siteKeys]);
    return r.rows[0]!.n;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      this.value = await this.read();
      this.waiters.splice(0).forEach((w) => w());
      await sleep(20);
    }
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves when the count reaches `n` (the moment of the poll that saw it), or null after `timeoutMs` without progress. */
  async reach(n: number, timeoutMs = 60_000): Promise<number | null> {
    let last = this.value;
    let progressAt = performance.now();
    while (this.value < n) {
      await this.next();
      if (this.value !== last) {
        last = this.value;
        progressAt = performance.now();
      } else if (performance.now() - progressAt > timeoutMs) return null;
    }
    return performance.now();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}

interface HubUsage {
  cpu: number;
  /** CPU of the hubs' child processes: the embedded PostgreSQL (0 with DATABASE_URL). */
  dbCpu: number;
  at: number;
}
const usage = (hubs: Hub[]): HubUsage => ({
  cpu: hubs.reduce((s, h) => s + cpuSeconds(h.proc.pid!), 0),
  dbCpu: hubs.reduce((s, h) => s + descendantsCpuSeconds(h.proc.pid!), 0),
  at: performance.now(),
});
const peakRss = (hubs: Hub[]): number => Math.max(...hubs.map((h) => memoryMiB(h.proc.pid!).peak));
const rss = (hubs: Hub[]): number => hubs.reduce((s, h) => s + memoryMiB(h.proc.pid!).rss, 0);

async function countReadings(t: TestEnv, traffic: AirTraffic, range: { from: number; to: number }): Promise<number> {
  return withDb(t, async (c) => {
    const r = await c.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reading JOIN site s ON s.key = reading.site_key
       WHERE s.id = ANY($1) AND time >= to_timestamp($2 / 1000.0) AND time <= to_timestamp($3 / 1000.0)`,
      [AIR, traffic.timeMs(range.from), traffic.timeMs(range.to - 1)],
    );
    return r.rows[0]!.n;
  });
}

/** The mean readings per batch the hubs wrote, from their metrics. */
async function meanBatchRows(t: TestEnv[]): Promise<number> {
  let sum = 0;
  let count = 0;
  for (const env of t) {
    const text = await (await fetch(`${env.httpUrl}/metrics`)).text();
    sum += Number(/^tidewatch_ingest_batch_rows_sum (\S+)/m.exec(text)?.[1] ?? 0);
    count += Number(/^tidewatch_ingest_batch_rows_count (\S+)/m.exec(text)?.[1] ?? 0);
  }
  return count > 0 ? sum / count : NaN;
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  let broker: PrivateBroker | null = null;
  if (opts.hubs > 1) {
    // makeTestEnv reads these: several hubs share one database and one external broker.
    process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
    if (!process.env.MQTT_URL) process.env.MQTT_URL = (broker = await startPrivateMosquitto()).url;
  }
  const t = await makeTestEnv();
  const envs: TestEnv[] = [t];
  const hubs: Hub[] = [];
  const out: Record<string, string | number> = {
    mode: process.env.DATABASE_URL ? 'external' : 'embedded',
    hubs: opts.hubs,
    broker: broker ? 'private mosquitto' : process.env.MQTT_URL ? 'external' : 'embedded',
    load_before: (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' '),
  };
  const sockets: Socket[] = [];
  let pubs: MqttClient[] = [];
  let db: pg.Client | null = null;
  let stored: StoredCounter | null = null;
  try {
    const shared: NodeJS.ProcessEnv = opts.hubs > 1 ? { MQTT_SHARE_GROUP: `bench-${randomBytes(3).toString('hex')}`, REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' } : {};
    // For profiling the hubs, e.g. BENCH_HUB_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'.
    const nodeArgs = (process.env.BENCH_HUB_NODE_ARGS ?? '').split(' ').filter(Boolean);
    hubs.push(await startHub(t, shared, { nodeArgs }));
    for (let k = 1; k < opts.hubs; k++) {
      const sibling = await siblingEnv(t);
      envs.push(sibling);
      hubs.push(await startHub(sibling, shared, { nodeArgs }));
    }
    db = new pg.Client({ connectionString: t.dbUrl() });
    await db.connect();
    const keys = await db.query<{ id: string; key: number }>('SELECT id, key FROM site WHERE id = ANY($1)', [AIR]);
    const siteKey = new Map(keys.rows.map((r) => [r.id, r.key]));
    const metricIds = await db.query<{ name: string; id: number }>(`SELECT name, id FROM metric WHERE kind = 'air'`);
    const metricId = new Map(metricIds.rows.map((r) => [r.name, r.id]));
    stored = new StoredCounter(db, [...siteKey.values()]);
    await stored.next();

    // A dashboard on the first hub: subscribed to everything, as the page is after connecting.
    const token = await login(t);
    const socket = io(`${t.httpUrl}/live`, { auth: { token }, transports: ['websocket'] });
    sockets.push(socket);
    await new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));
    let liveEvents = 0;
    socket.on('site', () => liveEvents++);

    pubs = await Promise.all(Array.from({ length: PUBLISHERS }, (_, k) => mqtt.connectAsync(t.mqttUrl, { clientId: `bench-${k}-${Date.now()}` })));
    const traffic = new AirTraffic();
    const bound = opts.hubs * (process.env.MQTT_URL && !broker ? UNSTORED_PER_HUB.mosquittoDefaults : UNSTORED_PER_HUB.roomy);
    let storedAtPhase = 0;
    let publishedAtPhase = 0;
    const publisher: Publisher = new Publisher(pubs, traffic, WINDOW, async () => {
      while (publisher.published - publishedAtPhase - (stored!.value - storedAtPhase) / READINGS_PER_MESSAGE >= bound) await stored!.next();
    });
    const phase = (): void => {
      storedAtPhase = stored!.value;
      publishedAtPhase = publisher.published;
    };

    // 1. Sustained ingest: as fast as the hubs store, for a fixed time (or BENCH_MESSAGES messages).
    progress(opts.messages === undefined ? `sustained ingest: publishing for ${opts.seconds} s` : `sustained ingest: publishing ${opts.messages} messages`);
    phase();
    const before = usage(hubs);
    const benchCpuBefore = process.cpuUsage();
    const untilMs = opts.messages === undefined ? performance.now() + opts.seconds * 1000 : undefined;
    const range = await publisher.run({ messages: opts.messages, untilMs });
    const published = performance.now();
    const messages = range.to - range.from;
    const expected = messages * READINGS_PER_MESSAGE;
    const lastCommit = (await stored.reach(storedAtPhase + expected)) ?? performance.now();
    const after = usage(hubs);
    const benchCpu = process.cpuUsage(benchCpuBefore);
    const seconds = (lastCommit - before.at) / 1000;
    Object.assign(out, {
      messages,
      readings: expected,
      publish_seconds: round((published - before.at) / 1000, 2),
      ingest_seconds: round(seconds, 2),
      ingest_readings_per_s: Math.round(expected / seconds),
      ingest_messages_per_s: Math.round(messages / seconds),
      hub_cpu_s_per_100k_readings: round(((after.cpu - before.cpu) / expected) * 100_000, 3),
      hub_cpu_pct_of_core: round(((after.cpu - before.cpu) / seconds) * 100, 1),
      embedded_db_cpu_s_per_100k_readings: round(((after.dbCpu - before.dbCpu) / expected) * 100_000, 3),
      load_generator_cpu_s_per_100k_readings: round(((benchCpu.user + benchCpu.system) / 1e6 / expected) * 100_000, 3),
      hub_mean_batch_rows: Math.round(await meanBatchRows(envs)),
      live_site_events: liveEvents,
    });

    // Redeliver a tenth of the messages (at most 20,000): nothing may be stored twice.
    const again = Math.min(Math.floor(messages / 10), 20_000);
    await publisher.republish(range.from, range.from + again);
    await sleep(1500);
    const finalCount = await countReadings(t, traffic, range);
    out.lost = Math.max(0, expected - finalCount);
    out.duplicated = Math.max(0, finalCount - expected);
    out.hub_peak_rss_mib = round(peakRss(hubs), 1);

    progress(`sustained ingest: ${out.ingest_readings_per_s} readings/s; now the database alone`);
    // 2. What the database takes alone: the same number of fresh rows, the hub's batch size and writers.
    const batches: ReadingRow[][] = [];
    const rowsFor = (): ReadingRow[][] => {
      const list: ReadingRow[][] = [];
      let batch: ReadingRow[] = [];
      for (let m = 0; m < messages; m++) {
        for (const [site, metric, timeMs, value] of traffic.rows(traffic.takeOne())) {
          batch.push({ siteKey: siteKey.get(site)!, metricId: metricId.get(metric)!, timeMs, value, assumedS: 1 });
          if (batch.length === HUB_BATCH_ROWS) {
            list.push(batch);
            batch = [];
          }
        }
      }
      if (batch.length > 0) list.push(batch);
      return list;
    };
    batches.push(...rowsFor());
    const writers = HUB_WRITERS * opts.hubs;
    out.db_writers = writers;
    out.db_ceiling_readings_per_s = await bareInsertReadingsPerS(batches, writers, t.dbUrl());
    out.db_hub_statement_readings_per_s = await hubStatementReadingsPerS(rowsFor(), writers, t.dbUrl());
    out.ingest_vs_db_ceiling = round(Number(out.ingest_readings_per_s) / out.db_ceiling_readings_per_s, 3);

    // 3. Publish-to-browser latency under a fixed background load: a gas site's reading timed from
    // its publish to the live `site` event carrying it. Each probe site reports at most once a
    // second and below every alarm level, so neither the per-site coalescing of live updates nor
    // an alert's own update of the site holds it back.
    const probeValue = (n: number): string => (1 + n / 1000).toFixed(3);
    const waiting = new Map<string, (ms: number) => void>();
    socket.on('site', (s: SiteSnapshot) => {
      const v = s.latest.co_ppm?.value;
      const key = `${s.id}:${v === undefined ? '' : v.toFixed(3)}`;
      waiting.get(key)?.(performance.now());
      waiting.delete(key);
    });
    progress(`latency: ${opts.latencySamples} probes under ${opts.latencyRate} readings/s`);
    phase();
    const latencies: number[] = [];
    let lostProbes = 0;
    const background = publisher.run({ ratePerS: opts.latencyRate / READINGS_PER_MESSAGE, untilMs: Number.POSITIVE_INFINITY });
    const latencyStart = usage(hubs);
    const backgroundStored = stored.value;
    // Each probe site reports once first and the load settles: a site's first reading after a
    // silence changes its status (and may close an alert), and that update of the site would
    // take the live view's once-a-second slot of the next probe.
    let probe = 0;
    await Promise.all(GAS.map((site) => pubs[1]!.publishAsync(siteTopic(site, 'telemetry'), `{"values":{"co_ppm":${probeValue(probe++)}}}`, { qos: 1 })));
    await sleep(3000);
    await Promise.all(
      GAS.map(async (site, k) => {
        await sleep((k * PROBE_PERIOD_MS) / GAS.length);
        while (probe < opts.latencySamples + GAS.length) {
          const value = probeValue(probe++);
          const arrived = new Promise<number>((resolve) => waiting.set(`${site}:${value}`, resolve));
          const sentAt = performance.now();
          await pubs[1]!.publishAsync(siteTopic(site, 'telemetry'), `{"values":{"co_ppm":${value}}}`, { qos: 1 });
          const got = await Promise.race([arrived, sleep(5000).then(() => NaN)]);
          if (Number.isFinite(got)) latencies.push(got - sentAt);
          else lostProbes++;
          await sleep(Math.max(0, PROBE_PERIOD_MS - (performance.now() - sentAt)));
        }
      }),
    );
    const latencyEnd = usage(hubs);
    const achieved = ((stored.value - backgroundStored) / (latencyEnd.at - latencyStart.at)) * 1000;
    latencies.sort((a, b) => a - b);
    Object.assign(out, {
      e2e_background_readings_per_s: Math.round(achieved),
      e2e_samples: latencies.length,
      e2e_missing: lostProbes,
      e2e_p50_ms: round(percentile(latencies, 0.5), 1),
      e2e_p99_ms: round(percentile(latencies, 0.99), 1),
      e2e_max_ms: round(latencies.at(-1) ?? NaN, 1),
      e2e_hub_cpu_pct_of_core: round(((latencyEnd.cpu - latencyStart.cpu) / ((latencyEnd.at - latencyStart.at) / 1000)) * 100, 1),
      e2e_hub_cpu_s_per_100k_readings: round(((latencyEnd.cpu - latencyStart.cpu) / (stored.value - backgroundStored)) * 100_000, 3),
    });
    publisher.stop();
    await background;

    // 4. Memory over a long run at a fixed rate: resident memory every 10 s.
    if (opts.minutes > 0) {
      progress(`memory: ${opts.minutes} min at ${opts.memoryRate} readings/s, resident memory every 10 s`);
      phase();
      const samples: number[] = [];
      const run = publisher.run({ ratePerS: opts.memoryRate / READINGS_PER_MESSAGE, untilMs: performance.now() + opts.minutes * 60_000 });
      const sampling = (async () => {
        const end = performance.now() + opts.minutes * 60_000;
        while (performance.now() < end) {
          await sleep(10_000);
          samples.push(round(rss(hubs), 1));
          progress(`memory after ${samples.length * 10} s: ${samples.at(-1)} MiB`);
        }
      })();
      await Promise.all([run, sampling]);
      Object.assign(out, {
        memory_minutes: opts.minutes,
        memory_rate_readings_per_s: opts.memoryRate,
        memory_first_mib: samples[0] ?? NaN,
        memory_last_mib: samples.at(-1) ?? NaN,
        memory_peak_mib: Math.max(...samples),
        hub_peak_rss_mib: round(peakRss(hubs), 1),
      });
    }
    out.load_after = (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ');
  } finally {
    sockets.forEach((s) => s.close());
    await Promise.all(pubs.map((p) => p.endAsync()));
    await stored?.stop();
    await db?.end();
    await Promise.all(hubs.map((h) => h.stop()));
    for (const env of envs.slice(1)) await env.cleanup();
    await t.cleanup();
    await broker?.stop();
  }
  for (const [k, v] of Object.entries(out)) process.stdout.write(`${k}=${v}\n`);
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
