import { type DailyStats, type HourlyStats, type Pollutant } from '../standards/aqi-index.js';
import { dailyMax1h, dailyMax8h, dailyMean, hourlyMean, meanOverStations, movingMean8h } from '../standards/validity.js';

/** One row of the hourly rollup for an air pollutant. */
export interface HourRow {
  siteKey: number;
  pollutant: Pollutant;
  hourMs: number;
  n: number;
  sum: number;
  /** Seconds of the hour the readings cover. */
  coveredS: number;
}

const HOUR = 3_600_000;
/** HJ 663: a 24-hour moving mean needs 20 hourly values, as a daily mean does. */
const MIN_HOURS_24H = 20;

/** Valid hourly means per station and pollutant (hours with under 45 minutes of data are left out). */
export type StationHours = Map<number, Map<Pollutant, Map<number, number>>>;

export function validHourlyMeans(rows: readonly HourRow[]): StationHours {
  const out: StationHours = new Map();
  for (const r of rows) {
    const mean = hourlyMean(r.n, r.sum, r.coveredS);
    if (mean === null) continue;
    let bySite = out.get(r.siteKey);
    if (!bySite) out.set(r.siteKey, (bySite = new Map()));
    let byHour = bySite.get(r.pollutant);
    if (!byHour) bySite.set(r.pollutant, (byHour = new Map()));
    byHour.set(r.hourMs, mean);
  }
  return out;
}

/** The hourly values of `count` hours starting at `fromMs` (null where invalid). */
function run(hours: Map<number, number> | undefined, fromMs: number, count: number): (number | null)[] {
  return Array.from({ length: count }, (_, i) => hours?.get(fromMs + i * HOUR) ?? null);
}

/** A station's statistics for the natural day starting at `dayStartMs`. */
export function stationDailyStats(hours: Map<Pollutant, Map<number, number>> | undefined, dayStartMs: number): DailyStats {
  const day = (p: Pollutant): (number | null)[] => run(hours?.get(p), dayStartMs, 24);
  const s: DailyStats = {};
  const set = <K extends keyof DailyStats>(k: K, v: number | null): void => {
    if (v !== null) s[k] = v;
  };
  set('so2', dailyMean(day('so2')));
  set('no2', dailyMean(day('no2')));
  set('co', dailyMean(day('co')));
  set('pm10', dailyMean(day('pm10')));
  set('pm25', dailyMean(day('pm25')));
  set('o3_8h_max', dailyMax8h(day('o3')));
  set('o3_1h_max', dailyMax1h(day('o3')));
  return s;
}

function mean24(values: (number | null)[]): number | null {
  const valid = values.filter((v): v is number => v !== null);
  return valid.length >= MIN_HOURS_24H ? valid.reduce((a, b) => a + b, 0) / valid.length : null;
}

/** A station's statistics for the real-time AQI of the hour starting at `hourMs`. */
export function stationHourlyStats(hours: Map<Pollutant, Map<number, number>> | undefined, hourMs: number): HourlyStats {
  const at = (p: Pollutant): number | null => hours?.get(p)?.get(hourMs) ?? null;
  const last = (p: Pollutant, count: number): (number | null)[] => run(hours?.get(p), hourMs - (count - 1) * HOUR, count);
  const s: HourlyStats = {};
  const set = <K extends keyof HourlyStats>(k: K, v: number | null): void => {
    if (v !== null) s[k] = v;
  };
  set('so2_1h', at('so2'));
  set('no2_1h', at('no2'));
  set('co_1h', at('co'));
  set('o3_1h', at('o3'));
  set('pm10_1h', at('pm10'));
  set('pm25_1h', at('pm25'));
  set('o3_8h', movingMean8h(last('o3', 8), 7));
  set('pm10_24h', mean24(last('pm10', 24)));
  set('pm25_24h', mean24(last('pm25', 24)));
  set('so2_24h', mean24(last('so2', 24)));
  return s;
}

/** District statistics: each one the mean over the stations that have it (never a mean of AQIs). */
export function districtStats<T extends object>(stations: readonly T[]): { stats: T; validStations: number } {
  const keys = new Set(stations.flatMap((s) => Object.keys(s)));
  const stats = {} as Record<string, number>;
  for (const k of keys) {
    const m = meanOverStations(stations.map((s) => (s as Record<string, number | undefined>)[k]));
    if (m !== null) stats[k] = m;
  }
  return { stats: stats as T, validStations: stations.filter((s) => Object.keys(s).length > 0).length };
}
