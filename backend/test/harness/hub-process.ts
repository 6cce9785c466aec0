/**
 * Runs the built hub as a child process against real services, for the integration tests
 * and the benchmark.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import pg from 'pg';
import { freeLoopbackPort } from '../../src/common/net.js';

/** The built hub: dist/main.js of the backend package this file belongs to (from its source or the benchmark's build). */
function builtHub(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'dist', 'main.js');
}
const MAIN = builtHub();
/** A file of the built backend, e.g. `cli/admin.js`. */
export function builtFile(relative: string): string {
  return path.join(path.dirname(MAIN), relative);
}
export const ADMIN_PASSWORD = 'integration-admin-pw';

/**
 * Where the integration tests run: against DATABASE_URL / MQTT_URL when set (a fresh
 * database per test file on that server, a unique MQTT session), else the hub's own
 * embedded PostgreSQL and broker. `databaseServerUrl` picks another server for the database;
 * `embeddedBroker` keeps the hub on its own broker even when MQTT_URL is set.
 */
export interface TestEnv {
  env: NodeJS.ProcessEnv;
  /** URL of the broker devices publish to. */
  mqttUrl: string;
  httpUrl: string;
  hj212Port: number;
  /** Connection to the hub's database, for checking what was stored (null until the hub started). */
  dbUrl: () => string;
  cleanup(): Promise<void>;
}

/**
 * `embedded`: the hub's own PostgreSQL and broker even when DATABASE_URL / MQTT_URL are set
 * (tests of the embedded default); `databaseServerUrl`: the database on another server;
 * `embeddedBroker`: the hub's own broker even when MQTT_URL is set.
 */
export async function makeTestEnv(opts: { embedded?: boolean; databaseServerUrl?: string; embeddedBroker?: boolean } = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tidewatch-test-'));
  const httpPort = await freeLoopbackPort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    PORT: String(httpPort),
    HJ212_PORT: String(await freeLoopbackPort()),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD,
    SIMULATE: 'false',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
  };
  let dbName: string | null = null;
  const external = opts.embedded ? undefined : (opts.databaseServerUrl ?? process.env.DATABASE_URL);
  const externalBroker = opts.embedded || opts.embeddedBroker ? undefined : process.env.MQTT_URL;
  if (external) {
    dbName = `tidewatch_test_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: external });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    const u = new URL(external);
    u.pathname = `/${dbName}`;
    env.DATABASE_URL = u.toString();
  }
  let mqttUrl: string;
  const clientId = `tidewatch-test-${randomBytes(4).toString('hex')}`;
  if (externalBroker) {
    mqttUrl = externalBroker;
    env.MQTT_URL = mqttUrl;
    env.MQTT_CLIENT_ID = clientId;
  } else {
    const port = await freeLoopbackPort();
    env.MQTT_PORT = String(port);
    env.MQTT_HOST = '127.0.0.1';
    // The tests publish without credentials unless they are about them (those set it false).
    env.MQTT_ALLOW_ANONYMOUS = 'true';
    mqttUrl = `mqtt://127.0.0.1:${port}`;
  }
  return {
    env,
    mqttUrl,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    hj212Port: Number(env.HJ212_PORT),
    dbUrl: () => env.DATABASE_URL ?? embeddedUrl(dataDir),
    async cleanup() {
      if (externalBroker) {
        // End the hub's persistent session so the broker stops queueing for it.
        const c = await mqtt.connectAsync(mqttUrl, { clientId, clean: true, protocolVersion: 5 });
        await c.endAsync();
      }
      if (external && dbName) {
        const admin = new pg.Client({ connectionString: external });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The embedded database's URL, from the port in its pid file and the kept password. */
function embeddedUrl(dataDir: string): string {
  // Line 4 of postmaster.pid holds the port.
  const port = readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[3];
  const password = readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/tidewatch`;
}

export interface Hub {
  proc: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

/**
 * Starts the built hub as its own process and waits until /api/health says ok. `ownGroup`:
 * in a process group of its own, as a terminal runs it (its pid is the group's id); `viaNpm`:
 * under npm, as `npm start` runs it (npm, a shell, then the hub; `proc` is npm); `nodeArgs`:
 * node options before its script (the benchmark's profiling).
 */
export async function startHub(t: TestEnv, extraEnv: NodeJS.ProcessEnv = {}, opts: { ownGroup?: boolean; viaNpm?: boolean; nodeArgs?: string[] } = {}): Promise<Hub> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startHubOnce(t, extraEnv, opts);
    } catch (err) {
      // A port found free a moment ago can be taken before the hub binds it (an outgoing
      // connection's ephemeral port): choose new ones and start again.
      if (attempt >= 3 || !String(err).includes('EADDRINUSE')) throw err;
      await movePorts(t, extraEnv);
    }
  }
}

/** New free ports for the listeners the test environment chose (not those a test set itself). */
async function movePorts(t: TestEnv, extraEnv: NodeJS.ProcessEnv): Promise<void> {
  if (extraEnv.PORT === undefined) {
    const port = await freeLoopbackPort();
    t.env.PORT = String(port);
    t.httpUrl = `http://127.0.0.1:${port}`;
  }
  if (extraEnv.HJ212_PORT === undefined && t.env.HJ212_PORT !== '0') {
    t.env.HJ212_PORT = String(await freeLoopbackPort());
    t.hj212Port = Number(t.env.HJ212_PORT);
  }
  if (extraEnv.MQTT_PORT === undefined && t.env.MQTT_PORT !== undefined) {
    t.env.MQTT_PORT = String(await freeLoopbackPort());
    t.mqttUrl = `mqtt://127.0.0.1:${t.env.MQTT_PORT}`;
  }
}

async function startHubOnce(t: TestEnv, extraEnv: NodeJS.ProcessEnv, opts: { ownGroup?: boolean; viaNpm?: boolean; nodeArgs?: string[] }): Promise<Hub> {
  const nodeArgs = opts.nodeArgs ?? [];
  const [command, args] = opts.viaNpm ? ['npm', ['exec', '--offline', '--', 'node', ...nodeArgs, MAIN]] : [process.execPath, [...nodeArgs, MAIN]];
  const proc = spawn(command, args, { env: { ...t.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'], detached: opts.ownGroup === true });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`hub exited during start:\n${out}`);
    try {
      const res = await fetch(`${t.httpUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`hub not healthy in time:\n${out}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
    async kill() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

export async function login(t: TestEnv, username = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const res = await fetch(`${t.httpUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

/** A password the hub's policy accepts, for users the tests create. */
export const TEST_USER_PASSWORD = 'Harbour-watch-2026';

/** Creates a user (no password change required) and signs in as them; returns their token. */
export async function addUser(t: TestEnv, adminToken: string, username: string, role: 'viewer' | 'operator' | 'admin'): Promise<string> {
  const res = await api<{ message?: unknown }>(t, adminToken, '/api/users', {
    method: 'POST',
    body: JSON.stringify({ username, password: TEST_USER_PASSWORD, role, must_change_password: false }),
  });
  if (res.status !== 201) throw new Error(`creating ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return login(t, username, TEST_USER_PASSWORD);
}

export async function api<T>(t: TestEnv, token: string, pathAndQuery: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(`${t.httpUrl}${pathAndQuery}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function withDb<T>(t: TestEnv, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: t.dbUrl() });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Polls until `fn` returns true or the time is up. */
export async function waitFor(fn: () => Promise<boolean>, ms = 60_000, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await fn()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}
