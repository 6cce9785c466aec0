import { siteTopic, type DutyShift as Shift } from '@tidewatch/contracts';
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/**
 * The duty roster over the API, and alerts opened from readings published over MQTT going to
 * whoever is on call for their area, then to the next on call at each escalation.
 * Escalation every 6 s (ALERT_ESCALATE_MIN accepts fractions of a minute, down to 0.05).
 */
const ctx = useHub({ ALERT_REANNOUNCE_MIN: '0.05', ALERT_ESCALATE_MIN: '0.1' });
let admin: string;
let operator: string;
let viewer: string;
let socket: Socket;
let device: MqttClient;
const pushed: { event: string; id: number; site: string; assigned_to: string | null; escalation_level: number }[] = [];

interface Alert {
  id: number;
  assigned_to: string | null;
  escalation_level: number;
  detail: { historical?: boolean };
  history: { action: string; actor: string | null; note: string | null; data: Record<string, unknown> }[];
}

const H = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();
const post = <T>(token: string, path: string, body: unknown) => api<T & { message?: string; code?: string }>(ctx.t, token, path, { method: 'POST', body: JSON.stringify(body) });
const addShift = (body: Record<string, unknown>, token = admin) => post<Shift>(token, '/api/roster', body);
const alertOf = async (id: number): Promise<Alert> => (await api<Alert>(ctx.t, viewer, `/api/alerts/${id}`)).body;
let lastTs = 0;
const lel = (site: string, value: number, ts?: number): Promise<unknown> => {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return device.publishAsync(siteTopic(site, 'telemetry'), JSON.stringify({ ts: ts ?? lastTs, values: { ch4_lel_pct: value } }), { qos: 1 });
};

beforeAll(async () => {
  const { t } = ctx;
  admin = await login(t);
  operator = await addUser(t, admin, 'roster-desk', 'operator');
  viewer = await addUser(t, admin, 'roster-viewer', 'viewer');
  await addUser(t, admin, 'gas-first', 'operator');
  await addUser(t, admin, 'gas-second', 'operator');
  await addUser(t, admin, 'gas-chief', 'admin');
  socket = io(`${t.httpUrl}/live`, { auth: { token: viewer }, transports: ['websocket'] });
  socket.on('alert', (a: (typeof pushed)[number]) => pushed.push(a));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  device = await mqtt.connectAsync(t.mqttUrl, { clientId: 'duty-roster-test' });
});
afterAll(async () => {
  socket?.close();
  await device?.endAsync();
});

describe('the duty roster API', () => {
  const now = Date.now();
  const night = { start_at: iso(now - H), end_at: iso(now + 8 * H) };

  it('takes shifts from an admin, first and second on call, and shows them on the roster and as on duty now', async () => {
    const first = await addShift({ area: 'gas', username: 'gas-first', position: 1, ...night, note: '夜班' });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ area: 'gas', username: 'gas-first', position: 1, start_at: night.start_at, end_at: night.end_at, note: '夜班', created_by: 'admin' });
    // Usernames are matched without case; the roster gives the user's own spelling.
    const second = await addShift({ area: 'gas', username: 'Gas-Second', position: 2, ...night });
    expect(second.status).toBe(201);
    expect(second.body.username).toBe('gas-second');
    // Another area, later: not on duty now.
    expect((await addShift({ area: 'pumps', username: 'gas-chief', start_at: iso(now + 10 * H), end_at: iso(now + 18 * H) })).status).toBe(201);

    const roster = await api<{ from: string; to: string; shifts: Shift[] }>(ctx.t, viewer, `/api/roster?from=${encodeURIComponent(iso(now - 2 * H))}&to=${encodeURIComponent(iso(now + 24 * H))}`);
    expect(roster.status).toBe(200);
    expect(roster.body.shifts.map((s) => [s.area, s.username, s.position])).toEqual([
      ['gas', 'gas-first', 1],
      ['gas', 'gas-second', 2],
      ['pumps', 'gas-chief', 1],
    ]);
    expect((await api<{ shifts: Shift[] }>(ctx.t, viewer, '/api/roster?area=pumps')).body.shifts.map((s) => s.username)).toEqual(['gas-chief']);

    const onDuty = await api<{ at: string; areas: Record<string, { username: string; position: number; until: string }[]> }>(ctx.t, viewer, '/api/roster/now');
    expect(onDuty.status).toBe(200);
    expect(onDuty.body.areas).toEqual({
      environment: [],
      gas: [
        { username: 'gas-first', position: 1, until: night.end_at },
        { username: 'gas-second', position: 2, until: night.end_at },
      ],
      ports: [],
      pumps: [],
    });
  });

  it('refuses bad shifts with 400, overlaps with 409 and missing shifts with 404', async () => {
    const base = { area: 'environment', username: 'gas-chief', start_at: iso(now), end_at: iso(now + 8 * H) };
    const refused = async (body: Record<string, unknown>, status: number, words: RegExp): Promise<void> => {
      const res = await addShift(body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(String(res.body.message)).toMatch(words);
    };
    await refused({ ...base, end_at: base.start_at }, 400, /after/);
    await refused({ ...base, end_at: iso(now + 7 * 24 * H + 60_000) }, 400, /7 days/);
    await refused({ ...base, area: 'air' }, 400, /area/);
    await refused({ ...base, position: 0 }, 400, /position/);
    await refused({ ...base, username: 'nobody-here' }, 400, /no user/);
    await refused({ ...base, username: 'roster-viewer' }, 400, /may not act/);
    await refused({ ...base, start_at: 'yesterday' }, 400, /start_at/);
    // Gas, first on call, during the night shift: taken; the same person twice in an area at once: refused too.
    await refused({ area: 'gas', username: 'gas-chief', position: 1, start_at: iso(now + H), end_at: iso(now + 2 * H) }, 409, /position/);
    await refused({ area: 'gas', username: 'gas-first', position: 3, start_at: iso(now + H), end_at: iso(now + 2 * H) }, 409, /person/);
    // Back to back is no overlap.
    const after = await addShift({ area: 'gas', username: 'gas-chief', position: 1, start_at: iso(now + 8 * H), end_at: iso(now + 16 * H) });
    expect(after.status).toBe(201);

    const patched = await api<Shift & { message?: string }>(ctx.t, admin, `/api/roster/${after.body.id}`, { method: 'PATCH', body: JSON.stringify({ note: '白班', position: 2 }) });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ note: '白班', position: 2, username: 'gas-chief' });
    const reversed = await api<{ message: string }>(ctx.t, admin, `/api/roster/${after.body.id}`, { method: 'PATCH', body: JSON.stringify({ end_at: iso(now + 7 * H) }) });
    expect(reversed.status).toBe(400);
    expect(reversed.body.message).toMatch(/after/);
    const overlapping = await api(ctx.t, admin, `/api/roster/${after.body.id}`, { method: 'PATCH', body: JSON.stringify({ start_at: iso(now + 7 * H), position: 1 }) });
    expect(overlapping.status).toBe(409);
    expect((await api(ctx.t, admin, '/api/roster/999999', { method: 'PATCH', body: JSON.stringify({ note: 'x' }) })).status).toBe(404);
    expect((await api(ctx.t, admin, `/api/roster/${after.body.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(ctx.t, admin, `/api/roster/${after.body.id}`, { method: 'DELETE' })).status).toBe(404);

    expect((await api(ctx.t, viewer, '/api/roster?from=2026-12-10&to=2026-12-01')).status).toBe(400);
    expect((await api(ctx.t, viewer, '/api/roster?from=2026-01-01&to=2026-12-31')).status).toBe(400);
  });

  it('lets only admins change the roster; operators read it and see whom they may assign alerts to', async () => {
    expect((await addShift({ area: 'ports', username: 'gas-first', start_at: iso(now + 20 * H), end_at: iso(now + 21 * H) }, operator)).status).toBe(403);
    expect((await api(ctx.t, operator, '/api/roster/1', { method: 'DELETE' })).status).toBe(403);
    expect((await api(ctx.t, viewer, '/api/roster/1', { method: 'PATCH', body: '{"note":"x"}' })).status).toBe(403);
    expect((await api(ctx.t, operator, '/api/roster')).status).toBe(200);
    expect((await api(ctx.t, viewer, '/api/roster/assignable')).status).toBe(403);
    const people = await api<{ username: string; role: string }[]>(ctx.t, operator, '/api/roster/assignable');
    expect(people.status).toBe(200);
    expect(people.body.map((p) => p.username)).toEqual(['admin', 'gas-chief', 'gas-first', 'gas-second', 'roster-desk']);
    expect(people.body.find((p) => p.username === 'gas-chief')?.role).toBe('admin');
    // The audit log has the admin's changes.
    const audit = await api<{ action: string; actor: string; outcome: string }[]>(ctx.t, admin, '/api/audit?action=roster.');
    expect(audit.body.filter((a) => a.outcome === 'ok').map((a) => a.action)).toEqual(expect.arrayContaining(['roster.create', 'roster.update', 'roster.delete']));
  });
});

describe('alerts assigned by the roster', () => {
  let id = 0;

  it('assigns a new alert of a gas site to the first on call, recorded by the system and announced', async () => {
    const before = pushed.length;
    await lel('gas-lingshui-regulator', 62);
    await waitFor(async () => pushed.slice(before).some((a) => a.site === 'gas-lingshui-regulator' && a.event === 'assigned'), 10_000, 'assignment announced');
    const announced = pushed.slice(before).find((a) => a.site === 'gas-lingshui-regulator' && a.event === 'assigned')!;
    expect(announced.assigned_to).toBe('gas-first');
    id = announced.id;
    const alert = await alertOf(id);
    expect(alert.history[0]!.action).toBe('opened');
    expect(alert.history[1]).toMatchObject({ action: 'assigned', actor: null, note: null, data: { assignee: 'gas-first', reason: 'roster', area: 'gas', position: 1, escalation_level: 0 } });
  });

  it('escalation goes to the next on call, then stays with the last', async () => {
    await waitFor(async () => (await alertOf(id)).escalation_level >= 2, 30_000, 'second escalation');
    const alert = await alertOf(id);
    expect(alert.assigned_to).toBe('gas-second');
    const assigned = alert.history.filter((h) => h.action === 'assigned');
    expect(assigned.map((h) => [h.data.assignee, h.data.position, h.data.escalation_level])).toEqual([
      ['gas-first', 1, 0],
      ['gas-second', 2, 1],
    ]);
    // The escalation to level 1 came before its assignment.
    const actions = alert.history.map((h) => h.action);
    expect(actions.indexOf('escalated')).toBeLessThan(actions.lastIndexOf('assigned'));
    expect(pushed.some((a) => a.id === id && a.event === 'assigned' && a.assigned_to === 'gas-second')).toBe(true);
  });

  it('leaves alternatives to people: an operator reassigns and comments; a viewer cannot be assigned', async () => {
    expect((await post(operator, `/api/alerts/${id}/assign`, { username: 'roster-viewer' })).status).toBe(400);
    const mine = await post<Alert>(operator, `/api/alerts/${id}/assign`, { username: 'roster-desk', note: '我去现场' });
    expect(mine.status).toBe(200);
    expect(mine.body.assigned_to).toBe('roster-desk');
    expect((await post(operator, `/api/alerts/${id}/comments`, { note: '阀门已关' })).status).toBe(200);
    const alert = await alertOf(id);
    expect(alert.history.slice(-2).map((h) => [h.action, h.actor, h.note])).toEqual([
      ['assigned', 'roster-desk', '我去现场'],
      ['comment', 'roster-desk', '阀门已关'],
    ]);
  });

  it('does not assign an alert from old data', async () => {
    await lel('gas-hekou-riser', 62, Date.now() - 3 * H);
    await waitFor(async () => pushed.some((a) => a.site === 'gas-hekou-riser' && a.event === 'opened'), 10_000, 'historical alert');
    const historical = pushed.find((a) => a.site === 'gas-hekou-riser' && a.event === 'opened')!;
    // Past an escalation period: not given to anyone either.
    await new Promise((resolve) => setTimeout(resolve, 7000));
    const h = await alertOf(historical.id);
    expect(h.detail.historical, JSON.stringify(h.history)).toBe(true);
    expect(h.assigned_to, JSON.stringify(h.history)).toBeNull();
    expect(h.history.some((e) => e.action === 'assigned')).toBe(false);
  });
});
