import net from 'node:net';
import { MAX_PAYLOAD_BYTES, siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import mqttPacket from 'mqtt-packet';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitFor, withDb, addUser } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

// The embedded broker's own rules; an external broker (MQTT_URL) has its own password file and ACL.
const embedded = !process.env.MQTT_URL;
const ctx = useHub({ MQTT_ALLOW_ANONYMOUS: 'false' });

let token = '';
beforeAll(async () => {
  if (embedded) token = await login(ctx.t);
});

async function issue(site: string): Promise<string> {
  const res = await api<{ username: string; password: string }>(ctx.t, token, `/api/sites/${site}/credentials`, { method: 'POST' });
  expect(res.status).toBe(201);
  expect(res.body.username).toBe(site);
  return res.body.password;
}

function connect(username: string | undefined, password: string | undefined, clientId = `dev-${username ?? 'anon'}-${Date.now()}`): Promise<MqttClient> {
  return mqtt.connectAsync(ctx.t.mqttUrl, { clientId, username, password, reconnectPeriod: 0, connectTimeout: 5000 });
}

/** Resolves when the broker closes the client's connection; fails after `ms`. */
function closed(client: MqttClient, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!client.connected) return resolve();
    const timer = setTimeout(() => reject(new Error('connection still open')), ms);
    client.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Connection refused: resolves with the CONNACK return code. */
async function refusedCode(username: string | undefined, password: string | undefined, clientId?: string): Promise<number> {
  try {
    const c = await connect(username, password, clientId);
    await c.endAsync();
    return 0;
  } catch (err) {
    return (err as { code?: number }).code ?? -1;
  }
}

const reading = (pm25: number, ts = Date.now()): string => JSON.stringify({ ts, values: { pm25 } });

async function readingsOf(site: string): Promise<number> {
  return withDb(ctx.t, async (c) => {
    const r = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = $1`, [site]);
    return r.rows[0]!.n;
  });
}

/** Publishes as a device and waits for the reading to be stored: the positive control of each refusal. */
async function publishStored(client: MqttClient, site: string): Promise<void> {
  const before = await readingsOf(site);
  await client.publishAsync(siteTopic(site, 'telemetry'), reading(12), { qos: 1 });
  await waitFor(async () => (await readingsOf(site)) > before, 10_000, `${site} reading stored`);
}

describe.skipIf(!embedded)('embedded broker: who may connect, publish and subscribe', () => {
  it('refuses an anonymous client, and what it sent before the refusal is not stored', async () => {
    expect(await refusedCode(undefined, undefined)).toBe(5);
    // CONNECT and PUBLISH in one write, as a client that does not wait for CONNACK sends them.
    const socket = net.connect(Number(new URL(ctx.t.mqttUrl).port), '127.0.0.1');
    const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.write(
      Buffer.concat([
        mqttPacket.generate({ cmd: 'connect', clientId: 'anon-raw', protocolId: 'MQTT', protocolVersion: 4, clean: true, keepalive: 30 }),
        mqttPacket.generate({ cmd: 'publish', topic: siteTopic('air-lingshui', 'telemetry'), payload: Buffer.from(reading(33)), qos: 1, messageId: 1, retain: false, dup: false }),
      ]),
    );
    await ended;
    const device = await connect('air-hekou', await issue('air-hekou'));
    await publishStored(device, 'air-hekou');
    await device.endAsync();
    expect(await readingsOf('air-lingshui')).toBe(0);
    expect(await refusedCode('air-hekou', 'wrong-password')).toBe(4);
    expect(await refusedCode('air-nowhere', 'whatever')).toBe(4);
  });

  it('closes a device that publishes to another site’s topic, storing nothing of it', async () => {
    const device = await connect('gas-hekou-riser', await issue('gas-hekou-riser'));
    const gone = closed(device);
    device.publish(siteTopic('gas-lingshui-regulator', 'telemetry'), JSON.stringify({ values: { ch4_lel_pct: 80 } }), { qos: 1 });
    await gone;
    device.end(true);
    // The site's own device still publishes: the refusal was of the topic, not of storage.
    const own = await connect('gas-lingshui-regulator', await issue('gas-lingshui-regulator'));
    await own.publishAsync(siteTopic('gas-lingshui-regulator', 'telemetry'), JSON.stringify({ values: { ch4_lel_pct: 0.2 } }), { qos: 1 });
    await own.endAsync();
    await waitFor(async () => (await readingsOf('gas-lingshui-regulator')) === 1, 10_000, 'own reading');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await readingsOf('gas-lingshui-regulator')).toBe(1);
  });

  it('grants a device no subscription at all', async () => {
    const device = await connect('air-qixianling', await issue('air-qixianling'));
    for (const filter of ['#', '$SYS/#', siteTopic('air-hekou', 'telemetry'), 'tidewatch/v1/sites/+/+', siteTopic('air-qixianling', 'telemetry')]) {
      await expect(device.subscribeAsync(filter, { qos: 1 }), filter).rejects.toMatchObject({ packet: { granted: [128] } });
    }
    await device.endAsync();
  });

  it('disconnects a revoked device at once and refuses its reconnection', async () => {
    const password = await issue('air-xiaopingdao');
    const device = await connect('air-xiaopingdao', password);
    await publishStored(device, 'air-xiaopingdao');
    const gone = closed(device);
    const t0 = Date.now();
    expect((await api(ctx.t, token, '/api/sites/air-xiaopingdao/credentials', { method: 'DELETE' })).status).toBe(204);
    await gone;
    expect(Date.now() - t0).toBeLessThan(2000);
    device.end(true);
    expect(await refusedCode('air-xiaopingdao', password)).toBe(4);
    expect((await api(ctx.t, token, '/api/sites/air-nowhere/credentials', { method: 'DELETE' })).status).toBe(404);
  });

  it('disconnects a device whose credential is rotated; only the new password connects', async () => {
    const old = await issue('air-caidaling');
    const device = await connect('air-caidaling', old);
    const gone = closed(device);
    const fresh = await issue('air-caidaling');
    await gone;
    device.end(true);
    expect(await refusedCode('air-caidaling', old)).toBe(4);
    const again = await connect('air-caidaling', fresh);
    await publishStored(again, 'air-caidaling');
    await again.endAsync();
  });

  it('lets only an admin revoke a credential', async () => {
    const operator = await addUser(ctx.t, token, 'op-broker', 'operator');
    expect((await api(ctx.t, operator, '/api/sites/air-hekou/credentials', { method: 'DELETE' })).status).toBe(403);
  });

  it('refuses retained telemetry but keeps a retained status without its flag', async () => {
    const device = await connect('air-huangnichuan', await issue('air-huangnichuan'));
    await device.publishAsync(siteTopic('air-huangnichuan', 'status'), 'online', { qos: 1, retain: true });
    await publishStored(device, 'air-huangnichuan');
    const gone = closed(device);
    device.publish(siteTopic('air-huangnichuan', 'telemetry'), reading(99), { qos: 1, retain: true });
    await gone;
    device.end(true);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await readingsOf('air-huangnichuan')).toBe(1);
  });

  it('closes a connection sending a packet past the size limit, and stays up for others', async () => {
    const device = await connect('air-yingeshi', await issue('air-yingeshi'));
    const gone = closed(device);
    device.publish(siteTopic('air-yingeshi', 'telemetry'), Buffer.alloc(MAX_PAYLOAD_BYTES * 4, 0x20), { qos: 1 });
    await gone;
    device.end(true);
    expect(await readingsOf('air-yingeshi')).toBe(0);
    await withDb(ctx.t, async (c) => {
      expect((await c.query(`SELECT 1 FROM dead_letter WHERE topic LIKE '%air-yingeshi%'`)).rowCount).toBe(0);
    });
    const again = await connect('air-yingeshi', (await issue('air-yingeshi')));
    await publishStored(again, 'air-yingeshi');
    await again.endAsync();
  });

  it('refuses an overlong client id, and one site’s device taking over another’s client id', async () => {
    const password = await issue('air-longwangtang');
    expect(await refusedCode('air-longwangtang', password, 'x'.repeat(129))).toBe(2);
    const holder = await connect('air-longwangtang', password, 'shared-id');
    expect(await refusedCode('air-lingshui', await issue('air-lingshui'), 'shared-id')).toBe(2);
    expect(holder.connected).toBe(true);
    await holder.endAsync();
  });
});
