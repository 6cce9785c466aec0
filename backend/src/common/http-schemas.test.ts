import { describe, expect, it } from 'vitest';
import { setDistrictZone } from './district-zone.js';
import { queryEndTime, queryTime } from './http-schemas.js';

const iso = (schema: typeof queryTime, text: string): string | null => {
  const r = schema.safeParse(text);
  return r.success ? r.data.toISOString() : null;
};

describe('query times: dates without a zone are district days', () => {
  it('reads a bare date as the district day: from its start, to after its end (Asia/Shanghai by default)', () => {
    expect(iso(queryTime, '2026-10-01')).toBe('2026-09-30T16:00:00.000Z');
    expect(iso(queryEndTime, '2026-10-01')).toBe('2026-10-01T16:00:00.000Z');
    expect(iso(queryTime, '2026-10-01T08:30')).toBe('2026-10-01T00:30:00.000Z');
    expect(iso(queryEndTime, '2026-10-01T08:30:15')).toBe('2026-10-01T00:30:15.000Z');
  });

  it('honours an explicit offset and epoch milliseconds as before', () => {
    expect(iso(queryTime, '2026-10-01T00:00:00Z')).toBe('2026-10-01T00:00:00.000Z');
    expect(iso(queryEndTime, '2026-10-01T00:00+02:00')).toBe('2026-09-30T22:00:00.000Z');
    expect(iso(queryTime, '1791158400000')).toBe('2026-10-05T00:00:00.000Z');
  });

  it('follows TZ_DISTRICT', () => {
    setDistrictZone('UTC');
    try {
      expect(iso(queryTime, '2026-10-01')).toBe('2026-10-01T00:00:00.000Z');
    } finally {
      setDistrictZone('Asia/Shanghai');
    }
  });

  it('refuses what names no real time', () => {
    for (const t of ['2026-02-30', '2026-10-01T24:00', '2026-10-01T08', 'today', '', '2026-10-01 08:00']) expect(iso(queryTime, t)).toBeNull();
  });
});
