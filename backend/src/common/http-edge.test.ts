import { HttpException, type ArgumentsHost } from '@nestjs/common';
import { describe, expect, it, vi } from 'vitest';
import { HttpErrorsFilter, isDatabaseUnavailable, unstorableTextIn } from './http-edge.js';
import { decimalId, queryInt } from './http-schemas.js';
import { datesFrom, daysBetween, isRealDate } from './district-time.js';

const req = (path: string, query: unknown = {}, body: unknown = undefined): { path: string; query: unknown; body: unknown } => ({ path, query, body });

describe('text the database cannot store', () => {
  it('finds NUL and lone surrogates in the path, the query, body values and keys', () => {
    expect(unstorableTextIn(req('/api/sites/a%00b'))).toBe('path');
    expect(unstorableTextIn(req('/api/sites/%E0%A4%A'))).toContain('percent-encoding');
    expect(unstorableTextIn(req('/api/x', { q: 'a\u0000' }))).toBe('query.q');
    expect(unstorableTextIn(req('/api/x', {}, { note: 'ok', more: ['fine', '\uD800'] }))).toBe('body.more[1]');
    expect(unstorableTextIn(req('/api/x', {}, { ['k\u0000']: 1 }))).toBe('body (a key)');
    expect(unstorableTextIn(req('/api/x', {}, { note: '值班 😀 ok' }))).toBeNull();
  });

  it('walks a body nested 100,000 levels deep without recursion', () => {
    let deep: unknown = 'x\u0000';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(unstorableTextIn(req('/api/x', {}, deep))).toContain('body');
  });
});

describe('strict parameters', () => {
  it('takes decimal ids only', () => {
    expect(decimalId.safeParse('16').data).toBe(16);
    for (const bad of ['0x10', '1e1', ' 16', '016', '-1', '0', '99999999999999999']) expect(decimalId.safeParse(bad).success, bad).toBe(false);
  });

  it('takes whole numbers in range for query integers, with a default', () => {
    const limit = queryInt(1, 100, 20);
    expect(limit.safeParse(undefined).data).toBe(20);
    expect(limit.safeParse('100').data).toBe(100);
    for (const bad of ['0x10', '101', '0', '1.5', '']) expect(limit.safeParse(bad).success, bad).toBe(false);
  });

  it('takes real calendar dates only, and counts days by arithmetic', () => {
    expect(isRealDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-13-01', '9999-12-31', '1969-12-31', '2026-1-1']) expect(isRealDate(bad), bad).toBe(false);
    expect(daysBetween('9998-12-30', '9998-12-31')).toBe(1);
    expect(datesFrom('2026-02-27', '2026-03-01')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
    expect(datesFrom('2026-03-01', '2026-02-27')).toEqual([]);
  });
});

describe('the HTTP error filter', () => {
  const run = (err: unknown): { status: number; body: unknown; headers: Record<string, string>; logged: number } => {
    const out = { status: 0, body: undefined as unknown, headers: {} as Record<string, string>, logged: 0 };
    const res = {
      headersSent: false,
      setHeader: (k: string, v: string) => (out.headers[k] = v),
      status(code: number) {
        out.status = code;
        return this;
      },
      json: (b: unknown) => (out.body = b),
    };
    const host = { getType: () => 'http', switchToHttp: () => ({ getResponse: () => res, getRequest: () => ({ method: 'GET', path: '/api/x' }) }) } as unknown as ArgumentsHost;
    const log = { warn: vi.fn(), error: vi.fn(() => out.logged++) };
    // ExceptionFilter.catch, not Promise.catch
    // eslint-disable-next-line promise/no-promise-in-callback, promise/valid-params
    new HttpErrorsFilter(log as never).catch(err, host);
    return out;
  };

  it('answers 503 with Retry-After when the database cannot be reached', () => {
    for (const err of [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), new Error('timeout exceeded when trying to connect'), Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })]) {
      expect(isDatabaseUnavailable(err)).toBe(true);
      const r = run(err);
      expect(r.status).toBe(503);
      expect(r.headers['Retry-After']).toBe('5');
    }
  });

  it('passes HTTP errors through and hides other failures behind a logged 500', () => {
    expect(run(new HttpException('nope', 409)).status).toBe(409);
    const r = run(Object.assign(new Error('syntax error at or near "x"'), { code: '42601' }));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('syntax');
    expect(r.logged).toBe(1);
  });
});
