import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, login, makeTestEnv, startHub, waitFor, type Hub, type TestEnv } from './harness/hub-process.js';
import { privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres } from './private-postgres.js';

let db: PrivatePostgres;
let t: TestEnv;
let hub: Hub;
let token: string;

describe.skipIf(!privatePostgresAvailable)('the database going away', () => {
  beforeAll(async () => {
    db = await startPrivatePostgres();
    t = await makeTestEnv();
    hub = await startHub(t, { DATABASE_URL: db.url });
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
});
