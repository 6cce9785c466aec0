/**
 * Data validity and aggregation rules for air quality statistics (HJ 633 / HJ 663,
 * docs/standards.md §2): an hourly value needs 45 minutes of data, a daily mean 20 valid hours,
 * an 8-hour mean 6 of its 8 hours, a month 27 valid days (25 in February), a year 324.
 */

export const MIN_MINUTES_PER_HOUR = 45;
export const MIN_HOURS_PER_DAY = 20;
export const MIN_HOURS_PER_8H = 6;
/** HJ 663: a daily maximum 8-hour mean needs at least 14 valid 8-hour means in the day. */
export const MIN_8H_MEANS_PER_DAY = 14;
export const MIN_VALID_DAYS_PER_YEAR = 324;

/** An hourly mean from a count, a sum and the seconds the readings cover; null under 45 minutes. */
export function hourlyMean(n: number, sum: number, coveredS: number): number | null {
  if (n <= 0 || coveredS < MIN_MINUTES_PER_HOUR * 60) return null;
  return sum / n;
}

function meanOf(values: readonly (number | null | undefined)[], minValid: number): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    sum += v;
    n++;
  }
  return n >= minValid ? sum / n : null;
}

/** A daily mean from the 24 hourly values of a day (null where an hour is invalid). */
export function dailyMean(hourly: readonly (number | null | undefined)[]): number | null {
  return meanOf(hourly, MIN_HOURS_PER_DAY);
}

/** The 8-hour moving mean ending with hour `end` (inclusive) of a run of hourly values. */
export function movingMean8h(hourly: readonly (number | null | undefined)[], end: number): number | null {
  if (end < 7) return null;
  return meanOf(hourly.slice(end - 7, end + 1), MIN_HOURS_PER_8H);
}

/**
 * The O3 daily maximum 8-hour moving mean of a natural day: the 17 means ending at the
 * day's hours 7 … 23 (periods 00–08 … 16–24), valid when at least 14 of them are.
 */
export function dailyMax8h(hourly: readonly (number | null | undefined)[]): number | null {
  const means: number[] = [];
  for (let end = 7; end <= 23; end++) {
    const m = movingMean8h(hourly, end);
    if (m !== null) means.push(m);
  }
  return means.length >= MIN_8H_MEANS_PER_DAY ? Math.max(...means) : null;
}

/** The daily maximum of the valid hourly values, when the day itself is valid. */
export function dailyMax1h(hourly: readonly (number | null | undefined)[]): number | null {
  const valid = hourly.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return valid.length >= MIN_HOURS_PER_DAY ? Math.max(...valid) : null;
}

/** Days a month needs to be a valid month: 27, or 25 in February. */
export function minValidDaysInMonth(month: number): number {
  return month === 2 ? 25 : 27;
}

export function isValidMonth(validDays: number, month: number): boolean {
  return validDays >= minValidDaysInMonth(month);
}

export function isValidYear(validDays: number): boolean {
  return validDays >= MIN_VALID_DAYS_PER_YEAR;
}

/** The mean of the stations' values (for the district), over the stations that have one. */
export function meanOverStations(values: readonly (number | null | undefined)[]): number | null {
  return meanOf(values, 1);
}
