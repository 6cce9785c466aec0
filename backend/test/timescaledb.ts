/**
 * What the tests need to know about TimescaleDB: whether a server can run it (the same test
 * as db/migrations/002_timescaledb.sql makes), whether a database did, and its jobs and chunks.
 */
import pg from 'pg';

type Queryable = Pick<pg.Pool | pg.Client, 'query'>;

/** True when a database created on the server at `url` becomes TimescaleDB once migrated. */
export async function serverHasTimescaleDb(url: string | undefined): Promise<boolean> {
  if (!url) return false;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ ok: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb')
              AND current_setting('shared_preload_libraries') LIKE '%timescaledb%' AS ok`,
    );
    return rows[0]!.ok;
  } finally {
    await c.end();
  }
}

/** Why the TimescaleDB tests do not run on DATABASE_URL's server (null when they do). */
export async function timescaleDbSkipReason(): Promise<string | null> {
  const url = process.env.DATABASE_URL;
  const reason = !url
    ? 'skipped: no DATABASE_URL, the embedded PostgreSQL has no TimescaleDB'
    : (await serverHasTimescaleDb(url))
      ? null
      : `skipped: the server of DATABASE_URL (${new URL(url).host}) has no TimescaleDB preloaded`;
  if (reason) console.log(`TimescaleDB tests ${reason}`);
  return reason;
}

export async function hasTimescaleDb(db: Queryable): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'`);
  return rows.length === 1;
}

export async function hypertables(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(`SELECT hypertable_name AS name FROM timescaledb_information.hypertables ORDER BY 1`);
  return rows.map((r) => r.name);
}

/** Runs a hypertable's policy job now (`policy_compression` or `policy_retention`), as its schedule would. */
export async function runPolicy(db: Queryable, proc: 'policy_compression' | 'policy_retention', table: string): Promise<void> {
  const { rows } = await db.query<{ job_id: number }>(
    `SELECT job_id FROM timescaledb_information.jobs WHERE proc_name = $1 AND hypertable_name = $2`,
    [proc, table],
  );
  if (rows.length !== 1) throw new Error(`${table} has ${rows.length} ${proc} jobs`);
  await db.query(`CALL run_job(${Number(rows[0]!.job_id)})`);
}

export interface Chunk {
  name: string;
  fromMs: number;
  toMs: number;
  compressed: boolean;
}

export async function chunks(db: Queryable, table: string): Promise<Chunk[]> {
  const { rows } = await db.query<{ name: string; from_ms: number; to_ms: number; compressed: boolean }>(
    `SELECT chunk_name AS name, (extract(epoch FROM range_start) * 1000)::float8 AS from_ms,
            (extract(epoch FROM range_end) * 1000)::float8 AS to_ms, is_compressed AS compressed
     FROM timescaledb_information.chunks WHERE hypertable_name = $1 ORDER BY range_start`,
    [table],
  );
  return rows.map((r) => ({ name: r.name, fromMs: r.from_ms, toMs: r.to_ms, compressed: r.compressed }));
}
