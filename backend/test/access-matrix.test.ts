import { JwtService } from '@nestjs/jwt';
import { io } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, api, login } from './harness/hub-process.js';
import { useHub } from './use-hub.js';

/**
 * Every route of the OpenAPI document (a new route is covered without editing this file)
 * called as every kind of caller, and then with hostile input: no 5xx, roles as declared.
 */
const ctx = useHub({ LOGIN_RATE_PER_MIN: '5000' });

type Role = 'viewer' | 'operator' | 'admin';
const ROLES: Role[] = ['viewer', 'operator', 'admin'];
interface Operation {
  'x-public'?: boolean;
  'x-min-role'?: Role;
}
interface Route {
  method: string;
  path: string;
  public: boolean;
  minRole: Role;
}

let routes: Route[] = [];
const tokens: Record<string, string> = {};

/** Path parameters that name nothing: an authorised call is answered 4xx, never changes anything. */
function concretePath(path: string): string {
  return path
    .replace('{id}', path.startsWith('/api/sites') ? 'no-such-site' : path.startsWith('/api/rules') ? 'no-such-rule' : '999999')
    .replace('{site}', 'no-such-site')
    .replace('{month}', '2001-01');
}

async function call(route: Route, token: string | null, path = concretePath(route.path), body: string | undefined = route.method === 'get' ? undefined : '{}'): Promise<number> {
  const res = await fetch(`${ctx.t.httpUrl}${path}`, {
    method: route.method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

beforeAll(async () => {
  const doc = (await (await fetch(`${ctx.t.httpUrl}/api/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method, path, public: op['x-public'] === true, minRole: op['x-min-role'] ?? 'viewer' })),
  );
  const admin = await login(ctx.t);
  tokens.admin = admin;
  tokens.viewer = await addUser(ctx.t, admin, 'matrix-viewer', 'viewer');
  tokens.operator = await addUser(ctx.t, admin, 'matrix-operator', 'operator');
  const revoked = await addUser(ctx.t, admin, 'matrix-leaver', 'viewer');
  expect((await api(ctx.t, revoked, '/api/auth/logout', { method: 'POST' })).status).toBe(204);
  tokens.revoked = revoked;
  const claims = JSON.parse(Buffer.from(tokens.viewer.split('.')[1]!, 'base64url').toString()) as { sub: string; sid: string };
  const secret = ctx.t.env.JWT_SECRET!;
  tokens.expired = new JwtService({ secret }).sign({ sub: claims.sub, sid: claims.sid, username: 'matrix-viewer', role: 'viewer', exp: Math.floor(Date.now() / 1000) - 60 });
  tokens.forged = new JwtService({ secret: 'not-the-hub-secret-but-long-enough-for-hs256' }).sign({ sub: claims.sub, sid: claims.sid, username: 'matrix-viewer', role: 'admin' });
  tokens.noneAlg = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: claims.sub, sid: claims.sid, role: 'admin' })).toString('base64url')}.`;
});

describe('access matrix from the OpenAPI document', () => {
  it('covers the API', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes.filter((r) => r.public).map((r) => r.path)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/auth/refresh']));
    expect(routes.find((r) => r.path === '/api/users' && r.method === 'post')?.minRole).toBe('admin');
    const role = (method: string, path: string): Role | undefined => routes.find((r) => r.path === path && r.method === method)?.minRole;
    expect(['get /api/roster', 'get /api/roster/now', 'get /api/roster/assignable', 'post /api/roster', 'patch /api/roster/{id}', 'delete /api/roster/{id}'].map((r) => role(...(r.split(' ') as [string, string])))).toEqual([
      'viewer',
      'viewer',
      'operator',
      'admin',
      'admin',
      'admin',
    ]);
    // The duty-room channels' deliveries name robots and alerts: operators and admins.
    expect(routes.find((r) => r.path === '/api/notifications' && r.method === 'get')?.minRole).toBe('operator');
  });

  it('refuses anonymous, forged, unsigned, expired and revoked tokens on every non-public route', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.public)) {
      for (const who of ['anonymous', 'forged', 'noneAlg', 'expired', 'revoked']) {
        const status = await call(route, who === 'anonymous' ? null : tokens[who]!);
        if (status !== 401) wrong.push(`${who} ${route.method} ${route.path} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets each role do exactly what the route declares, never answering 5xx', async () => {
    const wrong: string[] = [];
    // Signing out ends the caller's session: each role signs out with a session of its own, last.
    const ordered = [...routes].sort((a, b) => Number(a.path === '/api/auth/logout') - Number(b.path === '/api/auth/logout'));
    for (const route of ordered) {
      for (const role of ROLES) {
        const token = route.path === '/api/auth/logout' ? await login(ctx.t, role === 'admin' ? 'admin' : `matrix-${role}`, role === 'admin' ? undefined : 'Harbour-watch-2026') : tokens[role]!;
        const status = await call(route, token);
        const allowed = route.public || ROLES.indexOf(role) >= ROLES.indexOf(route.minRole);
        const ok = status < 500 && (allowed ? status !== 401 && status !== 403 : status === 403);
        if (!ok) wrong.push(`${role} ${route.method} ${route.path} → ${status} (needs ${route.public ? 'nothing' : route.minRole})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('lets only live sessions onto the live socket', async () => {
    const connects = async (token: string | undefined): Promise<boolean> => {
      const socket = io(`${ctx.t.httpUrl}/live`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
      try {
        return await new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('connect_error', () => resolve(false));
        });
      } finally {
        socket.close();
      }
    };
    for (const who of ['forged', 'noneAlg', 'expired', 'revoked']) expect(await connects(tokens[who]), who).toBe(false);
    expect(await connects(undefined)).toBe(false);
    for (const role of ROLES) expect(await connects(tokens[role]), role).toBe(true);
  });
});

describe('hostile input on every route', () => {
  const HOSTILE_PATHS = ['%00', '..%2F..%2Fetc%2Fpasswd', 'x'.repeat(5000), '%ED%A0%80', "1'%20OR%201=1--", '-1', '1.5'];
  const HOSTILE_BODIES = [
    '[]',
    '"text"',
    '12',
    'null',
    '{"a":',
    '{"__proto__":{"admin":true}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    JSON.stringify({ username: 'x'.repeat(100_000), password: 1, note: { nested: true }, id: -1, role: 'root' }),
    'x'.repeat(300 * 1024),
  ];
  const HOSTILE_QUERIES = ['?limit=-1', '?limit=1e9', '?from=2026-02-30&to=2026-03-01', '?kind[]=air&kind[]=gas_point', '?metric=pm25&bucket=1y', '?state=' + 'x'.repeat(3000), '?site=%00'];

  it('answers every hostile path, query and body as admin without a 5xx, and stays healthy', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const route of routes.filter((r) => r.path !== '/api/auth/logout')) {
      const variants: { path: string; body?: string }[] = [];
      if (route.path.includes('{')) for (const p of HOSTILE_PATHS) variants.push({ path: route.path.replace(/\{[^}]+\}/g, p) });
      for (const q of HOSTILE_QUERIES) variants.push({ path: concretePath(route.path) + q });
      if (route.method !== 'get') for (const b of HOSTILE_BODIES) variants.push({ path: concretePath(route.path), body: b });
      for (const v of variants) {
        const status = await call(route, tokens.admin!, v.path, v.body ?? (route.method === 'get' ? undefined : '{}'));
        calls++;
        if (status >= 500) wrong.push(`${route.method} ${v.path.slice(0, 80)} ${v.body?.slice(0, 40) ?? ''} → ${status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(300);
    expect((await fetch(`${ctx.t.httpUrl}/api/health`)).status).toBe(200);
  });
});
