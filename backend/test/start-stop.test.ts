/**
 * Starting and stopping the embedded default as a person does from a terminal: Ctrl-C sends
 * SIGINT to the whole foreground process group; a service manager sends SIGTERM to the hub.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { makeTestEnv, startHub, withDb, type Hub, type TestEnv } from './harness/hub-process.js';

/** The hub stops within 20 s (backend/src/common/stop-signals.ts); these stops need far less. */
const STOP_BOUND_MS = 10_000;

let t: TestEnv | null = null;
let hubs: Hub[] = [];

afterEach(async () => {
  for (const h of hubs) await h.kill().catch(() => undefined);
  hubs = [];
  await t?.cleanup();
  t = null;
});

async function start(viaNpm = false): Promise<Hub> {
  const hub = await startHub(t!, {}, { ownGroup: true, viaNpm });
  hubs.push(hub);
  return hub;
}

function dataDir(): string {
  return t!.env.DATA_DIR!;
}

/** Pids of the PostgreSQL processes (postmaster and backends) running on this test's data folder. */
function postgresOf(dir: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes('postgres') && cmd.includes(path.join(dir, 'pg'))) found.push(Number(entry));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

/** The process group of a pid (field 5 of /proc/PID/stat, after the command in parentheses). */
function processGroup(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

/** Waits for the process to exit; its exit code or signal and how long it took. */
async function exitOf(hub: Hub, since: number, boundMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }> {
  const deadline = Date.now() + boundMs;
  while (hub.proc.exitCode === null && hub.proc.signalCode === null && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { code: hub.proc.exitCode, signal: hub.proc.signalCode, ms: Date.now() - since };
}

async function noPostgresWithin(dir: string, ms: number): Promise<number[]> {
  const until = Date.now() + ms;
  while (postgresOf(dir).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
  return postgresOf(dir);
}

const SITE = 'gas-hekou-riser';

function reading(lel: number): string {
  return JSON.stringify({ ts: Date.now(), values: { ch4_lel_pct: lel } });
}

/** A device that stays connected, having published one reading (QoS 1, acknowledged once stored). */
async function connectedDevice(): Promise<mqtt.MqttClient> {
  const client = await mqtt.connectAsync(t!.mqttUrl, { clientId: `stop-test-${SITE}`, reconnectPeriod: 0, keepalive: 60 });
  await client.publishAsync(siteTopic(SITE, 'telemetry'), reading(3), { qos: 1 });
  return client;
}

/**
 * Holds the readings table locked, so that a device's next reading waits in the hub's ingest
 * and the hub's orderly stop, which drains ingest, cannot finish.
 */
async function lockReadings(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: t!.dbUrl() });
  c.on('error', () => undefined); // ended by the database's shutdown
  await c.connect();
  await c.query('BEGIN');
  await c.query('LOCK TABLE reading IN ACCESS EXCLUSIVE MODE');
  return c;
}

/** A stop that cannot finish: a reading waiting for the locked table. */
async function stuckStop(device: mqtt.MqttClient): Promise<void> {
  await lockReadings();
  device.publish(siteTopic(SITE, 'telemetry'), reading(4), { qos: 1 });
  await new Promise((resolve) => setTimeout(resolve, 500));
}

describe('stopping the embedded default', () => {
  it('Ctrl-C (SIGINT to the process group) stops the hub, then its database, within the bound; the next start works', async () => {
    t = await makeTestEnv({ embedded: true });
    const hub = await start();
    const device = await connectedDevice();
    const [postmaster] = postgresOf(dataDir()).sort((a, b) => a - b);
    // The database is outside the terminal's process group: Ctrl-C does not reach it.
    expect(processGroup(postmaster!)).not.toBe(hub.proc.pid);
    expect(processGroup(hub.proc.pid!)).toBe(hub.proc.pid);

    const sent = Date.now();
    process.kill(-hub.proc.pid!, 'SIGINT');
    const { code, ms } = await exitOf(hub, sent, STOP_BOUND_MS);
    expect(code, hub.output()).toBe(0);
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    expect(hub.output()).not.toContain('ECONNREFUSED');
    expect(await noPostgresWithin(dataDir(), 2000)).toEqual([]);
    await device.endAsync(true);

    const again = await start();
    expect(again.output()).toContain('Tidewatch is running');
    const stored = await withDb(t, (c) => c.query('SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1', [SITE]));
    expect(stored.rows[0].n).toBe(1);
    await again.stop();
  });

  it('Ctrl-C under npm (npm, its shell and the hub in one group, npm forwarding its copy) stops in order, once', async () => {
    t = await makeTestEnv({ embedded: true });
    const npm = await start(true);
    const device = await connectedDevice();
    const sent = Date.now();
    process.kill(-npm.proc.pid!, 'SIGINT');
    const { code, signal, ms } = await exitOf(npm, sent, STOP_BOUND_MS);
    // npm waits for the hub, then ends itself by the signal it got.
    expect({ code, signal }, npm.output()).toEqual({ code: null, signal: 'SIGINT' });
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    expect(npm.output().match(/stopping \(within/g)).toHaveLength(1);
    expect(npm.output()).toContain('tidewatch: stopped');
    expect(npm.output()).not.toContain('exiting now');
    expect(await noPostgresWithin(dataDir(), 2000)).toEqual([]);
    await device.endAsync(true);
  });

  it('a second Ctrl-C exits at once and still stops the database; the next start works', async () => {
    t = await makeTestEnv({ embedded: true });
    const hub = await start();
    const device = await connectedDevice();
    await stuckStop(device);
    process.kill(-hub.proc.pid!, 'SIGINT');
    // A person's second Ctrl-C (one within SAME_SIGNAL_MS is taken for the first, see backend/src/common/stop-signals.ts).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(hub.proc.exitCode).toBeNull();
    const sent = Date.now();
    process.kill(-hub.proc.pid!, 'SIGINT');
    const { code, ms } = await exitOf(hub, sent, STOP_BOUND_MS);
    // 130: the second signal's immediate exit, not the end of the orderly stop (0).
    expect(code, hub.output()).toBe(130);
    expect(ms).toBeLessThan(1500);
    expect(await noPostgresWithin(dataDir(), 5000)).toEqual([]);
    await device.endAsync(true);

    const again = await start();
    expect(again.output()).toContain('Tidewatch is running');
    await again.stop();
  });

  it('a stop stuck on the database still ends at the bound, with the database stopped', async () => {
    t = await makeTestEnv({ embedded: true });
    const hub = await start();
    const device = await connectedDevice();
    await stuckStop(device);
    const sent = Date.now();
    process.kill(-hub.proc.pid!, 'SIGINT');
    const { code, ms } = await exitOf(hub, sent, 30_000);
    expect(code, hub.output()).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(19_000);
    expect(ms).toBeLessThan(25_000);
    expect(hub.output()).toContain('still stopping after 20 s');
    expect(await noPostgresWithin(dataDir(), 5000)).toEqual([]);
    device.end(true);
  });

  it('SIGTERM with a device connected to the embedded broker exits within the bound, closing the connection', async () => {
    t = await makeTestEnv({ embedded: true });
    const hub = await start();
    const device = await connectedDevice();
    const closed = new Promise<void>((resolve) => device.once('close', () => resolve()));
    const sent = Date.now();
    hub.proc.kill('SIGTERM');
    const { code, ms } = await exitOf(hub, sent, STOP_BOUND_MS);
    expect(code, hub.output()).toBe(0);
    expect(ms).toBeLessThan(STOP_BOUND_MS);
    await closed;
    expect(await noPostgresWithin(dataDir(), 2000)).toEqual([]);
    device.end(true);
  });

  it('a hub and database killed outright, and pid files naming other live programs, do not block the next start', async () => {
    t = await makeTestEnv({ embedded: true });
    const hub = await start();
    const dir = dataDir();
    hub.proc.kill('SIGKILL');
    for (const pid of postgresOf(dir)) process.kill(pid, 'SIGKILL');
    expect(await noPostgresWithin(dir, 5000)).toEqual([]);
    // Their pids are reused by other programs (a container restarted, a reboot).
    const other = spawn('sleep', ['120'], { stdio: 'ignore' });
    try {
      const pidFile = path.join(dir, 'pg', 'postmaster.pid');
      const lines = readFileSync(pidFile, 'utf8').split('\n');
      lines[0] = String(other.pid);
      writeFileSync(pidFile, lines.join('\n'));
      writeFileSync(path.join(dir, 'hub.pid'), `${other.pid}\n`);

      const again = await start();
      expect(again.output()).toContain('Tidewatch is running');
      expect(other.exitCode).toBeNull();
      expect(other.signalCode).toBeNull();
      await again.stop();
    } finally {
      other.kill('SIGKILL');
    }
  });
});
