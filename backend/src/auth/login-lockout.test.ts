import { describe, expect, it } from 'vitest';
import { LoginLockout } from './login-lockout.js';

const opts = { maxFailures: 3, windowMs: 60_000, lockMs: 300_000, maxNames: 2 };

describe('login lockout', () => {
  it('locks a name after the allowed failures within the window, for the lock time', () => {
    const l = new LoginLockout(opts);
    expect(l.failed('ops', 0)).toBe(0);
    expect(l.failed('OPS', 1000)).toBe(0);
    expect(l.failed('ops', 2000)).toBe(300_000);
    expect(l.retryAfterMs('Ops', 2000)).toBe(300_000);
    expect(l.retryAfterMs('ops', 302_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const l = new LoginLockout(opts);
    l.failed('ops', 0);
    l.failed('ops', 1000);
    expect(l.failed('ops', 61_500)).toBe(0);
    expect(l.retryAfterMs('ops', 61_500)).toBe(0);
  });

  it('clears the count on success', () => {
    const l = new LoginLockout(opts);
    l.failed('ops', 0);
    l.failed('ops', 1);
    l.succeeded('ops');
    expect(l.failed('ops', 2)).toBe(0);
  });

  it('keeps at most maxNames names, dropping the oldest', () => {
    const l = new LoginLockout(opts);
    for (const t of [0, 1, 2]) l.failed('a', t);
    l.failed('b', 3);
    l.failed('c', 4);
    expect(l.retryAfterMs('a', 5)).toBe(0); // evicted
  });
});
