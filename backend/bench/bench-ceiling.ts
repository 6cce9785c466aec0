/**
 * What the database alone takes: the benchmark's rows written straight into the hub's
 * database, in batches of the hub's size by as many parallel writers as the hub runs, with
 * no broker and no hub in between.
 */
import pg from 'pg';
import { writeBatch } from '../src/ingest/batch.repository.js';
import type { ReadingRow } from '../src/ingest/message-parser.js';

/** Time each writer ran and readings it wrote: readings/s from the first batch to the last commit. */
async function timed(batches: ReadingRow[][], writers: number, write: (client: pg.PoolClient, rows: ReadingRow[]) => Promise<void>, dbUrl: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: dbUrl, max: writers });
  try {
    const clients = await Promise.all(Array.from({ length: writers }, () => pool.connect()));
    let next = 0;
    const started = performance.now();
    await Promise.all(
      clients.map(async (client) => {
        while (next < batches.length) await write(client, batches[next++]!);
        client.release();
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return Math.round(batches.reduce((n, b) => n + b.length, 0) / seconds);
  } finally {
    await pool.end();
  }
}

/**
 * The bare batched insert: one `INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING` a
 * batch into `reading` (duplicates still skipped on the key, as the hub must), nothing else.
 */
export function bareInsertReadingsPerS(batches: ReadingRow[][], writers: number, dbUrl: string): Promise<number> {
  return timed(
    batches,
    writers,
    async (client, rows) => {
      await client.query({
        name: 'bench-bare-insert',
        text: `INSERT INTO reading (site_key, metric_id, time, value)
               SELECT site_key, metric_id, timestamptz 'epoch' + ms * interval '1 millisecond', value
               FROM unnest($1::int[], $2::smallint[], $3::bigint[], $4::float8[]) AS t(site_key, metric_id, ms, value)
               ON CONFLICT DO NOTHING`,
        values: [rows.map((r) => r.siteKey), rows.map((r) => r.metricId), rows.map((r) => r.timeMs), rows.map((r) => r.value)],
      });
    },
    dbUrl,
  );
}

/**
 * The hub's own batch statement (readings, hourly rollup, newest values, liveness; see
 * backend/src/ingest/batch.repository.ts) on the same batches: what the database costs the
 * hub per batch, apart from everything the hub does around it.
 */
export function hubStatementReadingsPerS(batches: ReadingRow[][], writers: number, dbUrl: string): Promise<number> {
  return timed(
    batches,
    writers,
    async (client, rows) => {
      await writeBatch(client, { readings: rows, flagged: [], events: [], statuses: [], deadLetters: [] });
    },
    dbUrl,
  );
}
