import type { SiteSnapshot } from '@tidewatch/contracts';
import { vi } from 'vitest';
import type { Alert } from '../stores/alerts';

/** An alert record as the API sends it. */
export const alert = (id: number, severity: Alert['severity'], opened: string, state: Alert['state'] = 'active'): Alert => ({
  id,
  site: 'gas-a',
  site_name_zh: '燃气点',
  site_name_en: 'Gas point',
  kind: 'gas_point',
  rule: 'gas-lel',
  severity,
  state,
  cleared: false,
  title_zh: '可燃气体浓度超限',
  title_en: 'Combustible gas',
  detail: {},
  opened_at: opened,
  cleared_at: null,
  last_triggered_at: opened,
  triggers: 1,
  acknowledged_at: null,
  acknowledged_by: null,
  resolved_at: null,
  resolved_by: null,
  assigned_to: null,
  escalation_level: 0,
  announced_at: opened,
  updated_at: opened,
});

/** An access token as the hub signs it (the signature is not checked by the page). */
export function jwt(claims: object): string {
  const b64 = (o: object): string => btoa(unescape(encodeURIComponent(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`;
}

/** What sign-in and renewal answer, for a token living `ttlS` seconds from now. */
export function issued(n: number, opts: { username?: string; role?: string; ttlS?: number; mustChange?: boolean } = {}) {
  const iat = Math.floor(Date.now() / 1000);
  const ttl = opts.ttlS ?? 900;
  return {
    token: jwt({ sub: '1', sid: '1', username: opts.username ?? 'duty', role: opts.role ?? 'operator', iat, exp: iat + ttl, n }),
    refresh_token: `refresh-token-number-${n}-xxxxxxxxxxxx`,
    expires_in: ttl,
    role: opts.role ?? 'operator',
    must_change_password: opts.mustChange ?? false,
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(body === null ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** A recorded fetch call: method, path and parsed body. */
export interface Call {
  method: string;
  url: string;
  auth: string | null;
  body: unknown;
}

/** Stubs fetch with `answer`, recording every call. */
export function stubFetch(answer: (call: Call) => Response | Promise<Response>): Call[] {
  const calls: Call[] = [];
  const fn = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const headers = (init.headers ?? {}) as Record<string, string>;
    const call = { method: init.method ?? 'GET', url, auth: headers.authorization ?? null, body: init.body ? (JSON.parse(String(init.body)) as unknown) : undefined };
    calls.push(call);
    return answer(call);
  };
  vi.stubGlobal('fetch', fn);
  return calls;
}

/** A gas point's snapshot with one LEL value at time `t`. */
export const siteSnapshot = (id: string, value: number, t = `2026-11-28T01:00:${String(value % 60).padStart(2, '0')}.000Z`): SiteSnapshot => ({
  id,
  kind: 'gas_point',
  name_zh: id,
  name_en: id,
  lat: 38.85,
  lon: 121.5,
  status: 'normal',
  online: true,
  last_seen: t,
  latest: { ch4_lel_pct: { value, t } },
});
