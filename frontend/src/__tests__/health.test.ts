import { afterEach, describe, expect, it, vi } from 'vitest';
import { downParts, HEALTH_POLL_MS, partsDown, unwatchHealth, watchHealth } from '../live/health';
import { json, stubFetch } from './fixtures';

afterEach(() => {
  unwatchHealth();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('hub health in the header', () => {
  it('lists every part reported down, whatever its name', () => {
    expect(downParts({ status: 'degraded', db: 'up', mqtt: 'down', redis: 'down' })).toEqual(['mqtt', 'redis']);
    expect(downParts({ status: 'ok', db: 'up', mqtt: 'up' })).toEqual([]);
    expect(downParts('Service Unavailable')).toEqual([]);
  });

  it('polls /api/health, shows a part down from a 503 answer and clears it when the hub recovers', async () => {
    vi.useFakeTimers();
    let answer = json({ status: 'degraded', db: 'up', mqtt: 'down' }, 503);
    const calls = stubFetch(() => answer);
    watchHealth();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.url)).toEqual(['/api/health']);
    expect(partsDown.value).toEqual(['mqtt']);
    answer = json({ status: 'ok', db: 'up', mqtt: 'up' });
    await vi.advanceTimersByTimeAsync(HEALTH_POLL_MS);
    expect(calls).toHaveLength(2);
    expect(partsDown.value).toEqual([]);
  });

  it('shows nothing when the hub cannot be asked, and stops polling when the dashboard closes', async () => {
    vi.useFakeTimers();
    const calls = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    partsDown.value = ['db'];
    watchHealth();
    await vi.advanceTimersByTimeAsync(0);
    expect(partsDown.value).toEqual([]);
    unwatchHealth();
    await vi.advanceTimersByTimeAsync(HEALTH_POLL_MS * 3);
    expect(calls).toHaveLength(1);
  });
});
