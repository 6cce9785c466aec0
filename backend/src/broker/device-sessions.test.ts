import { describe, expect, it } from 'vitest';
import { DeviceSessions, type SessionClient } from './device-sessions.js';

function client(id: string): SessionClient & { closed: number } {
  return {
    id,
    closed: 0,
    close() {
      this.closed++;
    },
  };
}

describe('DeviceSessions', () => {
  it('closes every connection of one site and no other', () => {
    const s = new DeviceSessions();
    const a1 = client('a1');
    const a2 = client('a2');
    const b = client('b');
    const anon = client('anon');
    s.add(a1, 'site-a');
    s.add(a2, 'site-a');
    s.add(b, 'site-b');
    s.add(anon, null);
    expect(s.disconnect('site-a')).toBe(2);
    expect([a1.closed, a2.closed, b.closed, anon.closed]).toEqual([1, 1, 0, 0]);
    expect(s.disconnect('site-a')).toBe(0);
    expect(s.connectedOf('site-b')).toBe(1);
  });

  it('forgets a closed connection', () => {
    const s = new DeviceSessions();
    const a = client('a');
    s.add(a, 'site-a');
    s.remove(a, 'site-a');
    expect(s.disconnect('site-a')).toBe(0);
    expect(a.closed).toBe(0);
    expect(s.heldByOther('a', 'site-b')).toBe(false);
  });

  it('tells when a client id is held by another site or by an anonymous client', () => {
    const s = new DeviceSessions();
    s.add(client('sim-site-a'), 'site-a');
    s.add(client('anon'), null);
    expect(s.heldByOther('sim-site-a', 'site-b')).toBe(true);
    expect(s.heldByOther('sim-site-a', null)).toBe(true);
    expect(s.heldByOther('sim-site-a', 'site-a')).toBe(false);
    expect(s.heldByOther('anon', 'site-a')).toBe(true);
    expect(s.heldByOther('free', 'site-a')).toBe(false);
  });

  it('keeps the newer connection when an older one with the same id closes after a takeover', () => {
    const s = new DeviceSessions();
    const old = client('dev');
    const newer = client('dev');
    s.add(old, 'site-a');
    s.add(newer, 'site-a');
    s.remove(old, 'site-a');
    expect(s.heldByOther('dev', 'site-b')).toBe(true);
    expect(s.disconnect('site-a')).toBe(1);
    expect(newer.closed).toBe(1);
  });
});
