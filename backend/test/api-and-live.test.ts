import { siteTopic, type LiveSnapshot, type SiteSnapshot } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

const ctx = useHub();
let admin: string;
beforeAll(async () => {
  admin = await login(ctx.t);
});

async function publish(topic: string, payload: unknown): Promise<void> {
  const c = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `api-test-${Math.random().toString(36).slice(2)}` });
  await c.publishAsync(topic, typeof payload === 'string' ? payload : JSON.stringify(payload), { qos: 1 });
  await c.endAsync();
}

describe('HTTP API', () => {
  it('answers health and metrics without login, everything else only with a token', async () => {
    const health = await fetch(`${ctx.t.httpUrl}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', db: 'up', mqtt: 'up' });
    expect((await fetch(`${ctx.t.httpUrl}/metrics`)).status).toBe(200);
    expect((await fetch(`${ctx.t.httpUrl}/api/sites`)).status).toBe(401);
    expect((await api(ctx.t, 'forged.token.here', '/api/sites')).status).toBe(401);
    const wrong = await fetch(`${ctx.t.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'nope' }) });
    expect(wrong.status).toBe(401);
  });

  it('serves the OpenAPI document', async () => {
    const doc = (await (await fetch(`${ctx.t.httpUrl}/api/docs/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/sites', '/api/sites/{id}/series', '/api/auth/login']));
  });

  it('enforces roles: a viewer reads but cannot manage users, sites or dead letters', async () => {
    const created = await api<{ username: string; role: string }>(ctx.t, admin, '/api/users', { method: 'POST', body: JSON.stringify({ username: 'duty-viewer', password: 'viewer-password-1', role: 'viewer', must_change_password: false }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ username: 'duty-viewer', role: 'viewer' });
    expect((await api(ctx.t, admin, '/api/users', { method: 'POST', body: JSON.stringify({ username: 'Duty-Viewer', password: 'viewer-password-1', role: 'viewer' }) })).status).toBe(409);
    const viewer = await login(ctx.t, 'duty-viewer', 'viewer-password-1');
    expect((await api<unknown[]>(ctx.t, viewer, '/api/sites')).body).toHaveLength(32);
    expect((await api(ctx.t, viewer, '/api/users')).status).toBe(403);
    expect((await api(ctx.t, viewer, '/api/dead-letters')).status).toBe(403);
    expect((await api(ctx.t, viewer, '/api/sites/air-hekou', { method: 'DELETE' })).status).toBe(403);
  });

  it('refuses malformed requests with 400 and a reason', async () => {
    const short = await api<{ message: unknown }>(ctx.t, admin, '/api/users', { method: 'POST', body: JSON.stringify({ username: 'x', password: 'short', role: 'boss' }) });
    expect(short.status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites?kind=volcano')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/air-hekou/series?metric=pm25&bucket=2h')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/air-hekou/series?metric=ch4_lel_pct')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/air-hekou/series?metric=pm25&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/NOT_A_SITE')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/air-atlantis')).status).toBe(404);
    const notJson = await fetch(`${ctx.t.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":' });
    expect(notJson.status).toBe(400);
  });

  it('serves series at every bucket from raw readings and the hourly rollup', async () => {
    // 120 one-minute pm25 readings over two whole UTC hours, values 0..119.
    const hour0 = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    const readings = Array.from({ length: 120 }, (_, i) => ({ ts: hour0 + i * 60_000, values: { pm25: i } }));
    await publish(siteTopic('air-caidaling', 'telemetry'), { readings });
    const q = `from=${new Date(hour0).toISOString()}&to=${new Date(hour0 + 2 * 3_600_000).toISOString()}`;
    const path = (bucket: string): string => `/api/sites/air-caidaling/series?metric=pm25&${q}&bucket=${bucket}`;
    await waitFor(async () => (await api<unknown[]>(ctx.t, admin, path('raw'))).body.length === 120, 20_000, 'raw series');
    const fiveMin = (await api<{ t: string; avg: number; n: number }[]>(ctx.t, admin, path('5m'))).body;
    expect(fiveMin).toHaveLength(24);
    expect(fiveMin[0]).toEqual({ t: new Date(hour0).toISOString(), avg: 2, min: 0, max: 4, n: 5 });
    const hourly = (await api<{ t: string; avg: number; min: number; max: number; n: number }[]>(ctx.t, admin, path('1h'))).body;
    expect(hourly).toEqual([
      { t: new Date(hour0).toISOString(), avg: 29.5, min: 0, max: 59, n: 60 },
      { t: new Date(hour0 + 3_600_000).toISOString(), avg: 89.5, min: 60, max: 119, n: 60 },
    ]);
    const daily = (await api<{ n: number }[]>(ctx.t, admin, `/api/sites/air-caidaling/series?metric=pm25&from=${new Date(hour0 - 2 * 86_400_000).toISOString()}&bucket=1d`)).body;
    expect(daily.reduce((s, d) => s + d.n, 0)).toBe(120);
  });

  it('lets an admin add, change and retire a site; a retired site is refused at ingest', async () => {
    const site = { id: 'air-test-new', kind: 'air', name_zh: '测试空气站', name_en: 'Test air station', lat: 38.86, lon: 121.5 };
    expect((await api(ctx.t, admin, '/api/sites', { method: 'POST', body: JSON.stringify(site) })).status).toBe(201);
    expect((await api(ctx.t, admin, '/api/sites', { method: 'POST', body: JSON.stringify(site) })).status).toBe(409);
    await publish(siteTopic('air-test-new', 'telemetry'), { values: { pm25: 42 } });
    await waitFor(async () => (await api<{ latest: Record<string, { value: number }> }>(ctx.t, admin, '/api/sites/air-test-new')).body.latest.pm25?.value === 42, 20_000, 'new site reading');
    const changed = await api<{ name_en: string }>(ctx.t, admin, '/api/sites/air-test-new', { method: 'PUT', body: JSON.stringify({ name_en: 'Renamed station' }) });
    expect(changed.body.name_en).toBe('Renamed station');
    expect((await api(ctx.t, admin, '/api/sites/air-test-new', { method: 'DELETE' })).status).toBe(204);
    expect((await api(ctx.t, admin, '/api/sites/air-test-new')).status).toBe(404);
    await publish(siteTopic('air-test-new', 'telemetry'), { values: { pm25: 43 } });
    await waitFor(async () => {
      const letters = (await api<{ topic: string; reason: string }[]>(ctx.t, admin, '/api/dead-letters')).body;
      return letters.some((l) => l.topic.includes('air-test-new') && l.reason === 'unknown_site');
    }, 20_000, 'retired site rejected');
  });

  it.skipIf(Boolean(process.env.MQTT_URL))('issues device credentials that the embedded broker checks', async () => {
    const creds = (await api<{ username: string; password: string }>(ctx.t, admin, '/api/sites/ebike-hekou/credentials', { method: 'POST' })).body;
    expect(creds.username).toBe('ebike-hekou');
    await expect(mqtt.connectAsync(ctx.t.mqttUrl, { username: 'ebike-hekou', password: 'wrong', reconnectPeriod: 0 })).rejects.toThrow();
    const dev = await mqtt.connectAsync(ctx.t.mqttUrl, { username: creds.username, password: creds.password, reconnectPeriod: 0 });
    await dev.publishAsync(siteTopic('ebike-hekou', 'telemetry'), JSON.stringify({ values: { temp_c: 21 } }), { qos: 1 });
    // Publishing as another site is refused: the broker drops the connection.
    const closed = new Promise<void>((resolve) => dev.once('close', () => resolve()));
    dev.publish(siteTopic('ebike-lingshui', 'telemetry'), JSON.stringify({ values: { temp_c: 99 } }), { qos: 1 });
    await closed;
    await dev.endAsync(true);
    const site = (await api<{ latest: Record<string, { value: number }> }>(ctx.t, admin, '/api/sites/ebike-hekou')).body;
    expect(site.latest.temp_c?.value).toBe(21);
    const other = (await api<{ latest: Record<string, { value: number }> }>(ctx.t, admin, '/api/sites/ebike-lingshui')).body;
    expect(other.latest.temp_c?.value).not.toBe(99);
  });
});

describe('live push on /live', () => {
  function connect(token?: string): Socket {
    return io(`${ctx.t.httpUrl}/live`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
  }

  it('refuses a socket without a valid token', async () => {
    const s = connect('bad');
    const err = await new Promise<Error>((resolve) => s.once('connect_error', resolve));
    expect(err.message).toMatch(/unauthorized/);
    s.close();
  });

  it('sends one snapshot (every site, open alerts, AQI) on connect, then a site event after a committed reading', async () => {
    const s = connect(admin);
    const seen = new Map<string, SiteSnapshot>();
    const snapshots: LiveSnapshot[] = [];
    s.on('snapshot', (snap: LiveSnapshot) => snapshots.push(snap));
    s.on('site', (snap: SiteSnapshot) => seen.set(`${snap.id}:${snap.latest.ch4_lel_pct?.value ?? ''}`, snap));
    await waitFor(async () => snapshots.length === 1, 10_000, 'snapshot');
    expect(snapshots[0]!.sites).toHaveLength(32);
    expect(Array.isArray(snapshots[0]!.alerts)).toBe(true);
    expect(Date.parse(snapshots[0]!.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(seen.size).toBe(0); // no site event per site any more
    await publish(siteTopic('gas-huangnichuan-park', 'telemetry'), { values: { ch4_lel_pct: 7.5, pressure_kpa: 100 } });
    await waitFor(async () => seen.has('gas-huangnichuan-park:7.5'), 10_000, 'site event');
    const snap = seen.get('gas-huangnichuan-park:7.5')!;
    expect(snap).toMatchObject({ kind: 'gas_point', status: 'normal', latest: { pressure_kpa: { value: 100 } } });
    s.close();
  });

  it('sends only subscribed kinds after subscribe, and refuses a malformed subscription', async () => {
    const s = connect(admin);
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const bad = await s.emitWithAck('subscribe', { kinds: ['volcano'] });
    expect(bad.ok).toBe(false);
    const snapshots: LiveSnapshot[] = [];
    s.on('snapshot', (snap: LiveSnapshot) => snapshots.push(snap));
    const ok = await s.emitWithAck('subscribe', { kinds: ['river'] });
    expect(ok).toEqual({ ok: true });
    // The answer's snapshot is narrowed to the subscription.
    const narrowed = snapshots.at(-1)!;
    expect(narrowed.sites.length).toBeGreaterThan(0);
    expect(narrowed.sites.every((x) => x.kind === 'river')).toBe(true);
    expect(narrowed.aqi).toBeNull();
    const ids: string[] = [];
    s.on('site', (snap: SiteSnapshot) => ids.push(snap.id));
    await publish(siteTopic('gas-hekou-riser', 'telemetry'), { values: { ch4_lel_pct: 1 } });
    await publish(siteTopic('river-lingshuihe-mouth', 'telemetry'), { values: { do_mgl: 6 } });
    await waitFor(async () => ids.includes('river-lingshuihe-mouth'), 10_000, 'river update');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(ids.every((id) => id.startsWith('river-'))).toBe(true);
    s.close();
  });

  it('limits how often a client may subscribe (each answer carries every wanted snapshot)', async () => {
    const s = connect(admin);
    await new Promise<void>((resolve) => s.once('connect', () => resolve()));
    const answers: { ok: boolean; error?: string }[] = [];
    for (let i = 0; i < 6; i++) answers.push(await s.emitWithAck('subscribe', { kinds: ['air'] }));
    expect(answers.slice(0, 5).every((a) => a.ok)).toBe(true);
    expect(answers[5]).toEqual({ ok: false, error: 'too many subscriptions: at most 5 per 10 s' });
    // Another client is not affected.
    const other = connect(admin);
    await new Promise<void>((resolve) => other.once('connect', () => resolve()));
    expect(await other.emitWithAck('subscribe', { kinds: ['air'] })).toEqual({ ok: true });
    s.close();
    other.close();
  });
});
