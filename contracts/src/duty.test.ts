import { describe, expect, it } from 'vitest';
import { dutyAreaOf, escalationTarget, onCallAt, type ShiftSpan } from './duty.js';
import { SITE_KINDS } from './metrics.js';

const H = 3_600_000;
const shift = (username: string, position: number, from: number, to: number, area: ShiftSpan['area'] = 'gas'): ShiftSpan => ({ area, username, position, startMs: from * H, endMs: to * H });

describe('duty areas', () => {
  it('maps every kind of site to its area', () => {
    expect(Object.fromEntries(SITE_KINDS.map((k) => [k, dutyAreaOf(k)]))).toEqual({
      air: 'environment',
      river: 'environment',
      seawater: 'environment',
      wwtp: 'environment',
      gas_point: 'gas',
      ebike_charging: 'gas',
      fishing_port: 'ports',
      pump_station: 'pumps',
    });
  });
});

describe('who is on call at an instant', () => {
  const roster = [shift('night-2', 2, 0, 8), shift('day-1', 1, 8, 16), shift('night-1', 1, 0, 8), shift('day-2', 2, 8, 16), shift('port-1', 1, 0, 24, 'ports')];

  it('gives the area’s shifts covering the instant, first on call first', () => {
    expect(onCallAt(roster, 'gas', 3 * H).map((s) => s.username)).toEqual(['night-1', 'night-2']);
    expect(onCallAt(roster, 'ports', 3 * H).map((s) => s.username)).toEqual(['port-1']);
    expect(onCallAt(roster, 'pumps', 3 * H)).toEqual([]);
  });

  it('counts a shift from its start, not at its end (the next shift has the hand-over instant)', () => {
    expect(onCallAt(roster, 'gas', 8 * H).map((s) => s.username)).toEqual(['day-1', 'day-2']);
    expect(onCallAt(roster, 'gas', 8 * H - 1).map((s) => s.username)).toEqual(['night-1', 'night-2']);
    expect(onCallAt(roster, 'gas', 16 * H)).toEqual([]);
  });
});

describe('escalation target', () => {
  const onCall = ['first', 'second', 'third'];
  it('is the first on call at level 0, the next at each level, the last when fewer are on call', () => {
    expect([0, 1, 2, 3, 9].map((level) => escalationTarget(onCall, level))).toEqual(['first', 'second', 'third', 'third', 'third']);
  });
  it('is nobody when nobody is on call', () => {
    expect(escalationTarget([], 0)).toBeNull();
    expect(escalationTarget([], 2)).toBeNull();
  });
});
