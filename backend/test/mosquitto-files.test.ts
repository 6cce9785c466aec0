import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor, withDb } from './harness/hub-process.js';
import { mosquittoAvailable, startPrivateMosquitto, type PrivateMosquitto } from './harness/private-mosquitto.js';
import { useHub } from './use-hub.js';

const DEVICES_CLI = fileURLToPath(new URL('../dist/cli/devices.js', import.meta.url));
const HUB_PASSWORD = 'hub-secret-for-test';

/** The hub is here for its database: the command issues credentials into it. */
const ctx = useHub();
const dir = mkdtempSync(path.join(tmpdir(), 'tidewatch-mosquitto-'));
let broker: PrivateMosquitto | null = null;
let url = '';
let printed = new Map<string, string>();

function runDevicesCommand(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [DEVICES_CLI, ...args], { env: { ...process.env, DATABASE_URL: ctx.t.dbUrl() }, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Mosquitto on a spare port with the generated files, the hub's login added as the container's entrypoint adds it. */
async function startMosquitto(): Promise<void> {
  const passwd = spawnSync('mosquitto_passwd', ['-b', path.join(dir, 'passwd'), 'tidewatch-hub', HUB_PASSWORD], { encoding: 'utf8' });
  expect(passwd.status, passwd.stderr).toBe(0);
  broker = await startPrivateMosquitto(['allow_anonymous false', `password_file ${path.join(dir, 'passwd')}`, `acl_file ${path.join(dir, 'acl')}`, 'persistence false']);
  url = broker.url;
}

function connect(username: string | undefined, password: string | undefined): Promise<MqttClient> {
  return mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000, clientId: `t-${username ?? 'anon'}-${Math.random().toString(36).slice(2, 8)}` });
}

async function refused(username: string | undefined, password: string | undefined): Promise<boolean> {
  try {
    const c = await connect(username, password);
    await c.endAsync();
    return false;
  } catch {
    return true;
  }
}

describe.skipIf(!mosquittoAvailable)('npm run devices -- mosquitto: files a real Mosquitto 2 accepts', () => {
  beforeAll(async () => {
    const r = runDevicesCommand(['mosquitto', '--out', dir, 'air-hekou', 'gas-hekou-riser']);
    expect(r.status, r.stderr).toBe(0);
    printed = new Map(r.stdout.trim().split('\n').map((line) => line.split(' ') as [string, string]));
    await startMosquitto();
  });
  afterAll(async () => {
    await broker?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues a stored credential for each site named and prints its password once', async () => {
    expect([...printed.keys()]).toEqual(['air-hekou', 'gas-hekou-riser']);
    expect(readFileSync(path.join(dir, 'acl'), 'utf8')).toContain('topic write tidewatch/v1/sites/air-hekou/#');
    await withDb(ctx.t, async (c) => {
      const r = await c.query<{ id: string }>(`SELECT s.id FROM device_credential d JOIN site s ON s.key = d.site_key ORDER BY s.id`);
      expect(r.rows.map((x) => x.id)).toEqual(['air-hekou', 'gas-hekou-riser']);
    });
    expect(runDevicesCommand(['mosquitto', '--out', dir, 'air-nowhere']).status).toBe(1);
  });

  it('lets each device in with its printed password and the hub read what it writes', async () => {
    const hub = await connect('tidewatch-hub', HUB_PASSWORD);
    const granted = await hub.subscribeAsync('tidewatch/v1/sites/+/+', { qos: 1 });
    expect(granted[0]!.qos).toBe(1);
    const got: string[] = [];
    hub.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`));
    const air = await connect('air-hekou', printed.get('air-hekou'));
    const gas = await connect('gas-hekou-riser', printed.get('gas-hekou-riser'));
    await air.publishAsync(siteTopic('air-hekou', 'telemetry'), 'from air', { qos: 1 });
    // Mosquitto acknowledges a publish the ACL denies, and delivers it to nobody.
    await air.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), 'forged by air', { qos: 1 });
    await gas.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), 'from gas', { qos: 1 });
    await waitFor(async () => got.length >= 2, 5000, 'messages at the hub');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(got.sort()).toEqual([`${siteTopic('air-hekou', 'telemetry')} from air`, `${siteTopic('gas-hekou-riser', 'telemetry')} from gas`]);
    await Promise.all([hub.endAsync(), air.endAsync(), gas.endAsync()]);
  });

  it('keeps out anonymous clients, wrong passwords and sites not in the file', async () => {
    expect(await refused(undefined, undefined)).toBe(true);
    expect(await refused('air-hekou', 'not-the-password')).toBe(true);
    expect(await refused('air-hekou', printed.get('gas-hekou-riser'))).toBe(true);
    expect(await refused('air-lingshui', printed.get('air-hekou'))).toBe(true);
    expect(await refused('air-hekou', printed.get('air-hekou'))).toBe(false);
  });

  it('does not let a device read other devices’ topics', async () => {
    const air = await connect('air-hekou', printed.get('air-hekou'));
    const got: string[] = [];
    air.on('message', (topic) => got.push(topic));
    await air.subscribeAsync('#', { qos: 1 }).catch(() => undefined);
    const gas = await connect('gas-hekou-riser', printed.get('gas-hekou-riser'));
    await gas.publishAsync(siteTopic('gas-hekou-riser', 'telemetry'), 'private', { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(got).toEqual([]);
    await Promise.all([air.endAsync(), gas.endAsync()]);
  });
});
