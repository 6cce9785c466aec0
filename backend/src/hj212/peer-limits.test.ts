import { describe, expect, it } from 'vitest';
import { ConnectionCounts, MAX_CONNECTIONS_PER_ADDRESS, RejectWindows, summaryDetail, windowText } from './peer-limits.js';

const bad = (n: number, reason = 'bad_frame') => ({ reason, detail: `frame ${n}`, item: n });

describe('HJ 212 connections per address', () => {
  it(`admits ${MAX_CONNECTIONS_PER_ADDRESS} connections from one address, then none until one closes; other addresses are apart`, () => {
    const c = new ConnectionCounts();
    for (let i = 0; i < MAX_CONNECTIONS_PER_ADDRESS; i++) expect(c.admit('10.0.0.1')).toBe(true);
    expect(c.admit('10.0.0.1')).toBe(false);
    expect(c.of('10.0.0.1')).toBe(MAX_CONNECTIONS_PER_ADDRESS);
    expect(c.admit('10.0.0.2')).toBe(true);
    c.release('10.0.0.1');
    expect(c.admit('10.0.0.1')).toBe(true);
    for (let i = 0; i < MAX_CONNECTIONS_PER_ADDRESS; i++) c.release('10.0.0.1');
    expect(c.of('10.0.0.1')).toBe(0);
  });
});

describe('HJ 212 dead letters per address', () => {
  it('files the first rejection at once and sums up the rest when the window ends', () => {
    const w = new RejectWindows<number>(60_000);
    expect(w.offer('a', 0, bad(1))).toBe(true);
    for (let i = 2; i <= 5; i++) expect(w.offer('a', i * 1000, bad(i, i === 5 ? 'unknown_site' : 'bad_frame'))).toBe(false);
    expect(w.offer('b', 3000, bad(9))).toBe(true); // another address has its own window
    expect(w.due(59_999)).toEqual([]);
    const [s, ...rest] = w.due(60_000);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ key: 'a', more: 4, last: { item: 5, detail: 'frame 5' } });
    expect(summaryDetail(s!, 60_000)).toBe('4 more bad frames in the last minute (bad_frame 3, unknown_site 1); the last: frame 5');
  });

  it('gives a steady stream one letter a window: a summary opens the next window', () => {
    const w = new RejectWindows<number>(60_000);
    let filed = 0;
    for (let t = 0; t < 10 * 60_000; t += 100) {
      if (w.offer('a', t, bad(t))) filed++;
      filed += w.due(t).length;
    }
    expect(filed).toBe(10);
  });

  it('closes a quiet window, so the next rejection is filed at once', () => {
    const w = new RejectWindows<number>(60_000);
    expect(w.offer('a', 0, bad(1))).toBe(true);
    expect(w.due(60_000)).toEqual([]);
    expect(w.size).toBe(0);
    expect(w.offer('a', 70_000, bad(2))).toBe(true);
  });

  it('flushes what windows counted, and forgets them', () => {
    const w = new RejectWindows<number>(60_000);
    w.offer('a', 0, bad(1));
    w.offer('a', 1, bad(2));
    w.offer('b', 0, bad(3));
    expect(w.flush().map((s) => [s.key, s.more])).toEqual([['a', 1]]);
    expect(w.size).toBe(0);
  });

  it('names its window', () => {
    expect(windowText(60_000)).toBe('the last minute');
    expect(windowText(120_000)).toBe('the last 2 minutes');
    expect(windowText(3000)).toBe('the last 3 s');
    expect(summaryDetail({ key: 'a', more: 1, byReason: new Map([['bad_frame', 1]]), last: bad(1) }, 3000)).toBe('1 more bad frame in the last 3 s (bad_frame 1); the last: frame 1');
  });
});
