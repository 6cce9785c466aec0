import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../common/domain-errors.js';
import { handoverPeriod, shiftAt } from './shift.js';

const SH = 'Asia/Shanghai';
const iso = (p: { fromMs: number; toMs: number }): [string, string] => [new Date(p.fromMs).toISOString(), new Date(p.toMs).toISOString()];

describe('duty shifts in the district zone', () => {
  it('puts an instant in its 8-hour shift: 00–08, 08–16, 16–24 Beijing time', () => {
    // 2026-12-02 10:30 Beijing = 02:30Z: the day shift 08:00–16:00 Beijing.
    expect(iso(shiftAt(Date.parse('2026-12-02T02:30:00Z'), SH))).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-02T08:00:00.000Z']);
    // 23:59 Beijing: the evening shift ends at midnight Beijing, 16:00Z.
    expect(iso(shiftAt(Date.parse('2026-12-02T15:59:00Z'), SH))).toEqual(['2026-12-02T08:00:00.000Z', '2026-12-02T16:00:00.000Z']);
    // 00:00 Beijing exactly starts the night shift of the new day.
    expect(iso(shiftAt(Date.parse('2026-12-02T16:00:00Z'), SH))).toEqual(['2026-12-02T16:00:00.000Z', '2026-12-03T00:00:00.000Z']);
  });

  it('follows the zone, not UTC, across a summer-time change', () => {
    // 2026-03-29 in Berlin has 23 hours: the night shift 00:00–08:00 local is 7 hours long.
    const night = shiftAt(Date.parse('2026-03-29T03:00:00Z'), 'Europe/Berlin');
    expect(iso(night)).toEqual(['2026-03-28T23:00:00.000Z', '2026-03-29T06:00:00.000Z']);
  });

  it('takes a period as given, fills a missing end with 8 hours, and defaults to the current shift', () => {
    const now = Date.parse('2026-12-02T02:30:00Z');
    const from = new Date('2026-12-01T00:00:00Z');
    const to = new Date('2026-12-01T12:00:00Z');
    expect(iso(handoverPeriod(from, to, now, SH))).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z']);
    expect(iso(handoverPeriod(from, undefined, now, SH))).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-01T08:00:00.000Z']);
    expect(iso(handoverPeriod(undefined, to, now, SH))).toEqual(['2026-12-01T04:00:00.000Z', '2026-12-01T12:00:00.000Z']);
    expect(iso(handoverPeriod(undefined, undefined, now, SH))).toEqual(['2026-12-02T00:00:00.000Z', '2026-12-02T08:00:00.000Z']);
  });

  it('refuses an empty, reversed or over-long period', () => {
    const now = Date.now();
    const a = new Date('2026-12-01T00:00:00Z');
    expect(() => handoverPeriod(a, a, now, SH)).toThrow(InvalidRequestError);
    expect(() => handoverPeriod(new Date('2026-12-02T00:00:00Z'), a, now, SH)).toThrow('from must be before to');
    expect(() => handoverPeriod(a, new Date('2026-12-08T00:00:01Z'), now, SH)).toThrow('at most 7 days');
    expect(handoverPeriod(a, new Date('2026-12-08T00:00:00Z'), now, SH).toMs).toBe(Date.parse('2026-12-08T00:00:00Z'));
  });
});
