/**
 * The database the suite runs on, and the batch statement on TimescaleDB: late and
 * backfilled readings into compressed chunks are stored once, at a measured cost.
 */
import { metricFor } from '@tidewatch/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBatch } from '../../src/ingest/batch.repository.js';
import type { ReadingRow } from '../../src/ingest/message-parser.js';
import { chunks, hasTimescaleDb, hypertables, runPolicy, timescaleDbSkipReason } from '../timescaledb.js';
import { firstOfKind, freshDatabase, type FreshDatabase } from './fresh-database.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
// .ci/run says which database each pass runs on; a run without it checks consistency only.
const EXPECTED = process.env.EXPECT_DATABASE;
const skipReason = await timescaleDbSkipReason();

let db: FreshDatabase;
beforeAll(async () => {
  db = await freshDatabase();
});
afterAll(() => db?.drop());

describe('the database of this run', () => {
  it(`is ${EXPECTED ?? 'TimescaleDB exactly when the server preloads it'}, and reading and event are hypertables exactly on TimescaleDB`, async () => {
    const tsdb = await hasTimescaleDb(db.pool);
    expect(tsdb).toBe(skipReason === null);
    if (EXPECTED === 'timescaledb') expect(tsdb).toBe(true);
    if (EXPECTED === 'plain') expect(tsdb).toBe(false);
    if (tsdb) {
      expect(await hypertables(db.pool)).toEqual(['event', 'reading']);
      const { rows } = await db.pool.query<{ table: string; proc: string; config: Record<string, string> }>(
        `SELECT hypertable_name AS table, proc_name AS proc, config FROM timescaledb_information.jobs
         WHERE hypertable_name IS NOT NULL ORDER BY 1, 2`,
      );
      // fresh-database.ts migrates with RETENTION_DAYS 30.
      expect(rows).toEqual([
        { table: 'event', proc: 'policy_compression', config: expect.objectContaining({ compress_after: '30 days' }) },
        { table: 'event', proc: 'policy_retention', config: expect.objectContaining({ drop_after: '30 days' }) },
        { table: 'reading', proc: 'policy_compression', config: expect.objectContaining({ compress_after: '7 days' }) },
        { table: 'reading', proc: 'policy_retention', config: expect.objectContaining({ drop_after: '30 days' }) },
      ]);
    } else {
      // Plain PostgreSQL: an ordinary table without TimescaleDB's catalogue.
      const { rows } = await db.pool.query(`SELECT relkind FROM pg_class WHERE oid = 'reading'::regclass`);
      expect(rows[0].relkind).toBe('r');
      expect((await db.pool.query(`SELECT 1 FROM pg_namespace WHERE nspname = '_timescaledb_catalog'`)).rowCount).toBe(0);
    }
  });
});

describe.skipIf(skipReason !== null)(`backfill into compressed chunks${skipReason ? ` (${skipReason})` : ''}`, () => {
  const pm25 = metricFor('air', 'pm25')!.id;
  let site: number;
  const now = Date.now();
  // Three days of one-minute readings in a region the compression policy (7 days) compresses,
  // and three in one it leaves alone.
  const oldFrom = Math.floor((now - 20 * DAY) / HOUR) * HOUR;
  const newFrom = Math.floor((now - 3 * DAY) / HOUR) * HOUR;
  const SPAN = 3 * DAY;
  const minutes = (from: number, offset: number): ReadingRow[] => {
    const out: ReadingRow[] = [];
    for (let t = from + offset; t < from + SPAN; t += MIN) out.push({ siteKey: site, metricId: pm25, timeMs: t, value: (t / MIN) % 97, assumedS: 60 });
    return out;
  };
  const write = async (readings: ReadingRow[], perBatch: number): Promise<{ inserted: number; duplicates: number; ms: number }> => {
    let inserted = 0;
    let duplicates = 0;
    const t0 = performance.now();
    for (let i = 0; i < readings.length; i += perBatch) {
      const r = await writeBatch(db.pool, { readings: readings.slice(i, i + perBatch), events: [], statuses: [], deadLetters: [] });
      inserted += r.inserted;
      duplicates += r.duplicates;
    }
    return { inserted, duplicates, ms: performance.now() - t0 };
  };
  const stored = async (from: number): Promise<{ n: number; sum: number; hourly_n: number; hourly_sum: number }> =>
    (
      await db.pool.query(
        `SELECT (SELECT count(*)::int FROM reading WHERE site_key = $1 AND metric_id = $2 AND time >= $3 AND time < $4) AS n,
                (SELECT sum(value) FROM reading WHERE site_key = $1 AND metric_id = $2 AND time >= $3 AND time < $4) AS sum,
                (SELECT sum(n)::int FROM reading_hourly WHERE site_key = $1 AND metric_id = $2 AND hour >= $3 AND hour < $4) AS hourly_n,
                (SELECT sum(sum) FROM reading_hourly WHERE site_key = $1 AND metric_id = $2 AND hour >= $3 AND hour < $4) AS hourly_sum`,
        [site, pm25, new Date(from), new Date(from + SPAN)],
      )
    ).rows[0];

  beforeAll(async () => {
    site = firstOfKind(db, 'air').key;
    await write([...minutes(oldFrom, 0), ...minutes(newFrom, 0)], 5000);
    await runPolicy(db.pool, 'policy_compression', 'reading');
  });

  it('the compression policy compressed the old chunks and left the recent ones', async () => {
    const all = await chunks(db.pool, 'reading');
    const old = all.filter((c) => c.toMs > oldFrom && c.fromMs < oldFrom + SPAN);
    const recent = all.filter((c) => c.toMs > newFrom && c.fromMs < newFrom + SPAN);
    expect(old.length).toBeGreaterThan(0);
    expect(old.every((c) => c.compressed)).toBe(true);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.some((c) => c.compressed)).toBe(false);
  });

  it('late readings and redeliveries into compressed chunks are stored once, rollup exact, the chunks compressed again by the next policy run; cost printed against uncompressed chunks', async () => {
    const SIZE = 500;
    const regions = { compressed: oldFrom, uncompressed: newFrom };
    type Region = keyof typeof regions;
    const names = Object.keys(regions) as Region[];
    /** Batches into both regions in turn, each timed apart, so that both see the same load on the machine. */
    const alternately = async (rows: (from: number) => ReadingRow[], perBatch: number): Promise<Record<Region, { inserted: number; duplicates: number; ms: number }>> => {
      const input = Object.fromEntries(names.map((n) => [n, rows(regions[n])])) as Record<Region, ReadingRow[]>;
      const out = Object.fromEntries(names.map((n) => [n, { inserted: 0, duplicates: 0, ms: 0 }])) as Record<Region, { inserted: number; duplicates: number; ms: number }>;
      for (let i = 0; i < input.compressed.length; i += perBatch) {
        for (const n of names) {
          const r = await write(input[n].slice(i, i + perBatch), perBatch);
          out[n].inserted += r.inserted;
          out[n].duplicates += r.duplicates;
          out[n].ms += r.ms;
        }
      }
      return out;
    };
    const before = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await stored(regions[n])]))) as Record<Region, Awaited<ReturnType<typeof stored>>>;
    for (const n of names) expect(before[n].n).toBe(SPAN / MIN);

    // A late message at a time: one reading every 3 hours of the span, each its own batch.
    const sparse = (from: number): ReadingRow[] => minutes(from, 15_000).filter((_, i) => i % 180 === 0);
    const one = await alternately(sparse, 1);
    // Half-minute readings (new) in device-sized batches, each with as many redelivered old ones.
    const late = (from: number): ReadingRow[] => minutes(from, 30_000);
    const mixed = (from: number): ReadingRow[] => late(from).flatMap((r, i) => [r, minutes(from, 0)[i]!]);
    const batched = await alternately(mixed, 2 * SIZE);
    // Everything again: nothing is new.
    const again = await alternately(mixed, 2 * SIZE);
    for (const n of names) {
      const from = regions[n];
      const added = [...sparse(from), ...late(from)];
      expect(one[n]).toMatchObject({ inserted: sparse(from).length, duplicates: 0 });
      expect(batched[n]).toMatchObject({ inserted: late(from).length, duplicates: late(from).length });
      expect(again[n]).toMatchObject({ inserted: 0, duplicates: mixed(from).length });
      const after = await stored(from);
      expect(after.n).toBe(before[n].n + added.length);
      expect(after.hourly_n).toBe(after.n);
      expect(after.sum).toBeCloseTo(before[n].sum + added.reduce((sum, x) => sum + x.value, 0), 6);
      expect(after.hourly_sum).toBeCloseTo(after.sum, 6);
    }

    // Late data leaves the old chunks partly compressed (status bit 8); the policy's next run compresses them again.
    const status = async (): Promise<number[]> =>
      (
        await db.pool.query<{ status: number }>(
          `SELECT c.status FROM _timescaledb_catalog.chunk c JOIN timescaledb_information.chunks i ON i.chunk_name = c.table_name
           WHERE i.hypertable_name = 'reading' AND i.range_end > $1 AND i.range_start < $2 ORDER BY i.range_start`,
          [new Date(oldFrom), new Date(oldFrom + SPAN)],
        )
      ).rows.map((r) => r.status);
    expect((await status()).some((x) => (x & 8) === 8)).toBe(true);
    const afterOld = await stored(oldFrom);
    await runPolicy(db.pool, 'policy_compression', 'reading');
    expect((await status()).every((x) => x === 1)).toBe(true);
    expect(await stored(oldFrom)).toEqual(afterOld);

    const us = (r: { ms: number }, n: number): string => ((r.ms * 1000) / n).toFixed(0);
    const nOne = sparse(oldFrom).length;
    const nBatched = mixed(oldFrom).length;
    console.log(
      `backfill cost, µs per reading into a compressed chunk vs an uncompressed one: ` +
        `one late reading per batch ${us(one.compressed, nOne)} vs ${us(one.uncompressed, nOne)}; ` +
        `batches of ${SIZE} new + ${SIZE} redelivered ${us(batched.compressed, nBatched)} vs ${us(batched.uncompressed, nBatched)}`,
    );
  });
});
