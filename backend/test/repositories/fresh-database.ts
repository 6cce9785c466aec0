import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate, seedSites, syncMetricCatalogue } from '../../src/database/migrate.js';
import type { Logger } from '../../src/logging/logger.js';
import { SitesRepository } from '../../src/sites/sites.repository.js';
import type { SiteMeta } from '../../src/sites/site-registry.js';

const SERVER_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const quiet = { info: () => undefined, debug: () => undefined, warn: () => undefined } as unknown as Logger;

/** A database of the test's own, migrated and seeded with the project's sites. */
export interface FreshDatabase {
  pool: pg.Pool;
  /** The seeded sites, active, by id. */
  sites: Map<string, SiteMeta>;
  drop(): Promise<void>;
}

async function onServer<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: SERVER_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates a database on DATABASE_URL's server, runs the migrations and seeds sites and metrics. */
export async function freshDatabase(): Promise<FreshDatabase> {
  const name = `tidewatch_repo_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const drop = (): Promise<unknown> => onServer((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  try {
    await migrate(url.toString(), 30, quiet);
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    await syncMetricCatalogue(pool);
    await seedSites(pool, quiet);
    const sites = new Map((await new SitesRepository(pool).active()).map((s) => [s.id, s]));
    return {
      pool,
      sites,
      drop: async () => {
        await pool.end();
        // pool.end() resolves before the server has seen its connections close; dropping WITH
        // (FORCE) then terminates a closing connection, whose FATAL reaches no error listener.
        await onServer(async (c) => {
          for (let i = 0; i < 100; i++) {
            const { rows } = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name]);
            if (rows[0]!.n === 0) return;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        });
        await drop();
      },
    };
  } catch (err) {
    await drop();
    throw err;
  }
}

/** The first seeded site of a kind. */
export function firstOfKind(db: FreshDatabase, kind: string): SiteMeta {
  const site = [...db.sites.values()].find((s) => s.kind === kind);
  if (!site) throw new Error(`no seeded ${kind} site`);
  return site;
}
