/**
 * User recovery from the command line: `npm run admin -- reset-password [USER]` (USER defaults
 * to admin) prints a new generated password that must be changed at next sign-in. It works on
 * DATABASE_URL, else on the embedded database in DATA_DIR (default ./data): the running hub's,
 * or started for the command when no hub runs.
 */
import { FIRST_ADMIN, resetToGeneratedPassword } from '../auth/first-admin.js';
import { SessionsRepository } from '../auth/sessions.repository.js';
import { UsersRepository } from '../auth/users.repository.js';
import { configSchema } from '../config/config.js';
import { hasEmbeddedDatabase, runningEmbeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase } from '../database/embedded-postgres.js';
import { migrate } from '../database/migrate.js';
import { createPool } from '../database/pool.js';
import { createLogger, type Logger } from '../logging/logger.js';

const USAGE = 'usage: npm run admin -- reset-password [USER]   (USER: admin unless given)';

async function openDatabase(log: Logger): Promise<{ url: string; embedded: EmbeddedDatabase | null }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, embedded: null };
  const dataDir = process.env.DATA_DIR || './data';
  const running = runningEmbeddedUrl(dataDir);
  if (running) return { url: running, embedded: null };
  if (!hasEmbeddedDatabase(dataDir)) throw new Error(`no database in ${dataDir}: start the hub once (npm start), or set DATA_DIR or DATABASE_URL`);
  const embedded = await startEmbeddedPostgres(dataDir, log);
  return { url: embedded.url, embedded };
}

async function main(): Promise<void> {
  const [command, username = FIRST_ADMIN, ...rest] = process.argv.slice(2);
  if (command !== 'reset-password' || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const log = createLogger('warn');
  const { url, embedded } = await openDatabase(log);
  const pool = createPool(url, 30_000, log);
  try {
    // A database last used by an older hub gets the columns this command sets.
    await migrate(url, configSchema.shape.RETENTION_DAYS.parse(process.env.RETENTION_DAYS || undefined), log);
    const password = await resetToGeneratedPassword(new UsersRepository(pool), new SessionsRepository(pool), username);
    if (password === null) throw new Error(`no user ${username}`);
    process.stdout.write(`New password for user "${username}": password "${password}" (shown once; it must be changed at the next sign-in; their sessions have ended)\n`);
  } finally {
    await pool.end();
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`admin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
