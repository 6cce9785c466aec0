import { describe, expect, it } from 'vitest';
import { districtTimeToMs } from './district-time.js';

const SH = 'Asia/Shanghai';

describe('districtTimeToMs: dates as the district means them', () => {
  it('reads a bare date as that day in the district: 2026-10-01 in Asia/Shanghai starts at 2026-09-30T16:00Z', () => {
    expect(new Date(districtTimeToMs('2026-10-01', SH)).toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(new Date(districtTimeToMs('2026-10-01', SH, true)).toISOString()).toBe('2026-10-01T16:00:00.000Z');
    expect(new Date(districtTimeToMs('2026-10-01', 'UTC')).toISOString()).toBe('2026-10-01T00:00:00.000Z');
  });

  it('reads a date-time without a zone as local time, and honours an explicit offset', () => {
    expect(districtTimeToMs('2026-10-01T07:30', SH)).toBe(Date.parse('2026-09-30T23:30:00Z'));
    expect(districtTimeToMs('2026-10-01T08:00:00.500', SH)).toBe(Date.parse('2026-10-01T00:00:00.500Z'));
    expect(districtTimeToMs('2026-10-01T08:00', SH, true)).toBe(Date.parse('2026-10-01T00:00:00Z')); // a time is an instant, not a day
    expect(districtTimeToMs('2026-10-01T00:00:00Z', SH)).toBe(Date.parse('2026-10-01T00:00:00Z'));
    expect(districtTimeToMs('2026-10-01T00:00+02:00', SH)).toBe(Date.parse('2026-09-30T22:00:00Z'));
  });

  it('follows a zone with summer time on both sides of the change', () => {
    expect(districtTimeToMs('2026-03-29', 'Europe/Berlin')).toBe(Date.parse('2026-03-28T23:00:00Z'));
    expect(districtTimeToMs('2026-03-30', 'Europe/Berlin')).toBe(Date.parse('2026-03-29T22:00:00Z'));
    expect(districtTimeToMs('2026-03-29', 'Europe/Berlin', true)).toBe(Date.parse('2026-03-29T22:00:00Z'));
  });

  it('gives NaN for what names no real time', () => {
    for (const t of ['2026-02-30', '2026-10-01T24:00', '2026-13-01', '20261001', '', 'yesterday', '2026-10-01T08:00+15:00']) expect(districtTimeToMs(t, SH)).toBeNaN();
  });
});
