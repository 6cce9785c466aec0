import { aqiVersionFor, category, iaqi, type AqiVersion, type Category, type Column } from './aqi.js';

export const POLLUTANTS = ['so2', 'no2', 'co', 'pm10', 'pm25', 'o3'] as const;
export type Pollutant = (typeof POLLUTANTS)[number];

/** A day's statistics of one station (or of the district): 24 h means and the O3 maxima. */
export interface DailyStats {
  so2?: number;
  no2?: number;
  co?: number;
  pm10?: number;
  pm25?: number;
  /** O3 daily maximum 8-hour moving average. */
  o3_8h_max?: number;
  /** O3 daily maximum 1-hour value (used by HJ 633-2012 only). */
  o3_1h_max?: number;
}

/** What the real-time (hourly) AQI needs. */
export interface HourlyStats {
  so2_1h?: number;
  no2_1h?: number;
  co_1h?: number;
  o3_1h?: number;
  pm10_1h?: number;
  pm25_1h?: number;
  /** HJ 633-2012: the O3 8-hour and the PM and SO2 24-hour moving averages. */
  o3_8h?: number;
  pm10_24h?: number;
  pm25_24h?: number;
  so2_24h?: number;
}

export interface AqiResult {
  version: AqiVersion;
  /** null when not published (no data, or HJ 633-2026 with a pollutant missing and AQI ≤ 100). */
  aqi: number | null;
  category: Category | null;
  /** The pollutant(s) with the largest IAQI when AQI > 50 (all of them on a tie). */
  primary: Pollutant[];
  /** IAQI per item: so2, no2, co, pm10, pm25, o3 (o3_1h and o3_8h where both count). */
  iaqi: Record<string, number>;
  missing: Pollutant[];
}

interface Item {
  key: string;
  pollutant: Pollutant;
  column: Column;
  value: number | undefined;
  /** When the column gives no IAQI above its range (2012), use this item's instead. */
  fallback?: () => number | null;
}

function combine(version: AqiVersion, items: Item[]): AqiResult {
  const values: Record<string, number> = {};
  const present = new Set<Pollutant>();
  for (const it of items) {
    if (it.value === undefined || !Number.isFinite(it.value)) continue;
    present.add(it.pollutant);
    let v = iaqi(it.column, it.value, version);
    if (v === null) v = it.fallback?.() ?? null;
    if (v !== null) values[it.key] = v;
  }
  const missing = POLLUTANTS.filter((p) => !present.has(p));
  const all = Object.values(values);
  if (all.length === 0) return { version, aqi: null, category: null, primary: [], iaqi: values, missing };
  let aqi = Math.max(...all);
  if (version === '2026') aqi = Math.max(1, aqi); // HJ 633-2026: AQI ranges 1–500
  const published = !(version === '2026' && missing.length > 0 && aqi <= 100);
  const primary =
    aqi > 50
      ? [...new Set(Object.entries(values).filter(([, v]) => v === aqi).map(([k]) => items.find((i) => i.key === k)!.pollutant))]
      : [];
  return published
    ? { version, aqi, category: category(aqi), primary, iaqi: values, missing }
    : { version, aqi: null, category: null, primary: [], iaqi: values, missing };
}

/** Daily AQI (HJ 633): 24 h means, the O3 daily maximum 8 h mean, and in 2012 the O3 1 h maximum. */
export function dailyAqi(s: DailyStats, version: AqiVersion): AqiResult {
  const items: Item[] = [
    { key: 'so2', pollutant: 'so2', column: 'so2_24h', value: s.so2 },
    { key: 'no2', pollutant: 'no2', column: 'no2_24h', value: s.no2 },
    { key: 'co', pollutant: 'co', column: 'co_24h', value: s.co },
    { key: 'pm10', pollutant: 'pm10', column: 'pm10_24h', value: s.pm10 },
    { key: 'pm25', pollutant: 'pm25', column: 'pm25_24h', value: s.pm25 },
  ];
  if (version === '2026') {
    items.push({ key: 'o3', pollutant: 'o3', column: 'o3_8h', value: s.o3_8h_max });
  } else {
    // Above 800 µg/m³ the 8 h column ends: the O3 1 h IAQI (already counted) stands for it.
    items.push({ key: 'o3_8h', pollutant: 'o3', column: 'o3_8h', value: s.o3_8h_max });
    items.push({ key: 'o3_1h', pollutant: 'o3', column: 'o3_1h', value: s.o3_1h_max });
  }
  return combine(version, items);
}

/** Real-time (hourly) AQI (HJ 633; docs/standards.md §1.2). */
export function hourlyAqi(s: HourlyStats, version: AqiVersion): AqiResult {
  if (version === '2026') {
    return combine(version, [
      { key: 'so2', pollutant: 'so2', column: 'so2_1h', value: s.so2_1h },
      { key: 'no2', pollutant: 'no2', column: 'no2_1h', value: s.no2_1h },
      { key: 'co', pollutant: 'co', column: 'co_1h', value: s.co_1h },
      { key: 'o3', pollutant: 'o3', column: 'o3_1h', value: s.o3_1h },
      // PM 1-hour means are looked up in the 24-hour columns.
      { key: 'pm10', pollutant: 'pm10', column: 'pm10_24h', value: s.pm10_1h },
      { key: 'pm25', pollutant: 'pm25', column: 'pm25_24h', value: s.pm25_1h },
    ]);
  }
  return combine(version, [
    {
      key: 'so2',
      pollutant: 'so2',
      column: 'so2_1h',
      value: s.so2_1h,
      fallback: () => (s.so2_24h === undefined ? null : iaqi('so2_24h', s.so2_24h, version)),
    },
    { key: 'no2', pollutant: 'no2', column: 'no2_1h', value: s.no2_1h },
    { key: 'co', pollutant: 'co', column: 'co_1h', value: s.co_1h },
    { key: 'o3_1h', pollutant: 'o3', column: 'o3_1h', value: s.o3_1h },
    { key: 'o3_8h', pollutant: 'o3', column: 'o3_8h', value: s.o3_8h },
    { key: 'pm10', pollutant: 'pm10', column: 'pm10_24h', value: s.pm10_24h },
    { key: 'pm25', pollutant: 'pm25', column: 'pm25_24h', value: s.pm25_24h },
  ]);
}

/** The daily AQI of a district date (YYYY-MM-DD), with the version in force on that date. */
export function dailyAqiOn(date: string, s: DailyStats): AqiResult {
  return dailyAqi(s, aqiVersionFor(Date.parse(`${date}T00:00:00+08:00`)));
}
