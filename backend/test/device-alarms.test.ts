import { siteTopic } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, login, waitFor } from './harness/hub-process.js';
import { latencyP99 } from './harness/latency.js';
import { useHub } from './use-hub.js';

const ctx = useHub();
let operator: string;
let viewer: string;
let socket: Socket;
let device: MqttClient;
type Pushed = { event: string; id: number; site: string; rule: string; severity: string; detail: { historical?: boolean; events?: { type: string }[] }; receivedAt: number };
const pushed: Pushed[] = [];
type History = { action: string; actor: string | null; data: Record<string, unknown> }[];

beforeAll(async () => {
  const { t } = ctx;
  const admin = await login(t);
  operator = await addUser(t, admin, 'alarm-operator', 'operator');
  viewer = await addUser(t, admin, 'alarm-viewer', 'viewer');
  socket = io(`${t.httpUrl}/live`, { auth: { token: viewer }, transports: ['websocket'] });
  socket.on('alert', (a: Pushed) => pushed.push({ ...a, receivedAt: performance.now() }));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'device-alarm-test' });
});
afterAll(async () => {
  socket?.close();
  await device?.endAsync();
});

const event = (site: string, type: string, data: object, ts = Date.now()): Promise<unknown> =>
  device.publishAsync(siteTopic(site, 'events'), JSON.stringify({ ts, type, data }), { qos: 1 });
const lel = (site: string, value: number, ts: number): Promise<unknown> =>
  device.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ ts, values: { ch4_lel_pct: value } }), { qos: 1 });
const resolve = (id: number, body: object) => api<{ state: string; code?: string }>(ctx.t, operator, `/api/alerts/${id}/resolve`, { method: 'POST', body: JSON.stringify(body) });
const history = async (id: number): Promise<History> => (await api<{ history: History }>(ctx.t, viewer, `/api/alerts/${id}`)).body.history;
async function next(before: number, match: (a: Pushed) => boolean, what: string): Promise<Pushed> {
  await waitFor(async () => pushed.slice(before).some(match), 5000, what);
  return pushed.slice(before).find(match)!;
}

describe('device alarms and safe closing', () => {
  it('a detector’s gas_alarm level 2 reaches a socket.io client as a critical alert within a second (p99), without a reading', async () => {
    const site = 'gas-yingeshi-regulator';
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const before = pushed.length;
      const sent = performance.now();
      await event(site, 'gas_alarm', { level: 2 });
      const got = await next(before, (a) => a.site === site && a.event === 'opened', 'critical alert from gas_alarm');
      latencies.push(got.receivedAt - sent);
      expect(got).toMatchObject({ rule: 'gas-lel', severity: 'critical' });
      expect(got.detail.historical).toBeUndefined();
      expect(got.detail.events?.map((e) => e.type)).toEqual(['gas_alarm']);
      // The device's alarm still holds: resolving needs confirmation, and the history says so.
      if (i === 0) {
        const refused = await resolve(got.id, { note: 'looks fine' });
        expect(refused.status).toBe(409);
        expect(refused.body.code).toBe('condition_active');
        expect((await api<{ state: string }>(ctx.t, viewer, `/api/alerts/${got.id}`)).body.state).toBe('active');
      }
      const done = await resolve(got.id, { note: 'crew on site, detector reset pending', confirm_active: true });
      expect(done.status).toBe(200);
      expect(done.body.state).toBe('resolved');
      if (i === 0) expect((await history(got.id)).at(-1)).toMatchObject({ action: 'resolved', actor: 'alarm-operator', data: { condition_held: true } });
    }
    expect(latencyP99('gas_alarm → alert event', latencies)).toBeLessThan(1000);
  });

  it('a pump_fault opens a major alert that clears when that pump recovers; a cleared alert resolves without confirmation', async () => {
    const site = 'pump-caidaling';
    const before = pushed.length;
    await event(site, 'pump_fault', { pump: 2, code: 'E07' });
    const opened = await next(before, (a) => a.site === site && a.rule === 'pump-fault' && a.event === 'opened', 'pump fault alert');
    expect(opened.severity).toBe('major');
    // Another pump's recovery does not end it: judged again, it still holds (a second trigger).
    await event(site, 'pump_recovered', { pump: 1 });
    const alert = async () => (await api<{ triggers: number; cleared: boolean }>(ctx.t, viewer, `/api/alerts/${opened.id}`)).body;
    await waitFor(async () => (await alert()).triggers === 2, 5000, 'judged after pump 1 recovered');
    expect((await alert()).cleared).toBe(false);
    await event(site, 'pump_recovered', { pump: 2 });
    await next(before, (a) => a.id === opened.id && a.event === 'cleared', 'cleared when pump 2 recovered');
    const done = await resolve(opened.id, { note: 'bearing replaced' });
    expect(done.status).toBe(200);
    const last = (await history(opened.id)).at(-1)!;
    expect(last.action).toBe('resolved');
    expect(last.data.condition_held).toBeUndefined();
  });

  it('a backfilled reading from yesterday raises an alert marked historical; current data makes it news again', async () => {
    const site = 'gas-hekou-riser';
    const before = pushed.length;
    const yesterday = Date.now() - 86_400_000;
    await lel(site, 60, yesterday);
    const opened = await next(before, (a) => a.site === site && a.rule === 'gas-lel' && a.event === 'opened', 'historical alert');
    expect(opened.severity).toBe('critical');
    expect(opened.detail.historical).toBe(true);
    const listed = (await api<{ id: number; detail: { historical?: boolean }; opened_at: string }[]>(ctx.t, viewer, `/api/alerts?site=${site}&state=open`)).body;
    expect(listed.find((a) => a.id === opened.id)).toMatchObject({ detail: { historical: true }, opened_at: new Date(yesterday).toISOString() });

    await lel(site, 62, Date.now());
    const news = await next(before, (a) => a.id === opened.id && a.event === 'retriggered', 'current trigger of the historical alert');
    expect(news.detail.historical).toBeUndefined();
  });
});
