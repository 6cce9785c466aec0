import { describe, expect, it } from 'vitest';
import { isRefusal, RenderLimiter, type Release } from './render-limiter.js';

const admitted = (r: ReturnType<RenderLimiter['user']>): Release => {
  if (isRefusal(r)) throw new Error(`refused: ${r.reason}`);
  return r;
};

describe('RenderLimiter', () => {
  it('admits two renderings per user, refuses the third, and admits again once one is released', () => {
    const l = new RenderLimiter({ perUser: 2, total: 10 });
    const a = admitted(l.user(1));
    admitted(l.user(1));
    expect(l.user(1)).toEqual({ reason: 'user', retryAfterS: 1 });
    admitted(l.user(2)); // another user has slots of their own
    a();
    a(); // a second release of the same slot changes nothing
    admitted(l.user(1));
    expect(isRefusal(l.user(1))).toBe(true);
  });

  it('bounds the renderings in flight over all users', () => {
    const l = new RenderLimiter({ perUser: 2, total: 3 });
    const releases = [l.render(), l.render(), l.render()].map(admitted);
    expect(l.render()).toMatchObject({ reason: 'busy' });
    expect(l.renderings).toBe(3);
    releases[0]!();
    expect(isRefusal(l.render())).toBe(false);
  });

  it('derives Retry-After from how long recent renderings took (fake clock)', () => {
    let now = 0;
    const l = new RenderLimiter({ perUser: 1, total: 1 }, () => now, 1000);
    expect(l.retryAfterS()).toBe(1);
    for (let i = 0; i < 20; i++) {
      const done = admitted(l.render());
      now += 6000;
      done();
    }
    expect(l.retryAfterS()).toBe(6);
    admitted(l.user(1));
    expect(l.user(1)).toEqual({ reason: 'user', retryAfterS: 6 });
    for (let i = 0; i < 20; i++) {
      const done = admitted(l.render());
      now += 200;
      done();
    }
    expect(l.retryAfterS()).toBe(1); // never less than a second
  });
});
