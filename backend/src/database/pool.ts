import pg from 'pg';
import type { Logger } from '../logging/logger.js';

export type DatabasePool = pg.Pool;

/** The hub's connection pool. */
export function createPool(url: string, statementTimeoutMs: number, log: Logger): DatabasePool {
  // Bounded waits: with the database away, requests fail within seconds (503) instead of piling up.
  const pool = new pg.Pool({
    connectionString: url,
    max: 20,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: 60_000,
    // A dead server or a cut network is noticed in about a minute, not after the system's two hours.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  });
  // Once ending, the pool's connections close on their own time and the embedded database's
  // stop may end them first: not a failure.
  pool.on('error', (err) => {
    if (!pool.ending) log.warn({ err: err.message }, 'idle database connection failed');
  });
  return pool;
}
