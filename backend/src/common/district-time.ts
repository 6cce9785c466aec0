import { districtTimeToMs, isCalendarDate, tzOffsetMs } from '@tidewatch/contracts';

/** Days and months are counted in the district's time zone (TZ_DISTRICT), never UTC. */

export { tzOffsetMs };

/** The local date (YYYY-MM-DD) of an instant. */
export function localDate(ms: number, tz: string): string {
  return new Date(ms + tzOffsetMs(ms, tz)).toISOString().slice(0, 10);
}

/** The instant a local date begins. */
export function dayStartMs(date: string, tz: string): number {
  return districtTimeToMs(date, tz);
}

/** The local date `days` after `date`. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier); real date arithmetic, not string order. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The dates `from`…`to` inclusive, in order; empty when `to` is before `from`. */
export function datesFrom(from: string, to: string): string[] {
  const n = daysBetween(from, to) + 1;
  return Array.from({ length: Math.max(0, n) }, (_, i) => addDays(from, i));
}

export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
/** Dates the hub accepts: monitoring data are never older than 1970 and a year's margin below 9999 keeps date arithmetic inside four-digit years. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 9998;

/** A real calendar date YYYY-MM-DD (no 2026-02-30) between 1970 and 9998. */
export function isRealDate(date: string): boolean {
  if (!DATE_PATTERN.test(date)) return false;
  const year = Number(date.slice(0, 4));
  if (year < FIRST_YEAR || year > LAST_YEAR) return false;
  return isCalendarDate(year, Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}
