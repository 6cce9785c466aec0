import { readFile } from 'node:fs/promises';
import { METRICS, isSiteKind, SITE_ID_PATTERN } from '@tidewatch/contracts';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../logging/logger.js';
import { MIGRATIONS_DIR, SITES_SEED_FILE } from './paths.js';

/** Applies the numbered SQL migrations under db/migrations. */
export async function migrate(databaseUrl: string, retentionDays: number, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Read by the TimescaleDB migration for its retention policy.
    await client.query("SELECT set_config('tidewatch.retention_days', $1, false)", [String(retentionDays)]);
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      checkOrder: true,
      log: (msg: string) => log.debug({ migrate: msg }, 'migration'),
    });
    if (applied.length) log.info({ applied: applied.map((m) => m.name) }, 'migrations applied');
  } finally {
    await client.end();
  }
}

/** Keeps the `metric` table in step with the contracts catalogue. */
export async function syncMetricCatalogue(pool: pg.Pool): Promise<void> {
  await pool.query(
    `INSERT INTO metric (id, kind, name, unit, min, max)
     SELECT * FROM unnest($1::smallint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[])
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, unit = excluded.unit,
       min = excluded.min, max = excluded.max`,
    [
      METRICS.map((m) => m.id),
      METRICS.map((m) => m.kind),
      METRICS.map((m) => m.name),
      METRICS.map((m) => m.unit),
      METRICS.map((m) => m.min),
      METRICS.map((m) => m.max),
    ],
  );
}

const seedSiteSchema = z.object({
  id: z.string().regex(SITE_ID_PATTERN),
  kind: z.string().refine(isSiteKind, 'unknown kind'),
  name_zh: z.string().min(1),
  name_en: z.string().min(1),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  params: z.record(z.string(), z.unknown()).default({}),
});
const seedFileSchema = z.object({ sites: z.array(seedSiteSchema) });

/** Adds the seeded sites that are not there yet; sites an admin changed stay as they are. */
export async function seedSites(pool: pg.Pool, log: Logger, file = SITES_SEED_FILE): Promise<number> {
  const seed = seedFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
  const s = seed.sites;
  const { rowCount } = await pool.query(
    `INSERT INTO site (id, kind, name_zh, name_en, lat, lon, params)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::jsonb[])
     ON CONFLICT (id) DO NOTHING`,
    [
      s.map((x) => x.id),
      s.map((x) => x.kind),
      s.map((x) => x.name_zh),
      s.map((x) => x.name_en),
      s.map((x) => x.lat),
      s.map((x) => x.lon),
      s.map((x) => JSON.stringify(x.params)),
    ],
  );
  if (rowCount) log.info({ added: rowCount }, 'seeded sites');
  return s.length;
}
