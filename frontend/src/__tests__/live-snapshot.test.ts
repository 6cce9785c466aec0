import type { LatestAqi } from '@tidewatch/contracts';
import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectLive, disconnectLive } from '../live/socket';
import { useAlertsStore } from '../stores/alerts';
import { useAqiStore } from '../stores/aqi';
import { useAuthStore } from '../stores/auth';
import { useSitesStore } from '../stores/sites';
import { alert, issued, json, siteSnapshot, stubFetch } from './fixtures';

const fake = vi.hoisted(() => {
  const handlers = new Map<string, (...args: unknown[]) => void>();
  const socket = { active: false, connect: vi.fn(), close: vi.fn(), on: (event: string, fn: (...args: unknown[]) => void) => handlers.set(event, fn) };
  const io = vi.fn(() => socket);
  return { handlers, socket, io };
});
vi.mock('socket.io-client', () => ({ io: fake.io }));

const site = siteSnapshot;

const OLD = '2026-11-28T01:00:00.000Z';
const NEW = '2026-11-28T01:00:05.000Z';
const aqi: LatestAqi = {
  hour: '2026-11-28T00:00:00.000Z',
  standard: 'HJ 633-2026',
  district: { version: '2026', aqi: 40, category: null, primary: [], iaqi: {}, missing: [], concentrations: {}, valid_stations: 1 },
  stations: [],
};
const emit = (event: string, ...args: unknown[]): void => fake.handlers.get(event)!(...args);

beforeEach(() => {
  setActivePinia(createPinia());
  sessionStorage.clear();
  fake.handlers.clear();
});

afterEach(() => {
  disconnectLive();
  vi.unstubAllGlobals();
});

describe('live snapshot', () => {
  it('keeps deltas that arrived before the snapshot and are newer than it', async () => {
    const older = { sites: [site('a', 1, OLD), site('b', 1, OLD)], alerts: [alert(7, 'critical', OLD)] };
    // The hub's state as the snapshot saw it, whichever channel brings it.
    stubFetch((call) => {
      if (call.url.startsWith('/api/sites')) return json(older.sites);
      if (call.url.startsWith('/api/alerts')) return json(older.alerts);
      if (call.url.startsWith('/api/aqi')) return json(aqi);
      return json(issued(1));
    });
    const auth = useAuthStore();
    await auth.login('duty', 'x');
    connectLive();
    emit('connect');
    // Deltas newer than the snapshot reach the page before it.
    emit('site', site('a', 9, NEW));
    emit('alert', { ...alert(7, 'critical', OLD, 'acknowledged'), acknowledged_at: NEW, updated_at: NEW, event: 'acknowledged' });
    emit('alert', { ...alert(8, 'major', NEW), updated_at: NEW, event: 'opened' });
    fake.handlers.get('snapshot')?.({ at: OLD, ...older, aqi });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const sites = useSitesStore();
    sites.flush();
    expect(sites.byId.get('a')?.latest.ch4_lel_pct?.value).toBe(9);
    expect(sites.byId.get('b')?.latest.ch4_lel_pct?.value).toBe(1);
    const alerts = useAlertsStore();
    expect(alerts.open.get(7)?.state).toBe('acknowledged');
    expect([...alerts.open.keys()].sort()).toEqual([7, 8]);
    expect(useAqiStore().latest?.hour).toBe(aqi.hour);
  });
});
