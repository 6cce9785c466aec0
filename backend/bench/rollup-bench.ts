/**
 * `npm run bench:rollup`: the hand-written hourly rollup (the batch statement upserts
 * reading_hourly, backend/src/ingest/batch.repository.ts) against a TimescaleDB continuous
 * aggregate over `reading`, on two fresh migrated databases on DATABASE_URL's server (default
 * 127.0.0.1:5432, which must have TimescaleDB). Measures ingest (readings/s, and for the
 * aggregate the refresh it owes) and the time of the hourly reads behind the series and the
 * AQI. The aggregate exists only here, for the measurement. Prints key=value lines.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';

const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SITES = Number(process.env.BENCH_SITES ?? 40);
const METRICS = 6;
const DAYS = Number(process.env.BENCH_DAYS ?? 3);
const BATCH = 5000;
const MIN = 60_000;
// From backend/dist-bench/bench/, where this runs.
const MIGRATIONS = fileURLToPath(new URL('../../../db/migrations/', import.meta.url));

const INSERT_READINGS = `
WITH r_in AS (
  SELECT site_key, metric_id, timestamptz 'epoch' + ms * interval '1 millisecond' AS time, value, assumed_s
  FROM unnest($1::int[], $2::smallint[], $3::bigint[], $4::float8[], $5::int[]) AS t(site_key, metric_id, ms, value, assumed_s)
),
r_ins AS (
  INSERT INTO reading (site_key, metric_id, time, value)
  SELECT site_key, metric_id, time, value FROM r_in ON CONFLICT DO NOTHING RETURNING site_key, metric_id, time, value
)`;
// The rollup part of the batch statement, as it is there (every reading new, as here).
const WITH_ROLLUP = `${INSERT_READINGS},
r_hour AS (
  INSERT INTO reading_hourly AS h (site_key, metric_id, hour, n, sum, min, max, n_declared, declared_s, assumed_s)
  SELECT i.site_key, i.metric_id, date_trunc('hour', i.time, 'UTC'), count(*), sum(i.value), min(i.value), max(i.value), 0, 0, sum(c.assumed_s)
  FROM r_ins i JOIN r_in c USING (site_key, metric_id, time)
  GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
  ON CONFLICT (site_key, metric_id, hour) DO UPDATE SET
    n = h.n + excluded.n, sum = h.sum + excluded.sum, min = least(h.min, excluded.min), max = greatest(h.max, excluded.max),
    assumed_s = h.assumed_s + excluded.assumed_s
  RETURNING 1
)
SELECT (SELECT count(*) FROM r_ins) AS n, (SELECT count(*) FROM r_hour) AS h`;
const WITHOUT_ROLLUP = `${INSERT_READINGS} SELECT count(*) AS n FROM r_ins`;

const CAGG = `CREATE MATERIALIZED VIEW reading_hourly_cagg WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
  SELECT site_key, metric_id, time_bucket(INTERVAL '1 hour', time) AS hour, count(*)::int AS n, sum(value) AS sum, min(value) AS min, max(value) AS max
  FROM reading GROUP BY 1, 2, 3 WITH NO DATA`;

async function freshDb(): Promise<{ pool: pg.Pool; drop: () => Promise<void> }> {
  const name = `tidewatch_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  const c = await pool.connect();
  try {
    await runner({ dbClient: c, dir: MIGRATIONS, direction: 'up', migrationsTable: 'pgmigrations', singleTransaction: true, log: () => undefined });
  } finally {
    c.release();
  }
  return {
    pool,
    drop: async () => {
      await pool.end();
      const c = new pg.Client({ connectionString: SERVER });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Minute readings of every site and metric, in time order, in batches as the hub writes them. */
function* batches(fromMs: number): Generator<unknown[]> {
  let cols: [number[], number[], number[], number[], number[]] = [[], [], [], [], []];
  for (let t = fromMs; t < fromMs + DAYS * 86_400_000; t += MIN) {
    for (let s = 1; s <= SITES; s++) {
      for (let m = 0; m < METRICS; m++) {
        cols[0].push(s);
        cols[1].push(m + 1);
        cols[2].push(t);
        cols[3].push(((t / MIN) * (s + m)) % 97);
        cols[4].push(60);
        if (cols[0].length === BATCH) {
          yield cols;
          cols = [[], [], [], [], []];
        }
      }
    }
  }
  if (cols[0].length) yield cols;
}

async function ingest(pool: pg.Pool, sql: string, fromMs: number): Promise<{ n: number; ms: number }> {
  let n = 0;
  const t0 = performance.now();
  for (const values of batches(fromMs)) n += Number((await pool.query({ name: 'bench', text: sql, values })).rows[0].n);
  return { n, ms: performance.now() - t0 };
}

async function median(pool: pg.Pool, sql: string, values: unknown[], runs = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await pool.query(sql, values);
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

// The reads: the AQI's hour series (8 stations, 6 pollutants, the whole span) and one site's 1h series.
const hourSeries = (table: string): string => `SELECT site_key, metric_id, array_agg((extract(epoch FROM hour) * 1000)::float8 ORDER BY hour) AS hours,
  array_agg(n ORDER BY hour) AS ns, array_agg(sum ORDER BY hour) AS sums FROM ${table}
  WHERE site_key = ANY($1::int[]) AND metric_id = ANY($2::smallint[]) AND hour >= $3 AND hour < $4 GROUP BY 1, 2`;
const series1h = (table: string): string => `SELECT hour, sum / n AS avg, min, max, n FROM ${table}
  WHERE site_key = $1 AND metric_id = $2 AND hour >= $3 AND hour < $4 ORDER BY hour`;

async function main(): Promise<void> {
  const fromMs = Math.floor((Date.now() - (DAYS + 1) * 86_400_000) / 3_600_000) * 3_600_000;
  const span = [new Date(fromMs), new Date(fromMs + DAYS * 86_400_000)];
  const aqiArgs = [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6], ...span];
  const oneArgs = [3, 2, ...span];
  const out: Record<string, string | number | boolean> = { readings: SITES * METRICS * DAYS * 1440 };

  const a = await freshDb();
  try {
    const ext = (await a.pool.query(`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'timescaledb'`)).rows[0].n;
    if (ext !== 1) throw new Error(`the server of DATABASE_URL has no TimescaleDB`);
    const r = await ingest(a.pool, WITH_ROLLUP, fromMs);
    out.rollup_ingest_readings_per_s = Math.round(r.n / (r.ms / 1000));
    out.rollup_hour_series_ms = (await median(a.pool, hourSeries('reading_hourly'), aqiArgs)).toFixed(2);
    out.rollup_series_1h_ms = (await median(a.pool, series1h('reading_hourly'), oneArgs)).toFixed(2);
  } finally {
    await a.drop();
  }

  const b = await freshDb();
  try {
    await b.pool.query(CAGG);
    const r = await ingest(b.pool, WITHOUT_ROLLUP, fromMs);
    out.cagg_ingest_readings_per_s = Math.round(r.n / (r.ms / 1000));
    const t0 = performance.now();
    await b.pool.query(`CALL refresh_continuous_aggregate('reading_hourly_cagg', NULL, NULL)`);
    const refreshMs = performance.now() - t0;
    out.cagg_refresh_ms = Math.round(refreshMs);
    out.cagg_ingest_with_refresh_readings_per_s = Math.round(r.n / ((r.ms + refreshMs) / 1000));
    out.cagg_hour_series_ms = (await median(b.pool, hourSeries('reading_hourly_cagg'), aqiArgs)).toFixed(2);
    out.cagg_series_1h_ms = (await median(b.pool, series1h('reading_hourly_cagg'), oneArgs)).toFixed(2);
    // A late reading into a materialized hour: does the aggregate count it before the next refresh?
    const firstHour = async (): Promise<number> =>
      (await b.pool.query(`SELECT n FROM reading_hourly_cagg WHERE site_key = 1 AND metric_id = 1 AND hour = $1`, [new Date(fromMs)])).rows[0].n;
    const n0 = await firstHour();
    await b.pool.query(WITHOUT_ROLLUP, [[1], [1], [fromMs + 30_000], [1], [60]]);
    out.cagg_late_reading_counted_before_refresh = (await firstHour()) === n0 + 1;
    const t1 = performance.now();
    await b.pool.query(`CALL refresh_continuous_aggregate('reading_hourly_cagg', NULL, NULL)`);
    out.cagg_refresh_after_one_late_reading_ms = Math.round(performance.now() - t1);
    out.cagg_late_reading_counted_after_refresh = (await firstHour()) === n0 + 1;
  } finally {
    await b.drop();
  }
  for (const [k, v] of Object.entries(out)) console.log(`${k}=${v}`);
}

await main();
