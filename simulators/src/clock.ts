/** Calendar helpers in the district's time (UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3_600_000;

/** Hour of day in the district, fractional (0–24). */
export function districtHour(ms: number): number {
  return ((((ms + OFFSET_MS) / 3_600_000) % 24) + 24) % 24;
}

/** Day of year in the district, fractional (0–365). */
export function dayOfYear(ms: number): number {
  const d = new Date(ms + OFFSET_MS);
  const start = Date.UTC(d.getUTCFullYear(), 0, 1);
  return (d.getTime() - start) / 86_400_000;
}

/** 0 = Sunday … 6 = Saturday, in the district. */
export function weekday(ms: number): number {
  return new Date(ms + OFFSET_MS).getUTCDay();
}

/** A smooth daily cycle peaking at `peakHour`, from −1 to 1. */
export function daily(ms: number, peakHour: number): number {
  return Math.cos(((districtHour(ms) - peakHour) / 24) * 2 * Math.PI);
}

/** A bump around `peakHour` with the given width in hours, from 0 to 1. */
export function bump(ms: number, peakHour: number, widthH: number): number {
  let d = Math.abs(districtHour(ms) - peakHour);
  d = Math.min(d, 24 - d);
  return Math.exp(-0.5 * (d / widthH) ** 2);
}

/** Heating season in Dalian: 1 November to 31 March (district date). */
export function heatingSeason(ms: number): boolean {
  const month = new Date(ms + OFFSET_MS).getUTCMonth();
  return month >= 10 || month <= 2;
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
