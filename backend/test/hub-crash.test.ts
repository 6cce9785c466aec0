import { randomBytes } from 'node:crypto';
import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backfill, hourlySince, READINGS_PER_MESSAGE, storedSince, tally } from './harness/device-stream.js';
import { makeTestEnv, startHub, waitFor, withDb, type Hub, type TestEnv } from './harness/hub-process.js';
import { watchRss } from './harness/peak-rss.js';
import { mosquittoAvailable, startPrivateMosquitto } from './harness/private-mosquitto.js';

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

// A day of 10-second means from each of the four sites: 34,560 messages, 69,120 readings.
const BACKFILL_ROUNDS = 8640;

describe.skipIf(!mosquittoAvailable)('crash safety during a backfill', () => {
  it('completes a day of past readings, each stored once, when the hub is killed with SIGKILL in the middle and restarted', async () => {
    // Behind a Mosquitto set up like production's (docker/mosquitto/mosquitto.conf): the hub's
    // session keeps what arrives while the hub is down, far more than this burst.
    const broker = await startPrivateMosquitto();
    const env = await makeTestEnv();
    const hubEnv = { MQTT_URL: broker.url, MQTT_CLIENT_ID: `tidewatch-hub-${randomBytes(4).toString('hex')}` };
    let backfillHub = await startHub(env, hubEnv);
    try {
      const startTs = Date.UTC(2026, 0, 5);
      const device = await backfill(broker.url, { startTs, rounds: BACKFILL_ROUNDS, periodS: 10 });
      const total = BACKFILL_ROUNDS * 4 * READINGS_PER_MESSAGE;
      await waitFor(async () => (await storedSince(env, startTs)) > total / 5, 60_000, 'a fifth of the backfill to be stored');
      await backfillHub.kill();
      const atKill = await storedSince(env, startTs);
      backfillHub = await startHub(env, hubEnv);
      const restartedAt = Date.now();
      const rss = watchRss(backfillHub.proc.pid!);
      await waitFor(async () => (await storedSince(env, startTs)) >= total, 60_000, 'the whole backfill after the restart');
      const doneMs = Date.now() - restartedAt;
      await device.finish();
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { peakMiB, hwmMiB } = rss.stop();
      const result = await tally(env, device, startTs);
      console.log(
        `backfill: ${total} readings, ${atKill} stored when the hub was killed, the rest ${doneMs} ms after the restart; ` +
          `restarted hub's peak RSS ${peakMiB} MiB while it caught up (VmHWM ${hwmMiB} MiB)`,
      );
      expect(atKill).toBeLessThan(total);
      expect(result.missing).toEqual([]);
      expect(result.partial).toBe(0);
      expect(result.rows).toBe(total);
      expect(await hourlySince(env, startTs)).toBe(total);
      expect(peakMiB).toBeLessThan(350);
      await device.client.endAsync();
    } finally {
      await backfillHub.stop();
      await env.cleanup();
      await broker.destroy();
    }
  });
});
