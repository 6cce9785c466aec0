import { describe, expect, it } from 'vitest';
import { DocumentCache } from './document-cache.js';

const bytes = (n: number, fill = 1): Buffer => Buffer.alloc(n, fill);

describe('DocumentCache', () => {
  it('keeps documents within its byte budget, dropping the least recently used first', () => {
    const c = new DocumentCache(100);
    c.set('a', bytes(40));
    c.set('b', bytes(40));
    expect(c.get('a')).toBeDefined(); // a is now more recent than b
    c.set('c', bytes(40));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.get('c')).toBeDefined();
    expect(c.bytes).toBe(80);
  });

  it('replaces a key without counting it twice, and never keeps a document larger than the budget', () => {
    const c = new DocumentCache(100);
    c.set('a', bytes(60));
    c.set('a', bytes(70, 2));
    expect(c.bytes).toBe(70);
    expect(c.get('a')![0]).toBe(2);
    c.set('huge', bytes(101));
    expect(c.get('huge')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
  });

  it('drops every document of a month at once', () => {
    const c = new DocumentCache(1000);
    for (const k of ['2026-09|pdf|zh|v1', '2026-09|xlsx|en|v1', '2026-10|pdf|zh|v1']) c.set(k, bytes(10));
    c.deletePrefix('2026-09|');
    expect(c.size).toBe(1);
    expect(c.bytes).toBe(10);
    expect(c.get('2026-10|pdf|zh|v1')).toBeDefined();
  });
});
