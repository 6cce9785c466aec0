import type pg from 'pg';
import type { AbnormalFlag } from '@tidewatch/contracts';
import type { CadenceRise } from './cadence-learner.js';
import type { EventRow, FlaggedRow, ReadingRow, StatusChange } from './message-parser.js';
import { numberArray } from './sql-arrays.js';

export interface DeadLetterRow {
  receivedAtMs: number;
  topic: string;
  reason: string;
  detail: string;
  payload: string;
  payloadBytes: number;
}

/** Everything one batch stores, in one statement. */
export interface BatchRows {
  readings: ReadingRow[];
  /** Sites whose learned interval grew: their hours are judged again after the batch (absent: none). */
  rejudge?: readonly CadenceRise[];
  /** Values flagged other than N (absent: none): to `reading_flagged`, never to the rollups. */
  flagged?: FlaggedRow[];
  events: EventRow[];
  statuses: StatusChange[];
  deadLetters: DeadLetterRow[];
}

export interface LatestRow {
  siteKey: number;
  metricId: number;
  timeMs: number;
  value: number;
}

export interface FlaggedLatest extends LatestRow {
  flag: AbnormalFlag;
}

export interface StoredEvent {
  siteKey: number;
  timeMs: number;
  type: string;
  data: Record<string, unknown>;
}

export interface SiteLiveness {
  siteKey: number;
  lastSeenMs: number | null;
  online: boolean;
  statusAtMs: number | null;
}

export interface BatchResult {
  inserted: number;
  duplicates: number;
  eventsInserted: number;
  deadLetters: number;
  /** The (site, metric) newest values this batch moved forward. */
  latest: LatestRow[];
  /** Flagged values this batch stored (not the duplicates it skipped). */
  flaggedInserted: number;
  /** The newest flagged values per (site, metric) this batch moved forward, for the live view. */
  flaggedLatest: FlaggedLatest[];
  events: StoredEvent[];
  /** Every reading this batch stored (not the duplicates it skipped), for the alert rules. */
  stored: ReadingRow[];
  /** Liveness of the sites this batch touched, as stored after it. */
  sites: SiteLiveness[];
}

/**
 * One round trip per batch: the readings (duplicates skipped on their key), the hourly
 * rollup fed only by rows that were really inserted (with the seconds each covers: its
 * declared period or its assumed interval; a value averaging more than an hour, a daily
 * mean, is kept but is no hour's data), the newest value per metric, flagged
 * values (apart, in `reading_flagged`, never in the rollups or the newest values), events,
 * site liveness and dead letters. Rollup and latest rows are upserted in key order so that
 * concurrent writers cannot deadlock.
 */
const HOUR_S = 3600;

const WRITE_BATCH_SQL = `
WITH
r_in AS (
  SELECT site_key, metric_id, timestamptz 'epoch' + ms * interval '1 millisecond' AS time, value, declared_s, assumed_s
  FROM unnest($1::int[], $2::smallint[], $3::bigint[], $4::float8[], $24::int[], $25::int[]) AS t(site_key, metric_id, ms, value, declared_s, assumed_s)
),
r_ins AS (
  INSERT INTO reading (site_key, metric_id, time, value)
  SELECT site_key, metric_id, time, value FROM r_in
  ON CONFLICT DO NOTHING
  RETURNING site_key, metric_id, time, value
),
r_count AS (SELECT count(*) AS n FROM r_ins),
r_new AS (
  -- The inserted readings with the seconds each covers. Usually every reading is new and they
  -- are the input as it is; only when some were duplicates is the input matched to what was inserted.
  SELECT site_key, metric_id, time, value, declared_s, assumed_s FROM r_in
  WHERE (SELECT n FROM r_count) = $26::int
  UNION ALL
  SELECT i.site_key, i.metric_id, i.time, i.value, c.declared_s, c.assumed_s
  FROM r_ins i JOIN r_in c USING (site_key, metric_id, time)
  WHERE (SELECT n FROM r_count) < $26::int
),
r_hour AS (
  INSERT INTO reading_hourly AS h (site_key, metric_id, hour, n, sum, min, max, n_declared, declared_s, assumed_s)
  SELECT site_key, metric_id, date_trunc('hour', time, 'UTC'), count(*), sum(value), min(value), max(value),
         count(*) FILTER (WHERE declared_s > 0), sum(declared_s), sum(assumed_s)
  FROM r_new
  WHERE declared_s <= 3600
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (site_key, metric_id, hour) DO UPDATE SET
    n = h.n + excluded.n, sum = h.sum + excluded.sum,
    min = least(h.min, excluded.min), max = greatest(h.max, excluded.max),
    n_declared = h.n_declared + excluded.n_declared, declared_s = h.declared_s + excluded.declared_s,
    assumed_s = h.assumed_s + excluded.assumed_s
  RETURNING 1
),
r_latest AS (
  INSERT INTO reading_latest AS l (site_key, metric_id, time, value)
  SELECT DISTINCT ON (site_key, metric_id) site_key, metric_id, time, value
  FROM r_ins ORDER BY site_key, metric_id, time DESC
  ON CONFLICT (site_key, metric_id) DO UPDATE SET time = excluded.time, value = excluded.value
    WHERE l.time < excluded.time
  RETURNING site_key, metric_id, time, value
),
f_ins AS (
  INSERT INTO reading_flagged (site_key, metric_id, time, value, flag)
  SELECT site_key, metric_id, timestamptz 'epoch' + ms * interval '1 millisecond', value, flag
  FROM unnest($19::int[], $20::smallint[], $21::bigint[], $22::float8[], $23::text[]) AS t(site_key, metric_id, ms, value, flag)
  ON CONFLICT DO NOTHING
  RETURNING site_key, metric_id, time, value, flag
),
f_latest AS (
  INSERT INTO reading_flagged_latest AS l (site_key, metric_id, time, value, flag)
  SELECT DISTINCT ON (site_key, metric_id) site_key, metric_id, time, value, flag
  FROM f_ins ORDER BY site_key, metric_id, time DESC
  ON CONFLICT (site_key, metric_id) DO UPDATE SET time = excluded.time, value = excluded.value, flag = excluded.flag
    WHERE l.time < excluded.time
  RETURNING site_key, metric_id, time, value, flag
),
e_ins AS (
  INSERT INTO event (site_key, time, type, data)
  SELECT site_key, timestamptz 'epoch' + ms * interval '1 millisecond', type, data
  FROM unnest($5::int[], $6::bigint[], $7::text[], $8::jsonb[]) AS t(site_key, ms, type, data)
  ON CONFLICT DO NOTHING
  RETURNING site_key, time, type, data
),
s_upd AS (
  UPDATE site s SET
    last_seen = greatest(s.last_seen, timestamptz 'epoch' + v.seen_ms * interval '1 millisecond'),
    online = coalesce(v.online, s.online),
    status_at = CASE WHEN v.online IS NULL THEN s.status_at
                     ELSE timestamptz 'epoch' + v.status_ms * interval '1 millisecond' END
  FROM unnest($9::int[], $10::bigint[], $11::bool[], $12::bigint[]) AS v(key, seen_ms, online, status_ms)
  WHERE s.key = v.key
  RETURNING s.key, s.last_seen, s.online, s.status_at
),
dl AS (
  INSERT INTO dead_letter (received_at, topic, reason, detail, payload, payload_bytes)
  SELECT timestamptz 'epoch' + ms * interval '1 millisecond', topic, reason, detail, payload, bytes
  FROM unnest($13::bigint[], $14::text[], $15::text[], $16::text[], $17::text[], $18::int[])
    AS t(ms, topic, reason, detail, payload, bytes)
  RETURNING 1
)
SELECT
  (SELECT count(*) FROM r_ins)::int AS inserted,
  (SELECT count(*) FROM r_hour)::int AS hours,
  (SELECT count(*) FROM dl)::int AS dead_letters,
  coalesce((SELECT json_agg(json_build_array(key, (extract(epoch FROM last_seen) * 1000)::float8, online, (extract(epoch FROM status_at) * 1000)::float8)) FROM s_upd), '[]'::json) AS sites,
  coalesce((SELECT json_agg(json_build_array(site_key, metric_id, (extract(epoch FROM time) * 1000)::float8, value)) FROM r_latest), '[]'::json) AS latest,
  coalesce((SELECT json_agg(json_build_array(site_key, (extract(epoch FROM time) * 1000)::float8, type, data)) FROM e_ins), '[]'::json) AS events,
  (SELECT count(*) FROM f_ins)::int AS flagged_inserted,
  coalesce((SELECT json_agg(json_build_array(site_key, metric_id, (extract(epoch FROM time) * 1000)::float8, value, flag)) FROM f_latest), '[]'::json) AS flagged_latest,
  ins.sites AS ins_sites, ins.metrics AS ins_metrics, ins.times AS ins_times, ins.vals AS ins_values
-- The stored readings go back only when some were duplicates: else they are the input as it is.
FROM (SELECT array_agg(site_key) AS sites, array_agg(metric_id) AS metrics,
             array_agg((extract(epoch FROM time) * 1000)::float8) AS times, array_agg(value) AS vals FROM r_ins
      WHERE (SELECT n FROM r_count) < $26::int) ins
`;

interface SiteUpdate {
  seenMs: number | null;
  online: boolean | null;
  statusMs: number | null;
}

/** Drops repeated (site, metric, time) keys inside a batch, keeping the first. */
export function dedupeReadings(readings: ReadingRow[]): ReadingRow[] {
  const seen = new Set<string>();
  const out: ReadingRow[] = [];
  for (const r of readings) {
    const key = `${r.siteKey}:${r.metricId}:${r.timeMs}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(r);
  }
  return out;
}

function siteUpdates(rows: BatchRows): [number, SiteUpdate][] {
  const bySite = new Map<number, SiteUpdate>();
  const get = (key: number): SiteUpdate => {
    let u = bySite.get(key);
    if (!u) bySite.set(key, (u = { seenMs: null, online: null, statusMs: null }));
    return u;
  };
  // A flagged value is still word from the device: it keeps the site alive.
  for (const r of [...rows.readings, ...(rows.flagged ?? [])]) {
    const u = get(r.siteKey);
    u.seenMs = Math.max(u.seenMs ?? 0, r.timeMs);
  }
  for (const e of rows.events) {
    const u = get(e.siteKey);
    u.seenMs = Math.max(u.seenMs ?? 0, e.timeMs);
  }
  for (const s of rows.statuses) {
    const u = get(s.siteKey);
    u.online = s.online;
    u.statusMs = s.atMs;
  }
  // Fixed lock order across concurrent writers.
  return [...bySite].sort((a, b) => a[0] - b[0]);
}

export async function writeBatch(client: pg.Pool | pg.PoolClient, rows: BatchRows): Promise<BatchResult> {
  const readings = dedupeReadings(rows.readings);
  const sites = siteUpdates(rows);
  const dl = rows.deadLetters;
  const flagged = rows.flagged ?? [];
  const res = await client.query<{
    inserted: number;
    dead_letters: number;
    sites: [number, number | null, boolean, number | null][];
    ins_sites: number[] | null;
    ins_metrics: number[] | null;
    ins_times: number[] | null;
    ins_values: number[] | null;
    latest: [number, number, number, number][];
    events: [number, number, string, Record<string, unknown>][];
    flagged_inserted: number;
    flagged_latest: [number, number, number, number, AbnormalFlag][];
  }>({
    name: 'tidewatch-write-batch',
    text: WRITE_BATCH_SQL,
    values: [
      numberArray(readings.map((r) => r.siteKey)),
      numberArray(readings.map((r) => r.metricId)),
      numberArray(readings.map((r) => r.timeMs)),
      numberArray(readings.map((r) => r.value)),
      numberArray(rows.events.map((e) => e.siteKey)),
      numberArray(rows.events.map((e) => e.timeMs)),
      rows.events.map((e) => e.type),
      rows.events.map((e) => JSON.stringify(e.data)),
      numberArray(sites.map(([key]) => key)),
      numberArray(sites.map(([, u]) => u.seenMs)),
      sites.map(([, u]) => u.online),
      numberArray(sites.map(([, u]) => u.statusMs)),
      numberArray(dl.map((d) => d.receivedAtMs)),
      dl.map((d) => d.topic),
      dl.map((d) => d.reason),
      dl.map((d) => d.detail),
      dl.map((d) => d.payload),
      numberArray(dl.map((d) => d.payloadBytes)),
      numberArray(flagged.map((f) => f.siteKey)),
      numberArray(flagged.map((f) => f.metricId)),
      numberArray(flagged.map((f) => f.timeMs)),
      numberArray(flagged.map((f) => f.value)),
      flagged.map((f) => f.flag),
      // Seconds covered: a declared period over an hour marks a value that is no hour's data.
      numberArray(readings.map((r) => r.periodS ?? 0)),
      numberArray(readings.map((r) => (r.periodS === undefined ? Math.min(HOUR_S, r.assumedS ?? 0) : 0))),
      readings.length,
    ],
  });
  if (rows.rejudge?.length) await rejudgeHours(client, rows.rejudge);
  const row = res.rows[0]!;
  return {
    inserted: row.inserted,
    duplicates: rows.readings.length - row.inserted,
    eventsInserted: row.events.length,
    deadLetters: row.dead_letters,
    latest: row.latest.map(([siteKey, metricId, timeMs, value]) => ({ siteKey, metricId, timeMs, value })),
    flaggedInserted: row.flagged_inserted,
    flaggedLatest: row.flagged_latest.map(([siteKey, metricId, timeMs, value, flag]) => ({ siteKey, metricId, timeMs, value, flag })),
    events: row.events.map(([siteKey, timeMs, type, data]) => ({ siteKey, timeMs, type, data })),
    stored:
      row.inserted === readings.length
        ? readings.map(({ siteKey, metricId, timeMs, value }) => ({ siteKey, metricId, timeMs, value }))
        : (row.ins_sites ?? []).map((siteKey, i) => ({ siteKey, metricId: row.ins_metrics![i]!, timeMs: row.ins_times![i]!, value: row.ins_values![i]! })),
    sites: row.sites.map(([siteKey, lastSeenMs, online, statusAtMs]) => ({ siteKey, lastSeenMs, online, statusAtMs })),
  };
}

/** Errors worth retrying: the database is away, restarting, overloaded or we lost a race. */
export function isTransientDbError(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  if (typeof code !== 'string') return true; // network errors (ECONNREFUSED, …) and timeouts
  if (/^E[A-Z]+$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('53') || code.startsWith('57') || code === '40001' || code === '40P01' || code === '55P03' || code === '58000' || code === '58030';
}

/**
 * A site's interval grew: from the hour its new cadence began, each reading that declared no
 * period stands for the new interval (never less than it stood for before). Rare (a device
 * changed its cadence), so a second statement rather than a part of every batch's.
 */
async function rejudgeHours(client: pg.Pool | pg.PoolClient, rises: readonly CadenceRise[]): Promise<void> {
  await client.query({
    name: 'tidewatch-rejudge-hours',
    text: `UPDATE reading_hourly h SET assumed_s = greatest(h.assumed_s, (h.n - h.n_declared) * least(3600, v.interval_s))
           FROM unnest($1::int[], $2::bigint[], $3::int[]) AS v(site_key, from_ms, interval_s)
           WHERE h.site_key = v.site_key AND h.hour >= date_trunc('hour', timestamptz 'epoch' + v.from_ms * interval '1 millisecond', 'UTC')`,
    values: [rises.map((r) => r.siteKey), rises.map((r) => r.fromMs), rises.map((r) => r.intervalS)],
  });
}
