import type { Config } from '../config/config.js';
import type { Feature } from '../common/feature.js';
import { Periodic, type OnceOnly } from '../common/periodic.js';
import type { Logger } from '../logging/logger.js';
import { DatabaseProbe } from './database-probe.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { migrate, seedSites, syncMetricCatalogue } from './migrate.js';
import { createPool, type DatabasePool } from './pool.js';
import { RetentionRepository } from './retention.repository.js';

const RETENTION_SWEEP_MS = 3_600_000;
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', '28P01', '3D000', '28000']);

export interface StorageFeature extends Feature {
  readonly pool: DatabasePool;
}

/**
 * The database: the embedded PostgreSQL when DATABASE_URL is unset, migrations, the
 * metric catalogue and seed sites, the pool, and the hourly retention sweep. It stops last.
 */
export async function openStorage(config: Config, log: Logger, onceOnly: OnceOnly = () => true): Promise<StorageFeature> {
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(config.DATA_DIR, log);
  const stopEmbedded = async (): Promise<void> => {
    await embedded?.stop().catch(() => undefined);
  };
  const url = config.DATABASE_URL ?? embedded!.url;
  try {
    await migrate(url, config.RETENTION_DAYS, log);
  } catch (err) {
    await stopEmbedded();
    const e = err as { code?: string; message?: string };
    if (e.code && UNREACHABLE.has(e.code)) {
      throw new Error(`cannot reach PostgreSQL (${e.code}: ${e.message}); check DATABASE_URL, or unset it to run the embedded database`, { cause: err });
    }
    throw err;
  }
  const pool = createPool(url, config.DB_STATEMENT_TIMEOUT_MS, log);
  const periodic = new Periodic(log);
  const stop = async (): Promise<void> => {
    periodic.stop();
    await pool.end().catch(() => undefined);
    await stopEmbedded();
  };
  try {
    await syncMetricCatalogue(pool);
    await seedSites(pool, log);
  } catch (err) {
    await stop();
    throw err;
  }
  const retention = new RetentionRepository(pool);
  return {
    name: 'storage',
    pool,
    providers: [{ provide: DatabaseProbe, useValue: new DatabaseProbe(pool) }],
    async start() {
      // Raw readings older than RETENTION_DAYS go (on TimescaleDB its policy drops whole chunks first).
      periodic.every(RETENTION_SWEEP_MS, 'retention sweep', async () => {
        const deleted = await retention.sweep(config.RETENTION_DAYS);
        if (deleted) log.info({ deleted }, 'retention sweep');
      }, onceOnly);
    },
    stop,
  };
}
