import { siteTopic } from '@tidewatch/contracts';
import mqtt from 'mqtt';
import { JwtService } from '@nestjs/jwt';
import { io, type Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, login, TEST_USER_PASSWORD, waitFor, withDb } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

// Many sign-ins from one address in this file: the per-address limit is raised, the lockout is not.
const ctx = useHub({ LOGIN_RATE_PER_MIN: '1000', JWT_TTL_S: '60' });
let admin: string;

beforeAll(async () => {
  admin = await login(ctx.t);
});

const post = (token: string, path: string, body: unknown): Promise<{ status: number; body: { message?: unknown } }> =>
  api(ctx.t, token, path, { method: 'POST', body: JSON.stringify(body) });

async function signIn(username: string, password: string): Promise<{ status: number; body: { token: string; refresh_token: string; must_change_password: boolean; message?: string }; headers: Headers }> {
  const res = await fetch(`${ctx.t.httpUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  return { status: res.status, body: (await res.json()) as never, headers: res.headers };
}

async function healthy(): Promise<boolean> {
  return (await fetch(`${ctx.t.httpUrl}/api/health`)).status === 200;
}

describe('device input that used to break ingest', () => {
  it('stores the valid values of 200 messages whose other metric name holds a NUL, and files each as a dead letter', async () => {
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `nul-${Date.now()}` });
    const base = Date.now() - 600_000;
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => pub.publishAsync(siteTopic('air-hekou', 'telemetry'), JSON.stringify({ ts: base + i * 1000, values: { pm25: 30 + (i % 5), ['pm\u000010']: 1 } }), { qos: 1 })),
    );
    await pub.endAsync();
    await withDb(ctx.t, async (c) => {
      await waitFor(async () => (await c.query(`SELECT count(*)::int AS n FROM reading r JOIN site s ON s.key = r.site_key WHERE s.id = 'air-hekou' AND r.time >= $1`, [new Date(base)])).rows[0].n === 200, 30_000, '200 readings');
      await waitFor(async () => (await c.query(`SELECT count(*)::int AS n FROM dead_letter WHERE reason = 'unknown_metric' AND detail LIKE '%pm\uFFFD10%'`)).rows[0].n === 200, 30_000, '200 dead letters');
    });
  });

  it('files a timestamp past the year 9999 and JSON nested 30,000 deep as dead letters, and stays healthy', async () => {
    const pub = await mqtt.connectAsync(ctx.t.mqttUrl, { clientId: `odd-${Date.now()}` });
    await pub.publishAsync(siteTopic('air-hekou', 'telemetry'), JSON.stringify({ ts: 9e15, values: { pm25: 1 } }), { qos: 1 });
    await pub.publishAsync(siteTopic('air-hekou', 'telemetry'), `{"values":{"pm25":${'['.repeat(30_000)}1${']'.repeat(30_000)}}}`, { qos: 1 });
    await pub.endAsync();
    await withDb(ctx.t, async (c) => {
      await waitFor(async () => (await c.query(`SELECT count(*)::int AS n FROM dead_letter WHERE reason = 'bad_timestamp' AND detail LIKE '%not a real time%'`)).rows[0].n === 1, 30_000, 'bad_timestamp');
      await waitFor(async () => (await c.query(`SELECT count(*)::int AS n FROM dead_letter WHERE reason = 'malformed_json' AND detail LIKE '%nested%'`)).rows[0].n === 1, 30_000, 'malformed_json');
    });
    expect(await healthy()).toBe(true);
  });
});

describe('HTTP edges', () => {
  it('answers impossible and endless date ranges with 400 at once', async () => {
    const started = Date.now();
    expect((await api(ctx.t, admin, '/api/aqi/daily?from=9998-12-31&to=9999-12-31')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/aqi/daily?from=2026-02-30&to=2026-03-02')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/aqi/daily?from=2026-13-01&to=2026-13-02')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/aqi/daily?from=2025-01-01&to=2026-01-02')).status).toBe(400); // 367 days
    expect((await api(ctx.t, admin, '/api/sites/air-hekou/series?metric=pm25&from=2026-02-30T00:00:00Z&to=2026-03-02T00:00:00Z')).status).toBe(400);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('takes decimal ids only', async () => {
    expect((await api(ctx.t, admin, '/api/alerts/0x10')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/alerts/1e1')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/alerts/16')).status).toBe(404);
    expect((await api(ctx.t, admin, '/api/alerts?limit=0x10')).status).toBe(400);
  });

  it('refuses NUL and unpaired surrogates anywhere with 400, never 500', async () => {
    const raw = (path: string, body: string, token?: string): Promise<Response> =>
      fetch(`${ctx.t.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
    expect((await raw('/api/auth/login', '{"username":"adm\\u0000in","password":"x"}')).status).toBe(400);
    expect((await raw('/api/auth/login', '{"username":"admin","password":"\\ud800"}')).status).toBe(400);
    expect((await raw('/api/sites', '{"id":"air-new","kind":"air","name_zh":"站\\u0000","name_en":"x","lat":39,"lon":121.5}', admin)).status).toBe(400);
    expect((await raw('/api/alerts/1/comments', '{"note":"\\udc00 alone"}', admin)).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/sites/air%00hekou')).status).toBe(400);
    expect((await api(ctx.t, admin, '/api/dead-letters?reason=a%00b')).status).toBe(400);
    expect(await healthy()).toBe(true);
  });

  it('sends security headers and no X-Powered-By; CORS stays closed', async () => {
    const res = await fetch(`${ctx.t.httpUrl}/api/health`, { headers: { origin: 'https://evil.example' } });
    expect(res.headers.get('x-powered-by')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'.*img-src 'self' data: blob: https:\/\/tile\.openstreetmap\.org/);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const page = await fetch(`${ctx.t.httpUrl}/`);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('alert assignment and comments', () => {
  it('assigns an alert to a user and comments on it (both answered 500 before)', async () => {
    const operator = await addUser(ctx.t, admin, 'desk-operator', 'operator');
    const id = await withDb(ctx.t, async (c) => {
      const { rows } = await c.query(
        `INSERT INTO alert (site_key, rule_id, severity, state, opened_at, last_triggered_at, announced_at, title_zh, title_en)
         SELECT s.key, 'desk-test', 'major', 'active', now(), now(), now(), '测试', 'test' FROM site s WHERE s.id = 'air-hekou' RETURNING id`,
      );
      return Number(rows[0].id);
    });
    const assigned = await post(operator, `/api/alerts/${id}/assign`, { username: 'Desk-Operator', note: '请处理' });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assigned_to: 'Desk-Operator' });
    expect((await post(operator, `/api/alerts/${id}/assign`, { username: 'nobody-here' })).status).toBe(400);
    expect((await post(operator, `/api/alerts/${id}/comments`, { note: '现场已派人' })).status).toBe(200);
    const history = (await api<{ history: { action: string; note: string | null }[] }>(ctx.t, operator, `/api/alerts/${id}`)).body.history;
    expect(history.map((h) => h.action)).toEqual(expect.arrayContaining(['assigned', 'comment']));
  });
});

describe('people', () => {
  it('refuses a correctly signed token for a user that does not exist', async () => {
    const jwt = new JwtService({ secret: ctx.t.env.JWT_SECRET!, signOptions: { algorithm: 'HS256', expiresIn: 600 } });
    const ghost = jwt.sign({ sub: '9999', sid: '1', username: 'ghost', role: 'admin' });
    expect((await api(ctx.t, ghost, '/api/sites')).status).toBe(401);
  });

  it('logs out at once, refreshes by rotation, and a replayed refresh token ends the session', async () => {
    const first = await signIn('admin', ctx.t.env.ADMIN_PASSWORD!);
    expect(first.status).toBe(200);
    const refreshed = await post('', '/api/auth/refresh', { refresh_token: first.body.refresh_token });
    expect(refreshed.status).toBe(200);
    const second = refreshed.body as unknown as { token: string; refresh_token: string };
    expect((await api(ctx.t, second.token, '/api/sites')).status).toBe(200);
    expect((await post('', '/api/auth/refresh', { refresh_token: first.body.refresh_token })).status).toBe(401); // replayed
    expect((await api(ctx.t, second.token, '/api/sites')).status).toBe(401); // …and its session is gone
    const third = await signIn('admin', ctx.t.env.ADMIN_PASSWORD!);
    expect((await post(third.body.token, '/api/auth/logout', {})).status).toBe(204);
    expect((await api(ctx.t, third.body.token, '/api/sites')).status).toBe(401);
    expect((await post('', '/api/auth/refresh', { refresh_token: third.body.refresh_token })).status).toBe(401);
  });

  it('takes a demotion, a disabled account and a removal into account at once, sockets included', async () => {
    const token = await addUser(ctx.t, admin, 'shift-lead', 'operator');
    const user = (await api<{ id: number }>(ctx.t, token, '/api/auth/me')).body;
    const socket: Socket = io(`${ctx.t.httpUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('connect_error', reject));
    const dropped = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    expect((await api(ctx.t, admin, `/api/users/${user.id}`, { method: 'PATCH', body: JSON.stringify({ role: 'viewer' }) })).status).toBe(200);
    await dropped;
    expect((await api(ctx.t, token, '/api/sites')).status).toBe(401); // the demoted user signs in again…
    const again = await login(ctx.t, 'shift-lead', TEST_USER_PASSWORD);
    expect((await post(again, '/api/alerts/1/ack', {})).status).toBe(403); // …as a viewer
    expect((await api(ctx.t, admin, `/api/users/${user.id}`, { method: 'PATCH', body: JSON.stringify({ disabled: true }) })).status).toBe(200);
    expect((await api(ctx.t, again, '/api/sites')).status).toBe(401);
    expect((await signIn('shift-lead', TEST_USER_PASSWORD)).status).toBe(401);
    expect((await api(ctx.t, admin, `/api/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api<{ username: string }[]>(ctx.t, admin, '/api/users')).body.map((u) => u.username)).not.toContain('shift-lead');
    socket.close();
  });

  it('changes a password (other sessions end), enforces the policy, and an admin reset forces a change', async () => {
    const token = await addUser(ctx.t, admin, 'bureau-analyst', 'viewer');
    const other = await login(ctx.t, 'bureau-analyst', TEST_USER_PASSWORD);
    expect((await post(token, '/api/auth/password', { current_password: 'wrong-one', new_password: 'Sea-buoy-2027!' })).status).toBe(400);
    const weak = await post(token, '/api/auth/password', { current_password: TEST_USER_PASSWORD, new_password: 'password123' });
    expect(weak.status).toBe(400);
    expect(String(weak.body.message)).toContain('too common');
    expect((await post(token, '/api/auth/password', { current_password: TEST_USER_PASSWORD, new_password: 'Sea-buoy-2027!' })).status).toBe(204);
    expect((await api(ctx.t, token, '/api/sites')).status).toBe(200);
    expect((await api(ctx.t, other, '/api/sites')).status).toBe(401);
    const me = (await api<{ id: number }>(ctx.t, token, '/api/auth/me')).body;
    expect((await post(admin, `/api/users/${me.id}/password`, { password: 'Reset-by-admin-77' })).status).toBe(204);
    expect((await api(ctx.t, token, '/api/sites')).status).toBe(401);
    const reset = await signIn('bureau-analyst', 'Reset-by-admin-77');
    expect(reset.body.must_change_password).toBe(true);
    expect((await api(ctx.t, reset.body.token, '/api/sites')).status).toBe(403);
    expect((await post(reset.body.token, '/api/auth/password', { current_password: 'Reset-by-admin-77', new_password: 'Own-choice-2028#' })).status).toBe(204);
    expect((await api(ctx.t, reset.body.token, '/api/sites')).status).toBe(200);
  });

  it('treats usernames without case, and keeps the last admin', async () => {
    expect((await post(admin, '/api/users', { username: 'ADMIN', password: 'Another-boss-99', role: 'admin' })).status).toBe(409);
    const me = (await api<{ id: number }>(ctx.t, admin, '/api/auth/me')).body;
    expect((await api(ctx.t, admin, `/api/users/${me.id}`, { method: 'PATCH', body: JSON.stringify({ role: 'viewer' }) })).status).toBe(409);
    expect((await api(ctx.t, admin, `/api/users/${me.id}`, { method: 'DELETE' })).status).toBe(409);
    expect((await signIn('AdMiN', ctx.t.env.ADMIN_PASSWORD!)).status).toBe(200);
  });

  it('locks a username out after 5 wrong passwords with 429 and Retry-After, whether or not it exists', async () => {
    await addUser(ctx.t, admin, 'port-inspector', 'viewer');
    for (const name of ['port-inspector', 'no-such-inspector']) {
      for (let i = 0; i < 4; i++) expect((await signIn(name, 'Wrong-password-1')).status).toBe(401);
      const fifth = await signIn(name, 'Wrong-password-1');
      expect(fifth.status).toBe(429);
      expect(Number(fifth.headers.get('retry-after'))).toBeGreaterThan(800);
    }
    expect((await signIn('port-inspector', TEST_USER_PASSWORD)).status).toBe(429); // even the right password, until the lock ends
  });

  it('takes about as long for an unknown username as for a wrong password', async () => {
    const time = async (name: string): Promise<number> => {
      const t0 = performance.now();
      await signIn(name, 'Not-the-password-3');
      return performance.now() - t0;
    };
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[1]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('admin'));
      unknown.push(await time(`nobody-${i}`));
    }
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });
});

describe('audit log', () => {
  it('records sign-ins, failures and changes with who, when and where; admins only; append-only', async () => {
    const all = (await api<{ action: string; actor: string; outcome: string; ip: string; detail: Record<string, unknown> }[]>(ctx.t, admin, '/api/audit?limit=500')).body;
    expect(all.map((e) => `${e.action} ${e.actor} ${e.outcome}`)).toContain('auth.login admin ok');
    expect(all.every((e) => e.ip)).toBe(true);
    expect(all.some((e) => e.action === 'auth.login' && e.actor === 'port-inspector' && e.outcome === 'failed')).toBe(true);
    expect(all.some((e) => e.action === 'auth.login' && e.outcome === 'denied')).toBe(true); // locked out
    expect(all.some((e) => e.action === 'user.update' && e.detail.role === 'viewer')).toBe(true);
    expect(JSON.stringify(all)).not.toContain(TEST_USER_PASSWORD);
    const users = (await api<{ action: string }[]>(ctx.t, admin, '/api/audit?action=user.')).body;
    expect(users.length).toBeGreaterThan(0);
    expect(users.every((e) => e.action.startsWith('user.'))).toBe(true);
    const page1 = (await api<{ id: number }[]>(ctx.t, admin, '/api/audit?limit=2')).body;
    const page2 = (await api<{ id: number }[]>(ctx.t, admin, `/api/audit?limit=2&before=${page1[1]!.id}`)).body;
    expect(page2[0]!.id).toBeLessThan(page1[1]!.id);
    const viewer = await addUser(ctx.t, admin, 'audit-viewer', 'viewer');
    expect((await api(ctx.t, viewer, '/api/audit')).status).toBe(403);
    await withDb(ctx.t, async (c) => {
      await expect(c.query('UPDATE audit_log SET actor = $1', ['someone-else'])).rejects.toThrow(/append-only/);
      await expect(c.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    });
  });
});
