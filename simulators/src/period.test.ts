import { describe, expect, it } from 'vitest';
import { backfillPeriod } from './period.js';

const NOW = Date.parse('2026-12-02T06:00:00Z'); // 14:00 on 2 December in Shanghai
const iso = (p: ReturnType<typeof backfillPeriod>) => (typeof p === 'string' ? p : [new Date(p.fromMs).toISOString(), new Date(p.toMs).toISOString()]);

describe('simulator --from/--to', () => {
  it('reads dates without a zone as district days, a bare --to date including its day', () => {
    expect(iso(backfillPeriod('2026-10-01', '2026-10-31', 'Asia/Shanghai', NOW))).toEqual(['2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z']);
    expect(iso(backfillPeriod('2026-10-01', '2026-10-01', 'UTC', NOW))).toEqual(['2026-10-01T00:00:00.000Z', '2026-10-02T00:00:00.000Z']);
  });

  it('reads date-times without a zone as local time and honours an offset', () => {
    expect(iso(backfillPeriod('2026-11-01T08:00', '2026-11-01T00:00:00Z', 'Asia/Shanghai', NOW))).toBe('--from and --to must be dates with --from before --to');
    expect(iso(backfillPeriod('2026-11-01T00:00+08:00', '2026-11-08T00:00', 'Asia/Shanghai', NOW))).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-07T16:00:00.000Z']);
  });

  it('ends today at now, runs to now without --to, and refuses the future, a bad zone or a bad date', () => {
    expect(iso(backfillPeriod('2026-12-01', '2026-12-02', 'Asia/Shanghai', NOW))).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-02T06:00:00.000Z']);
    expect(iso(backfillPeriod('2026-12-01', undefined, 'Asia/Shanghai', NOW))).toEqual(['2026-11-30T16:00:00.000Z', '2026-12-02T06:00:00.000Z']);
    expect(backfillPeriod('2026-12-01', '2026-12-03T00:00', 'Asia/Shanghai', NOW)).toBe('--to must not be in the future');
    expect(backfillPeriod('2026-12-01', undefined, 'Mars/Olympus', NOW)).toBe('unknown time zone Mars/Olympus');
    expect(backfillPeriod('2026-02-30', undefined, 'UTC', NOW)).toMatch(/must be dates/);
  });
});
