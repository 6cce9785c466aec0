import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestEnv, startHub, waitFor, withDb, type Hub, type TestEnv } from './harness/hub-process.js';

let t: TestEnv;
let hub: Hub | null = null;

beforeAll(async () => {
  t = await makeTestEnv();
});
afterAll(async () => {
  await hub?.stop();
  await t?.cleanup();
});

const SITES = ['gas-lingshui-regulator', 'gas-qixianling-valve', 'gas-hekou-riser', 'gas-yingeshi-regulator'];
const PER_SITE = 1000; // 4 sites × 1000 messages × 2 values = 8,000 readings

describe('crash safety', () => {
  it('loses nothing when the hub is killed with SIGKILL mid-stream and restarted', async () => {
    hub = await startHub(t);
    const start = Date.now() - 3 * 3_600_000;
    // A device-like publisher: QoS 1, keeps unacknowledged messages and resends them after reconnecting.
    const pub = mqtt.connect(t.mqttUrl, { clientId: `crash-${Date.now()}`, clean: false, reconnectPeriod: 200 });
    await new Promise<void>((resolve) => pub.once('connect', () => resolve()));
    let sent = 0;
    const acked: Promise<unknown>[] = [];
    const stored = (): Promise<number> =>
      withDb(t, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM reading')).rows[0]!.n).catch(() => -1);

    const publishAll = (async () => {
      for (let i = 0; i < PER_SITE; i++) {
        for (const [k, site] of SITES.entries()) {
          const payload = JSON.stringify({ ts: start + i * 5000 + k, values: { ch4_lel_pct: (i % 10) / 10, pressure_kpa: 5 + (i % 7) } });
          acked.push(pub.publishAsync(siteTopic(site, 'telemetry'), payload, { qos: 1 }));
          sent++;
        }
        // A steady stream (about 200 messages a second), as devices send, not one burst: a
        // broker queues a bounded number of messages for the stopped hub (Mosquitto's
        // max_queued_messages defaults to 1000; docker/mosquitto/mosquitto.conf raises it).
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    // Kill the hub once part of the stream is stored.
    await waitFor(async () => (await stored()) > 2000, 60_000, 'part of the stream to be stored');
    await hub.kill();
    const atKill = await stored();
    hub = await startHub(t);
    await publishAll;
    await Promise.all(acked);
    expect(sent).toBe(PER_SITE * SITES.length);
    await waitFor(async () => (await stored()) >= PER_SITE * SITES.length * 2, 90_000, 'every reading after the restart');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(atKill).toBeLessThan(PER_SITE * SITES.length * 2);
    expect(await stored()).toBe(PER_SITE * SITES.length * 2);
    await withDb(t, async (c) => {
      const r = await c.query<{ n: number }>('SELECT sum(n)::int AS n FROM reading_hourly');
      expect(r.rows[0]!.n).toBe(PER_SITE * SITES.length * 2);
    });
    await pub.endAsync();
  });
});
