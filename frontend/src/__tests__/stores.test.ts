import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { byUrgency, useAlertsStore } from '../stores/alerts';
import { alert, siteSnapshot } from './fixtures';
import { decodeToken, useAuthStore } from '../stores/auth';
import { FLUSH_MS, HISTORY_CAP, useSitesStore } from '../stores/sites';

const site = siteSnapshot;


function token(claims: object): string {
  const b64 = (o: object): string => btoa(unescape(encodeURIComponent(JSON.stringify(o)))).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${b64({ alg: 'HS256' })}.${b64(claims)}.sig`;
}

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
});

describe('sites store', () => {
  it('applies live updates in batches, not one render per message', () => {
    vi.useFakeTimers();
    const s = useSitesStore();
    s.load([site('a', 1), site('b', 1)]);
    for (let i = 0; i < 500; i++) s.update(site('a', i + 2));
    s.update(site('c', 1));
    expect(s.byId.get('a')!.latest.ch4_lel_pct!.value).toBe(1); // nothing applied yet
    vi.advanceTimersByTime(FLUSH_MS);
    expect(s.byId.get('a')!.latest.ch4_lel_pct!.value).toBe(501);
    expect(s.count).toBe(3);
    expect([...s.changed].sort()).toEqual(['a', 'c']);
    vi.useRealTimers();
  });

  it('caps each site’s history', () => {
    const s = useSitesStore();
    s.load([site('a', 0)]);
    for (let i = 1; i <= HISTORY_CAP + 40; i++) {
      s.update(site('a', i, new Date(Date.UTC(2026, 10, 28, 1, 0, i)).toISOString()));
      s.flush();
    }
    expect(s.historyOf('a')).toHaveLength(HISTORY_CAP);
    expect(s.historyOf('a').at(-1)!.values.ch4_lel_pct).toBe(HISTORY_CAP + 40);
  });

  it('a full snapshot replaces everything (retired sites disappear)', () => {
    const s = useSitesStore();
    s.load([site('a', 1), site('b', 1)]);
    s.load([site('b', 2)]);
    expect([...s.byId.keys()]).toEqual(['b']);
  });
});

describe('alerts store', () => {
  it('orders by severity, then newest first', () => {
    const list = [alert(1, 'minor', '2026-11-28T01:00:00Z'), alert(2, 'critical', '2026-11-28T00:00:00Z'), alert(3, 'critical', '2026-11-28T02:00:00Z')];
    expect(list.sort(byUrgency).map((a) => a.id)).toEqual([3, 2, 1]);
  });

  it('flags new critical alerts until seen or acknowledged, and drops resolved ones', () => {
    const s = useAlertsStore();
    expect(s.apply({ ...alert(1, 'critical', '2026-11-28T01:00:00Z'), event: 'opened' }).newCritical).toBe(true);
    expect(s.apply({ ...alert(2, 'major', '2026-11-28T01:00:00Z'), event: 'opened' }).newCritical).toBe(false);
    expect(s.fresh.has(1)).toBe(true);
    s.apply({ ...alert(1, 'critical', '2026-11-28T01:00:00Z', 'acknowledged'), event: 'acknowledged' });
    expect(s.fresh.has(1)).toBe(false);
    s.apply({ ...alert(2, 'major', '2026-11-28T01:00:00Z', 'resolved'), event: 'resolved' });
    expect(s.sorted.map((a) => a.id)).toEqual([1]);
  });
});

describe('auth store', () => {
  it('reads name and role from the token and ranks roles', () => {
    const t = token({ username: '值班员', role: 'operator', exp: Date.now() / 1000 + 3600 });
    expect(decodeToken(t)).toMatchObject({ username: '值班员', role: 'operator' });
    expect(decodeToken('garbage')).toBeNull();
    expect(decodeToken(token({ username: 'x', role: 'root', exp: 1 }))).toBeNull();
    sessionStorage.setItem('tidewatch.token', t);
    setActivePinia(createPinia());
    const auth = useAuthStore();
    expect(auth.loggedIn).toBe(true);
    expect([auth.can('viewer'), auth.can('operator'), auth.can('admin')]).toEqual([true, true, false]);
  });

  it('treats an expired token as logged out', () => {
    sessionStorage.setItem('tidewatch.token', token({ username: 'a', role: 'admin', exp: Date.now() / 1000 - 10 }));
    expect(useAuthStore().loggedIn).toBe(false);
  });
});
