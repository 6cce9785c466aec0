import { describe, expect, it, vi } from 'vitest';
import { Coalescer } from './site-coalescer.js';

describe('Coalescer', () => {
  it('sends the first change at once and at most one per key per interval', () => {
    vi.useFakeTimers();
    let now = 0;
    const sent: string[] = [];
    const c = new Coalescer<string>(1000, (k) => sent.push(`${k}@${now}`), () => now);
    c.changed('a');
    c.changed('b');
    now = 100;
    c.changed('a');
    now = 500;
    c.changed('a');
    expect(sent).toEqual(['a@0', 'b@0']);
    now = 999;
    c.flushDue();
    expect(sent).toHaveLength(2);
    now = 1000;
    c.flushDue();
    expect(sent).toEqual(['a@0', 'b@0', 'a@1000']);
    now = 5000;
    c.flushDue();
    expect(sent).toHaveLength(3); // nothing pending
    c.stop();
    vi.useRealTimers();
  });
});
