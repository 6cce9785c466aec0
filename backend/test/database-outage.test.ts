import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceStream, hourlySince, READINGS_PER_MESSAGE, storedSince, tally } from './harness/device-stream.js';
import { api, login, makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from './harness/hub-process.js';
import { watchRss } from './harness/peak-rss.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

let db: PrivatePostgres;
let t: TestEnv;
let hub: Hub;
let token: string;

describe.skipIf(!privatePostgresAvailable)('the database going away', () => {
  beforeAll(async () => {
    db = await startPrivatePostgres();
    t = await makeTestEnv();
    // The hub's database for the checks too (withDb), not the fresh one makeTestEnv made on DATABASE_URL.
    t.env.DATABASE_URL = db.url;
    hub = await startHub(t);
    token = await login(t);
  });
  afterAll(async () => {
    await hub?.stop();
    await t?.cleanup();
    db?.destroy();
  });

  it('answers 503 with Retry-After (not 500) while it is down, keeps device data, and recovers by itself', async () => {
    expect((await api(t, token, '/api/sites')).status).toBe(200);
    db.stop();
    const started = Date.now();
    const down = await fetch(`${t.httpUrl}/api/sites`, { headers: { authorization: `Bearer ${token}` } });
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toBe('5');
    expect(((await down.json()) as { message: string }).message).toContain('database is unavailable');
    expect(Date.now() - started).toBeLessThan(8000);
    expect((await api(t, token, '/api/alerts')).status).toBe(503);
    expect((await fetch(`${t.httpUrl}/api/health`)).status).toBe(503);
    // A device keeps publishing; its messages wait unacknowledged until the database is back.
    const pub = await mqtt.connectAsync(t.mqttUrl, { clientId: `outage-${Date.now()}` });
    const ts = Date.now() - 60_000;
    const sent = pub.publishAsync(siteTopic('air-hekou', 'telemetry'), JSON.stringify({ ts, values: { pm25: 77.5 } }), { qos: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    db.start();
    await waitFor(async () => (await fetch(`${t.httpUrl}/api/health`)).status === 200, 60_000, 'health back to 200');
    await sent;
    await pub.endAsync();
    await waitFor(async () => {
      const r = await api<{ latest: Record<string, { value: number }> }>(t, token, '/api/sites/air-hekou');
      return r.status === 200 && r.body.latest.pm25?.value === 77.5;
    }, 30_000, 'the reading sent during the outage');
  });

  it('stopped for 10 seconds mid-stream: devices keep publishing, every reading is stored once, memory stays bounded', async () => {
    const startTs = Date.now() - 2 * 86_400_000;
    const stream = await deviceStream(t.mqttUrl, { startTs });
    // Ended even when an assertion fails: a device connected to the embedded broker holds up the hub's stop.
    try {
      await waitFor(async () => (await storedSince(t, startTs)) > 400, 30_000, 'part of the stream to be stored');
      const rss = watchRss(hub.proc.pid!);
      db.stop();
      const stoppedAt = Date.now();
      const during: number[] = [];
      while (Date.now() - stoppedAt < 10_000) {
        during.push((await fetch(`${t.httpUrl}/api/health`)).status);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      const publishedDuringOutage = stream.messages.length;
      db.start();
      const restartedAt = Date.now();
      await waitFor(async () => (await fetch(`${t.httpUrl}/api/health`)).status === 200, 30_000, 'health back to 200');
      console.log(`database outage: health 200 again ${Date.now() - restartedAt} ms after the database started`);
      const backlog = stream.messages.slice(0, publishedDuringOutage);
      await waitFor(async () => backlog.every((m) => m.ackedAt !== null), 30_000, "the outage's backlog acknowledged");
      const drainedMs = Date.now() - restartedAt;
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await stream.finish();
      const total = stream.messages.length * READINGS_PER_MESSAGE;
      await waitFor(async () => (await storedSince(t, startTs)) >= total, 30_000, 'every reading stored');
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { peakMiB, hwmMiB } = rss.stop();
      const result = await tally(t, stream, startTs);
      console.log(
        `database outage: ${stream.messages.length} messages (${total} readings) published, ${publishedDuringOutage} by the end of the outage, all of those acknowledged ${drainedMs} ms after the database started, ` +
          `${result.rows} rows stored; hub peak RSS ${peakMiB} MiB during the fault (VmHWM ${hwmMiB} MiB)`,
      );
      expect(during.every((status) => status === 503)).toBe(true);
      expect(result.missing).toEqual([]);
      expect(result.partial).toBe(0);
      expect(result.rows).toBe(total);
      const hourly = await hourlySince(t, startTs);
      expect(hourly).toBe(total);
      expect(peakMiB).toBeLessThan(350);
    } finally {
      await stream.client.endAsync(true);
    }
  });
});
