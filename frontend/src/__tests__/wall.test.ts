import type { SiteSnapshot } from '@tidewatch/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { configureHttp } from '../api/http';
import { showFigure } from '../components/goal-text';
import { ageParts, freshness, rotate, severityCounts } from '../components/wall-text';
import { en, zh } from '../i18n/messages';
import { useAuthStore } from '../stores/auth';
import { issued, json, stubFetch } from './fixtures';

const site = (id: string, status: SiteSnapshot['status'], last_seen: string | null): SiteSnapshot => ({ id, kind: 'river', name_zh: '', name_en: '', lat: 0, lon: 0, status, online: status !== 'offline', last_seen, latest: {} });

describe('the wall screen’s figures', () => {
  it('says how old the newest data are and how many sites are offline', () => {
    const now = Date.parse('2026-12-07T10:00:30Z');
    const f = freshness([site('a', 'normal', '2026-12-07T10:00:00Z'), site('b', 'offline', '2026-12-07T08:00:00Z'), site('c', 'offline', null)], now);
    expect(f).toEqual({ newestAgeMs: 30_000, offline: 2, total: 3 });
    expect(freshness([site('c', 'offline', null)], now).newestAgeMs).toBeNull();
  });

  it('gives ages in seconds, minutes or hours', () => {
    expect(ageParts(5_400)).toEqual({ unit: 'seconds', n: 5 });
    expect(ageParts(119_000)).toEqual({ unit: 'seconds', n: 119 });
    expect(ageParts(600_000)).toEqual({ unit: 'minutes', n: 10 });
    expect(ageParts(3 * 3_600_000 + 5)).toEqual({ unit: 'hours', n: 3 });
    expect(ageParts(-20)).toEqual({ unit: 'seconds', n: 0 });
  });

  it('counts open alerts per severity, most severe first, zeros included', () => {
    expect(severityCounts([{ severity: 'major' }, { severity: 'critical' }, { severity: 'major' }])).toEqual([
      { severity: 'critical', n: 1 },
      { severity: 'major', n: 2 },
      { severity: 'minor', n: 0 },
      { severity: 'warning', n: 0 },
    ]);
  });

  it('rotates a long list through, wrapping round', () => {
    expect(rotate([1, 2, 3, 4], 1)).toEqual([2, 3, 4, 1]);
    expect(rotate([1, 2, 3, 4], 6)).toEqual([3, 4, 1, 2]);
    expect(rotate([], 3)).toEqual([]);
  });

  it('shows goal figures as the goals board does', () => {
    expect(showFigure({ value: 0.8571, unit: 'ratio' }, 'zh')).toBe('85.7%');
    expect(showFigure({ value: 12.34, unit: 'min' }, 'zh')).toBe('12.3 分钟');
    expect(showFigure({ value: 12.34, unit: 'min' }, 'en')).toBe('12.3 min');
    expect(showFigure({ value: null, unit: 'count' }, 'en')).toBe('—');
  });

  it('has its text in both languages, Chinese without Latin words and English without Chinese', () => {
    for (const section of ['wall', 'layout'] as const) {
      expect(Object.keys(en[section])).toEqual(Object.keys(zh[section]));
      for (const text of Object.values(zh[section])) expect(text.replace(/\{\w+\}/g, '')).not.toMatch(/[A-Za-z]/);
      for (const text of Object.values(en[section])) expect(text).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('a wall screen left for days', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('stays signed in: the token is renewed before each expiry, and after the hub was away it is renewed again once it is back', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-28T01:00:00Z') });
    setActivePinia(createPinia());
    sessionStorage.clear();
    let n = 0;
    let away = false;
    const calls = stubFetch(() => {
      if (away) throw new TypeError('Failed to fetch');
      return json(issued(++n));
    });
    const auth = useAuthStore();
    configureHttp({ token: () => auth.token, renew: () => auth.renew(), ended: () => auth.endSession('sessionEnded') });
    await auth.login('wall', 'Harbour-watch-2026');
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    // A 15-minute token renewed a minute before it expires: 24 h / 14 min ≈ 102 renewals.
    expect(calls.filter((c) => c.url === '/api/auth/refresh').length).toBeGreaterThanOrEqual(100);
    // The hub away for half an hour: the access token expires meanwhile; the page keeps trying.
    away = true;
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    expect(auth.loggedIn).toBe(true);
    away = false;
    const before = n;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(n).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(2 * 24 * 3600_000);
    expect(auth.loggedIn).toBe(true);
    expect(auth.signedOutReason).toBeNull();
    expect(auth.claims).toMatchObject({ n });
  });
});
