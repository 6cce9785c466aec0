import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { withDb, type TestEnv } from './hub-process.js';

export const GAS_SITES = ['gas-lingshui-regulator', 'gas-qixianling-valve', 'gas-hekou-riser', 'gas-yingeshi-regulator'];
/** Each message carries two readings. */
export const READINGS_PER_MESSAGE = 2;
/** A stream's readings lie within a day from its start time; a test keeps that day free of other streams' readings. */
const STREAM_SPAN_MS = 86_400_000;

export interface Published {
  site: string;
  ts: number;
  /** When the broker's PUBACK came (Date.now()), or null while it is outstanding. */
  ackedAt: number | null;
}

export interface DeviceStream {
  client: MqttClient;
  messages: Published[];
  acked(): number;
  /** Stops publishing and waits until the broker acknowledged every message, resent after reconnects as needed. */
  finish(): Promise<void>;
}

/** A device-like MQTT client: a persistent session, keeping unacknowledged messages and resending them after it reconnects. */
async function device(url: string): Promise<MqttClient> {
  const client = mqtt.connect(url, { clientId: `device-${Math.random().toString(36).slice(2, 10)}`, clean: false, reconnectPeriod: 200 });
  client.on('error', () => {
    /* reconnects by itself */
  });
  await new Promise<void>((resolve) => client.once('connect', () => resolve()));
  return client;
}

/** Publishes message `i` of every gas site at QoS 1 (times `stepMs` apart from `startTs`), recording when each is acknowledged. */
function publishRound(client: MqttClient, messages: Published[], acks: Promise<unknown>[], i: number, startTs: number, stepMs: number, periodS?: number): void {
  for (const [k, site] of GAS_SITES.entries()) {
    const m: Published = { site, ts: startTs + i * stepMs + k, ackedAt: null };
    messages.push(m);
    const payload = JSON.stringify({ ts: m.ts, ...(periodS ? { period_s: periodS } : {}), values: { ch4_lel_pct: (i % 10) / 10, pressure_kpa: 5 + (i % 7) } });
    acks.push(client.publishAsync(siteTopic(site, 'telemetry'), payload, { qos: 1 }).then(() => (m.ackedAt = Date.now())));
  }
}

function stream(client: MqttClient, messages: Published[], acks: Promise<unknown>[], done: () => Promise<void>): DeviceStream {
  return {
    client,
    messages,
    acked: () => messages.filter((m) => m.ackedAt !== null).length,
    async finish() {
      await done();
      await Promise.all(acks);
    },
  };
}

/** A steady stream: one message per gas site every `everyMs`, each a new time `stepMs` after the previous one from `startTs`. */
export async function deviceStream(url: string, opts: { startTs: number; stepMs?: number; everyMs?: number }): Promise<DeviceStream> {
  const { startTs, stepMs = 5000, everyMs = 20 } = opts;
  const client = await device(url);
  const messages: Published[] = [];
  const acks: Promise<unknown>[] = [];
  let publishing = true;
  const loop = (async () => {
    for (let i = 0; publishing; i++) {
      publishRound(client, messages, acks, i, startTs, stepMs);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return stream(client, messages, acks, async () => {
    publishing = false;
    await loop;
  });
}

/** A backfill: `rounds` messages per gas site, each averaging `periodS` seconds from `startTs` on, all published at once. */
export async function backfill(url: string, opts: { startTs: number; rounds: number; periodS: number }): Promise<DeviceStream> {
  const client = await device(url);
  const messages: Published[] = [];
  const acks: Promise<unknown>[] = [];
  for (let i = 0; i < opts.rounds; i++) publishRound(client, messages, acks, i, opts.startTs, opts.periodS * 1000, opts.periodS);
  return stream(client, messages, acks, async () => undefined);
}

export interface Tally {
  /** Rows of the stream in `reading`. */
  rows: number;
  /** Messages of the stream with none of their readings stored. */
  missing: Published[];
  /** Messages with some but not all of their readings stored. */
  partial: number;
}

/** What the database holds of a stream's messages. */
export async function tally(t: TestEnv, stream: DeviceStream, startTs: number): Promise<Tally> {
  const rows = await withDb(t, async (c) =>
    (
      await c.query<{ id: string; ms: string; n: number }>(
        `SELECT s.id, (extract(epoch FROM r.time) * 1000)::bigint AS ms, count(*)::int AS n
           FROM reading r JOIN site s ON s.key = r.site_key
          WHERE s.id = ANY($1) AND r.time >= to_timestamp($2 / 1000.0) AND r.time < to_timestamp($3 / 1000.0) GROUP BY 1, 2`,
        [GAS_SITES, startTs, startTs + STREAM_SPAN_MS],
      )
    ).rows,
  );
  const stored = new Map(rows.map((r) => [`${r.id}@${r.ms}`, r.n]));
  return {
    rows: rows.reduce((sum, r) => sum + r.n, 0),
    missing: stream.messages.filter((m) => !stored.has(`${m.site}@${m.ts}`)),
    partial: rows.filter((r) => r.n !== READINGS_PER_MESSAGE).length,
  };
}

/** Rows of a stream in `reading`, or -1 while the database does not answer. */
export function storedSince(t: TestEnv, startTs: number): Promise<number> {
  return withDb(t, async (c) => (
      await c.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = ANY($1) AND r.time >= to_timestamp($2 / 1000.0) AND r.time < to_timestamp($3 / 1000.0)',
        [GAS_SITES, startTs, startTs + STREAM_SPAN_MS],
      )
    ).rows[0]!.n).catch(() => -1);
}

/** Readings of a stream the hourly rollup counts (it must equal the rows stored). */
export function hourlySince(t: TestEnv, startTs: number): Promise<number> {
  return withDb(t, async (c) => (
      await c.query<{ n: number }>(
        "SELECT coalesce(sum(h.n), 0)::int AS n FROM reading_hourly h JOIN site s ON s.key = h.site_key WHERE s.id = ANY($1) AND h.hour >= date_trunc('hour', to_timestamp($2 / 1000.0)) AND h.hour < to_timestamp($3 / 1000.0)",
        [GAS_SITES, startTs, startTs + STREAM_SPAN_MS],
      )
    ).rows[0]!.n);
}
