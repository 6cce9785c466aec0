import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAlert, insertAlertEvent, type AlertRow } from './harness/alert-rows.js';
import { addUser, api, login, waitFor } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/** The alert log, bulk steps and the shift handover, over alerts of known times written straight into the database. */
const ctx = useHub();
let operator: string;
let viewer: string;
let socket: Socket;
const live: { id: number; event: string; state: string }[] = [];

interface Alert {
  id: number;
  state: string;
  severity: string;
  opened_at: string;
  history?: { action: string; actor: string | null; note: string | null; data: Record<string, unknown> }[];
}
interface Page {
  total: number;
  limit: number;
  offset: number;
  alerts: Alert[];
}
interface Handover {
  from: string;
  to: string;
  opened: Alert[];
  open_at_end: Alert[];
  actions: { at: string; action: string; actor: string; note: string | null; alert: number; site: string }[];
}

/** The day shift of 2026-11-10, 08:00–16:00 Beijing time. */
const SHIFT = { from: '2026-11-10T00:00:00Z', to: '2026-11-10T08:00:00Z' };
const ids: Record<string, number> = {};

/** Alerts of this file, tagged LOGTEST in their titles. */
async function insert(r: { name: string; site: string; severity: AlertRow['severity']; state: AlertRow['state']; opened: string; title: string; resolved?: string }): Promise<void> {
  ids[r.name] = await insertAlert(ctx.t, { ...r, rule: `log-test-${r.name}`, title_zh: `${r.title} LOGTEST`, title_en: `${r.title} LOGTEST en` });
}

async function event(name: string, at: string, action: string, actor: string, note: string): Promise<void> {
  await insertAlertEvent(ctx.t, ids[name]!, at, action, actor, note);
}

const log = async (query: string): Promise<Page> => {
  const res = await api<Page>(ctx.t, viewer, `/api/alerts/log?${query}`);
  expect(res.status, query).toBe(200);
  return res.body;
};
const named = (alerts: { id: number }[]): string[] => alerts.map((a) => Object.keys(ids).find((k) => ids[k] === a.id) ?? `other ${a.id}`);

beforeAll(async () => {
  const admin = await login(ctx.t);
  operator = await addUser(ctx.t, admin, 'duty-operator', 'operator');
  viewer = await addUser(ctx.t, admin, 'duty-viewer', 'viewer');
  // Oldest first: a night alert resolved during the shift, three opened during it, one after it, one a week before.
  await insert({ name: 'old', site: 'air-hekou', severity: 'minor', state: 'resolved', opened: '2026-11-03T02:00:00Z', resolved: '2026-11-03T03:00:00Z', title: '臭氧超标' });
  await insert({ name: 'night', site: 'gas-hekou-riser', severity: 'critical', state: 'resolved', opened: '2026-11-09T23:00:00Z', resolved: '2026-11-10T02:00:00Z', title: '可燃气体浓度超限' });
  await insert({ name: 'pump', site: 'air-lingshui', severity: 'major', state: 'active', opened: '2026-11-10T01:00:00Z', title: '细颗粒物 50%_超标' });
  await insert({ name: 'river', site: 'air-caidaling', severity: 'warning', state: 'acknowledged', opened: '2026-11-10T03:00:00Z', title: '水位偏高' });
  await insert({ name: 'late', site: 'air-yingeshi', severity: 'major', state: 'resolved', opened: '2026-11-10T05:00:00Z', resolved: '2026-11-10T09:00:00Z', title: '硫化氢超标' });
  await insert({ name: 'evening', site: 'gas-hekou-riser', severity: 'minor', state: 'active', opened: '2026-11-10T09:00:00Z', title: '压力异常' });
  await event('night', '2026-11-10T02:00:00Z', 'resolved', 'night-op', '阀门已关闭');
  await event('river', '2026-11-10T03:10:00Z', 'acknowledged', 'duty-operator', 'Checking pump 3');
  await event('late', '2026-11-10T09:00:00Z', 'resolved', 'night-op', 'after the shift');
  socket = io(`${ctx.t.httpUrl}/live`, { auth: { token: viewer }, transports: ['websocket'] });
  socket.on('alert', (a: (typeof live)[number]) => live.push(a));
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
});
afterAll(() => {
  socket?.close();
});

describe('the alert log', () => {
  it('finds every alert, closed ones too, newest first, with the total', async () => {
    const page = await log('q=LOGTEST');
    expect(page.total).toBe(6);
    expect(named(page.alerts)).toEqual(['evening', 'late', 'river', 'pump', 'night', 'old']);
    // The old list keeps answering a bare array.
    const open = await api<Alert[]>(ctx.t, viewer, '/api/alerts?state=open');
    expect(Array.isArray(open.body)).toBe(true);
    expect(open.body.map((a) => a.id)).toEqual(expect.arrayContaining([ids.pump, ids.river, ids.evening]));
    expect(open.body.map((a) => a.id)).not.toContain(ids.night);
  });

  it('filters by state, severity, kind, site and opening time (district days)', async () => {
    expect(named((await log('q=LOGTEST&state=resolved')).alerts)).toEqual(['late', 'night', 'old']);
    expect(named((await log('q=LOGTEST&state=open')).alerts)).toEqual(['evening', 'river', 'pump']);
    expect(named((await log('q=LOGTEST&severity=major')).alerts)).toEqual(['late', 'pump']);
    expect(named((await log('q=LOGTEST&kind=gas_point')).alerts)).toEqual(['evening', 'night']);
    expect(named((await log('q=LOGTEST&site=air-lingshui')).alerts)).toEqual(['pump']);
    // 2026-11-10 in Beijing is 2026-11-09T16:00Z to 2026-11-10T16:00Z: the night alert (07:00 Beijing) is in it.
    expect(named((await log('q=LOGTEST&from=2026-11-10&to=2026-11-10')).alerts)).toEqual(['evening', 'late', 'river', 'pump', 'night']);
    expect(named((await log(`q=LOGTEST&from=${SHIFT.from}&to=${SHIFT.to}`)).alerts)).toEqual(['late', 'river', 'pump']);
  });

  it('searches titles in both languages, site names and the notes of the history, wildcards taken literally', async () => {
    expect(named((await log(`q=${encodeURIComponent('阀门')}`)).alerts)).toEqual(['night']);
    expect(named((await log('q=checking%20PUMP')).alerts)).toEqual(['river']);
    expect(named((await log(`q=${encodeURIComponent('50%_')}`)).alerts)).toEqual(['pump']);
    // Taken as wildcards, 'LOGTEST%' and 'LOGTEST_en' would match every alert of this file.
    expect((await log(`q=${encodeURIComponent('LOGTEST%')}`)).total).toBe(0);
    expect((await log('q=LOGTEST_en')).total).toBe(0);
    expect(named((await log('q=LOGTEST%20en&severity=critical')).alerts)).toEqual(['night']);
  });

  it('pages with limit and offset, the total unchanged', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset += 4) {
      const page = await log(`q=LOGTEST&limit=4&offset=${offset}`);
      expect(page).toMatchObject({ total: 6, limit: 4, offset });
      seen.push(...named(page.alerts));
    }
    expect(seen).toEqual(['evening', 'late', 'river', 'pump', 'night', 'old']);
    expect((await log('q=LOGTEST&limit=4&offset=8')).alerts).toEqual([]);
    for (const bad of ['offset=-1', 'offset=10001', 'limit=0', 'q=', `q=${'x'.repeat(201)}`, 'from=2026-02-30', 'from=2026-11-11&to=2026-11-10', 'state=closed']) {
      expect((await api(ctx.t, viewer, `/api/alerts/log?${bad}`)).status, bad).toBe(400);
    }
  });
});

describe('bulk acknowledge and resolve', () => {
  it('refuses viewers and changes nothing', async () => {
    const res = await api(ctx.t, viewer, '/api/alerts/bulk', { method: 'POST', body: JSON.stringify({ ids: [ids.pump], action: 'resolve', note: 'x' }) });
    expect(res.status).toBe(403);
    expect((await api<Alert>(ctx.t, viewer, `/api/alerts/${ids.pump}`)).body.state).toBe('active');
  });

  it('refuses an empty, over-long or unknown request', async () => {
    for (const body of [{ ids: [], action: 'resolve' }, { ids: Array.from({ length: 501 }, (_, i) => i + 1), action: 'resolve' }, { ids: [1], action: 'delete' }, { ids: ['1'], action: 'resolve' }]) {
      expect((await api(ctx.t, operator, '/api/alerts/bulk', { method: 'POST', body: JSON.stringify(body) })).status).toBe(400);
    }
  });

  it('resolves the selected alerts with one note, says per alert what happened, records and announces each', async () => {
    const before = live.length;
    const res = await api<{ action: string; done: number; results: { id: number; outcome: string; state: string | null }[] }>(ctx.t, operator, '/api/alerts/bulk', {
      method: 'POST',
      body: JSON.stringify({ ids: [ids.pump, ids.river, ids.night, 987654321, ids.pump], action: 'resolve', note: '重启后批量处理' }),
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      action: 'resolve',
      done: 2,
      results: [
        { id: ids.pump, outcome: 'done', state: 'resolved' },
        { id: ids.river, outcome: 'done', state: 'resolved' },
        { id: ids.night, outcome: 'already', state: 'resolved' },
        { id: 987654321, outcome: 'not_found', state: null },
      ],
    });
    for (const name of ['pump', 'river']) {
      const full = (await api<Alert>(ctx.t, viewer, `/api/alerts/${ids[name]}`)).body;
      expect(full.state).toBe('resolved');
      // Their conditions had not cleared: a bulk resolve is a confirmed one, and says so.
      expect(full.history!.filter((h) => h.action === 'resolved')).toEqual([expect.objectContaining({ actor: 'duty-operator', note: '重启后批量处理', data: { bulk: true, condition_held: true } })]);
    }
    await waitFor(async () => [ids.pump, ids.river].every((id) => live.slice(before).some((a) => a.id === id && a.event === 'resolved' && a.state === 'resolved')), 5000, 'live resolutions');
    expect(live.slice(before).filter((a) => a.id === ids.night)).toEqual([]);
  });

  it('acknowledges only what is active', async () => {
    const body = JSON.stringify({ ids: [ids.evening, ids.late], action: 'acknowledge' });
    const first = await api<{ results: { outcome: string; state: string }[] }>(ctx.t, operator, '/api/alerts/bulk', { method: 'POST', body });
    expect(first.body.results.map((r) => [r.outcome, r.state])).toEqual([['done', 'acknowledged'], ['already', 'resolved']]);
    const again = await api<{ done: number; results: { outcome: string; state: string }[] }>(ctx.t, operator, '/api/alerts/bulk', { method: 'POST', body });
    expect(again.body.done).toBe(0);
    expect(again.body.results[0]).toMatchObject({ outcome: 'already', state: 'acknowledged' });
  });
});

describe('the shift handover', () => {
  it('shows what opened, what was still open at the end and what people did, as of that shift', async () => {
    const res = await api<Handover>(ctx.t, viewer, `/api/alerts/handover?from=${SHIFT.from}&to=${SHIFT.to}`);
    expect(res.status).toBe(200);
    const h = res.body;
    expect([h.from, h.to]).toEqual(['2026-11-10T00:00:00.000Z', '2026-11-10T08:00:00.000Z']);
    expect(named(h.opened)).toEqual(['pump', 'river', 'late']);
    // Resolved since (pump and river by the bulk step above, late an hour after the shift), but open at its end; most severe first.
    expect(named(h.open_at_end)).toEqual(['pump', 'late', 'river']);
    expect(h.actions.map((a) => [named([{ id: a.alert }])[0], a.action, a.actor, a.note, a.at])).toEqual([
      ['night', 'resolved', 'night-op', '阀门已关闭', '2026-11-10T02:00:00.000Z'],
      ['river', 'acknowledged', 'duty-operator', 'Checking pump 3', '2026-11-10T03:10:00.000Z'],
    ]);
  });

  it('defaults to the current 8-hour shift in Beijing time, whose open alerts it lists', async () => {
    const h = (await api<Handover>(ctx.t, viewer, '/api/alerts/handover')).body;
    const from = Date.parse(h.from);
    expect(Date.parse(h.to) - from).toBe(8 * 3_600_000);
    expect([0, 8, 16]).toContain(new Date(from + 8 * 3_600_000).getUTCHours());
    expect(new Date(from).getUTCMinutes()).toBe(0);
    expect(from).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(h.to)).toBeGreaterThan(Date.now() - 60_000);
    expect(h.open_at_end.map((a) => a.id)).toContain(ids.evening);
    expect(h.opened.map((a) => a.id)).not.toContain(ids.evening);
  });

  it('refuses a reversed or week-long-plus period', async () => {
    expect((await api(ctx.t, viewer, `/api/alerts/handover?from=${SHIFT.to}&to=${SHIFT.from}`)).status).toBe(400);
    expect((await api(ctx.t, viewer, '/api/alerts/handover?from=2026-11-01&to=2026-11-08')).status).toBe(400);
    expect((await api(ctx.t, viewer, '/api/alerts/handover?from=2026-11-01&to=2026-11-07')).status).toBe(200);
  });
});
