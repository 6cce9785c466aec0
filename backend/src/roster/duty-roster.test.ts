import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { DutyRoster } from './duty-roster.js';
import type { CachedShift, RosterRepository } from './roster.repository.js';
import { rosterQuery, shiftCreateBody, shiftPatchBody } from './roster.schemas.js';

const H = 3_600_000;
const T0 = Date.parse('2026-12-07T00:00:00Z');

/** The repository's window query, counted: the roster must answer from memory. */
function fakeRepo(shifts: CachedShift[]): { repo: RosterRepository; reads: () => number } {
  let reads = 0;
  const repo = {
    window: async (from: Date, to: Date) => {
      reads++;
      return shifts.filter((s) => s.endMs > from.getTime() && s.startMs < to.getTime());
    },
  } as unknown as RosterRepository;
  return { repo, reads: () => reads };
}
const log = { warn: () => undefined } as unknown as Logger;
const shift = (id: number, area: CachedShift['area'], username: string, position: number, fromH: number, toH: number): CachedShift => ({ id, area, username, position, startMs: T0 + fromH * H, endMs: T0 + toH * H });

describe('the duty roster’s on-call cache', () => {
  const shifts = [shift(1, 'gas', 'gas-first', 1, 0, 5), shift(2, 'gas', 'gas-second', 2, 0, 5), shift(3, 'pumps', 'pump-first', 1, 0, 5), shift(4, 'gas', 'gas-day', 1, 5, 13)];

  it('picks the first on call for a new alert of the kind’s area and the next at each escalation, without a query', async () => {
    let now = T0 + H;
    const { repo, reads } = fakeRepo(shifts);
    const roster = new DutyRoster(repo, log, () => now);
    await roster.refresh();
    expect(roster.pick('gas_point', 0)).toEqual({ username: 'gas-first', area: 'gas', position: 1 });
    expect(roster.pick('ebike_charging', 1)).toEqual({ username: 'gas-second', area: 'gas', position: 2 });
    expect(roster.pick('gas_point', 4)).toEqual({ username: 'gas-second', area: 'gas', position: 2 });
    expect(roster.pick('pump_station', 1)).toEqual({ username: 'pump-first', area: 'pumps', position: 1 });
    expect(roster.pick('air', 0)).toBeNull();
    now = T0 + 5.5 * H; // the next shift, still within the loaded window
    expect(roster.pick('gas_point', 0)?.username).toBe('gas-day');
    expect(reads()).toBe(1);
  });

  it('answers nobody past the loaded window rather than an outdated guess', async () => {
    let now = T0 + H;
    const roster = new DutyRoster(fakeRepo(shifts).repo, log, () => now);
    await roster.refresh();
    now = T0 + 12 * H;
    expect(roster.pick('gas_point', 0)).toBeNull();
  });

  it('lists each area’s people on call now', async () => {
    const roster = new DutyRoster(fakeRepo(shifts).repo, log, () => T0 + H);
    await roster.refresh();
    const now = roster.onDutyNow();
    expect(now.areas.gas.map((p) => [p.username, p.position, p.until])).toEqual([
      ['gas-first', 1, '2026-12-07T05:00:00.000Z'],
      ['gas-second', 2, '2026-12-07T05:00:00.000Z'],
    ]);
    expect(now.areas.environment).toEqual([]);
    expect(Object.keys(now.areas)).toEqual(['environment', 'gas', 'ports', 'pumps']);
  });
});

describe('roster schemas', () => {
  const base = { area: 'gas', username: 'duty-op', start_at: '2026-12-07T08:00:00+08:00', end_at: '2026-12-07T16:00:00+08:00' };
  it('takes a shift with its position defaulting to first on call, times with or without a zone', () => {
    expect(shiftCreateBody.parse(base)).toMatchObject({ position: 1, note: '' });
    expect(shiftCreateBody.parse({ ...base, start_at: '2026-12-07T08:00', end_at: '2026-12-07T16:00' }).start_at.toISOString()).toBe('2026-12-07T00:00:00.000Z');
  });
  it('refuses an end not after the start, a shift over seven days, unknown areas and positions out of range', () => {
    expect(shiftCreateBody.safeParse({ ...base, end_at: base.start_at }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, end_at: '2026-12-14T08:00:01+08:00' }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, end_at: '2026-12-14T08:00:00+08:00' }).success).toBe(true);
    expect(shiftCreateBody.safeParse({ ...base, area: 'air' }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, position: 0 }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, position: 10 }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, username: 'x' }).success).toBe(false);
    expect(shiftCreateBody.safeParse({ ...base, extra: 1 }).success).toBe(false);
    expect(shiftPatchBody.safeParse({}).success).toBe(false);
  });
  it('bounds a listing’s period', () => {
    expect(rosterQuery.safeParse({ from: '2026-12-01', to: '2026-12-31' }).success).toBe(true);
    expect(rosterQuery.safeParse({ from: '2026-12-31', to: '2026-12-01' }).success).toBe(false);
    expect(rosterQuery.safeParse({ from: '2026-01-01', to: '2026-12-31' }).success).toBe(false);
  });
});
