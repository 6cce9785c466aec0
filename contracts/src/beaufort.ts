/** Upper bounds of Beaufort forces 0–16 in m/s (GB/T 28591-2012); above the last: force 17. */
const UPPER_MS = [0.2, 1.5, 3.3, 5.4, 7.9, 10.7, 13.8, 17.1, 20.7, 24.4, 28.4, 32.6, 36.9, 41.4, 46.1, 50.9, 56.0];

/** Beaufort force of a wind speed; speeds are read to 0.1 m/s as the standard's table is. */
export function beaufort(speedMs: number): number {
  if (!Number.isFinite(speedMs) || speedMs < 0) throw new RangeError(`bad wind speed ${speedMs}`);
  const v = Math.round(speedMs * 10) / 10;
  const i = UPPER_MS.findIndex((u) => v <= u);
  return i === -1 ? 17 : i;
}
