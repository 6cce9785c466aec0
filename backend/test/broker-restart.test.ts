import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceStream, hourlySince, READINGS_PER_MESSAGE, storedSince, tally } from './harness/device-stream.js';
import { makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from './harness/hub-process.js';
import { mosquittoAvailable, startPrivateMosquitto, type PrivateMosquitto } from './harness/private-mosquitto.js';
import { watchRss } from './harness/peak-rss.js';

let broker: PrivateMosquitto;
let t: TestEnv;
let hub: Hub;

async function health(): Promise<{ status: number; mqtt: string }> {
  const res = await fetch(`${t.httpUrl}/api/health`);
  return { status: res.status, mqtt: ((await res.json()) as { mqtt: string }).mqtt };
}

/**
 * Streams device readings through a private Mosquitto (configured like
 * docker/mosquitto/mosquitto.conf) to the hub, stops the broker with `signal` for three
 * seconds, starts it again on the same port, and returns what was stored of the stream.
 */
async function restartMidStream(signal: 'SIGTERM' | 'SIGKILL', startTs: number, whileDown: () => void = () => undefined) {
  const stream = await deviceStream(broker.url, { startTs });
  await waitFor(async () => (await storedSince(t, startTs)) > 400, 30_000, 'part of the stream to be stored');
  const rss = watchRss(hub.proc.pid!);
  const killedAt = Date.now();
  await broker.stop(signal);
  await waitFor(async () => (await health()).status === 503, 5000, 'health to answer 503');
  expect((await health()).mqtt).toBe('down');
  await new Promise((resolve) => setTimeout(resolve, 3000));
  expect((await health()).status).toBe(503);
  whileDown();
  const restartedAt = Date.now();
  await broker.start();
  await waitFor(async () => (await health()).status === 200, 15_000, 'health back to 200');
  const healthyAt = Date.now();
  console.log(`broker ${signal}: health 200 again ${healthyAt - restartedAt} ms after the broker restarted`);
  // The stream goes on a little after the restart, then every message must be acknowledged.
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await stream.finish();
  const total = stream.messages.length * READINGS_PER_MESSAGE;
  const ackedBeforeKill = stream.messages.filter((m) => m.ackedAt !== null && m.ackedAt < killedAt).length;
  // Every reading stored, or (where the broker lost some) no more arriving for 2 s.
  let last = -1;
  let since = Date.now();
  await waitFor(async () => {
    const n = await storedSince(t, startTs);
    if (n !== last) [last, since] = [n, Date.now()];
    return n >= total || Date.now() - since > 2000;
  }, 15_000, 'the stored count to settle');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const { peakMiB, hwmMiB } = rss.stop();
  const result = await tally(t, stream, startTs);
  console.log(
    `broker ${signal}: ${stream.messages.length} messages (${total} readings) published, ${ackedBeforeKill} acknowledged before the kill, ` +
      `${result.rows} rows stored, ${result.missing.length} messages missing; hub peak RSS ${peakMiB} MiB during the fault (VmHWM ${hwmMiB} MiB)`,
  );
  expect(result.partial).toBe(0);
  expect(result.rows).toBe((stream.messages.length - result.missing.length) * READINGS_PER_MESSAGE);
  const hourly = await hourlySince(t, startTs);
  expect(hourly).toBe(result.rows);
  expect(peakMiB).toBeLessThan(350);
  await stream.client.endAsync();
  return { stream, result, killedAt, healthyAt };
}

describe.skipIf(!mosquittoAvailable)('the MQTT broker restarted mid-stream', () => {
  beforeAll(async () => {
    broker = await startPrivateMosquitto();
    t = await makeTestEnv();
    hub = await startHub(t, { MQTT_URL: broker.url, MQTT_CLIENT_ID: `tidewatch-hub-${randomBytes(4).toString('hex')}` });
  });
  afterAll(async () => {
    await hub?.stop();
    await t?.cleanup();
    await broker?.destroy();
  });

  it('stopped (SIGTERM): the hub and the devices reconnect, every acknowledged reading is stored once', async () => {
    const { result } = await restartMidStream('SIGTERM', Date.now() - 2 * 86_400_000);
    expect(result.missing).toEqual([]);
  });

  it('killed (SIGKILL): nothing is duplicated, and only what the broker had acknowledged before it died may be lost', async () => {
    // A long-running broker has the hub's session on disk (docker/mosquitto/mosquitto.conf saves
    // every 60 s and at shutdown). A broker killed before it ever saved it comes back without the
    // hub's subscription and drops what devices publish until the hub subscribes again
    // (docs/architecture.md, Faults). A graceful restart saves it here without waiting a minute.
    await broker.stop('SIGTERM');
    await broker.start();
    await waitFor(async () => (await health()).status === 200, 15_000, 'the hub back on the broker');
    const { result, killedAt } = await restartMidStream('SIGKILL', Date.now() - 86_400_000);
    for (const m of result.missing) expect(m.ackedAt).toBeLessThan(killedAt);
  });

  it('killed before it ever saved the hub session: loses only what it acknowledged before the hub subscribed again', async () => {
    // As if the broker died within its first minute: no saved session (docs/architecture.md §14).
    const { result, killedAt, healthyAt } = await restartMidStream('SIGKILL', Date.now() - 4 * 86_400_000, () => rmSync(path.join(broker.dir, 'mosquitto.db'), { force: true }));
    console.log(`broker SIGKILL without a saved session: ${result.missing.length * READINGS_PER_MESSAGE} readings lost`);
    // Health turns 200 on the CONNACK and the hub subscribes at once; the margin covers the SUBACK's round trip.
    const lateLoss = result.missing.filter((m) => m.ackedAt! >= killedAt && m.ackedAt! > healthyAt + 500);
    expect(lateLoss).toEqual([]);
  });
});
