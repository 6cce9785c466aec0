import { ceilDiv, compareToInt, roundHalfEven, toFraction } from './exact.js';

/**
 * Air quality index per HJ 633. Two versions are in force by date: HJ 633-2026 for data from
 * 2026-03-01 00:00 Asia/Shanghai, HJ 633-2012 before (docs/standards.md §1).
 */
export type AqiVersion = '2012' | '2026';

/** 2026-03-01T00:00:00+08:00. */
export const HJ633_2026_FROM_MS = Date.UTC(2026, 1, 28, 16, 0, 0);

export function aqiVersionFor(ms: number): AqiVersion {
  return ms >= HJ633_2026_FROM_MS ? '2026' : '2012';
}

export const IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500] as const;

/** Breakpoint columns (µg/m³; CO mg/m³), one concentration per IAQI level; shorter columns end early. */
export type Column = 'so2_24h' | 'so2_1h' | 'no2_24h' | 'no2_1h' | 'pm10_24h' | 'co_24h' | 'co_1h' | 'o3_1h' | 'o3_8h' | 'pm25_24h';

const COMMON: Record<Exclude<Column, 'pm10_24h' | 'pm25_24h'>, readonly number[]> = {
  so2_24h: [0, 50, 150, 475, 800, 1600, 2100, 2620],
  so2_1h: [0, 150, 500, 650, 800],
  no2_24h: [0, 40, 80, 180, 280, 565, 750, 940],
  no2_1h: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  co_24h: [0, 2, 4, 14, 24, 36, 48, 60],
  co_1h: [0, 5, 10, 35, 60, 90, 120, 150],
  o3_1h: [0, 160, 200, 300, 400, 800, 1000, 1200],
  o3_8h: [0, 100, 160, 215, 265, 800],
};

export const BREAKPOINTS: Record<AqiVersion, Record<Column, readonly number[]>> = {
  '2012': { ...COMMON, pm10_24h: [0, 50, 150, 250, 350, 420, 500, 600], pm25_24h: [0, 35, 75, 115, 150, 250, 350, 500] },
  '2026': { ...COMMON, pm10_24h: [0, 50, 120, 250, 350, 420, 500, 600], pm25_24h: [0, 35, 60, 115, 150, 250, 350, 500] },
};

/** Decimal places concentrations are rounded to before the 2026 lookup (GB/T 8170 half to even). */
const ROUNDING_2026: Record<Column, number> = {
  so2_24h: 0, so2_1h: 0, no2_24h: 0, no2_1h: 0, pm10_24h: 0, pm25_24h: 0, o3_1h: 0, o3_8h: 0, co_24h: 1, co_1h: 1,
};

/** The concentration as looked up: rounded first under HJ 633-2026. */
export function lookupConcentration(column: Column, c: number, version: AqiVersion): number {
  return version === '2026' ? roundHalfEven(c, ROUNDING_2026[column]) : c;
}

/**
 * IAQI of one concentration, rounded up, computed exactly (a concentration on a breakpoint
 * gives that breakpoint's IAQI, not one more). Above a column's last breakpoint: the special
 * rules (SO2 1h, O3 8h; `null` when 2012 says to use another column) or 500.
 */
export function iaqi(column: Column, concentration: number, version: AqiVersion): number | null {
  if (!Number.isFinite(concentration) || concentration < 0) throw new RangeError(`bad concentration ${concentration} for ${column}`);
  const c = lookupConcentration(column, concentration, version);
  const bp = BREAKPOINTS[version][column];
  const top = bp[bp.length - 1]!;
  if (compareToInt(c, top) > 0) {
    if (column === 'so2_1h') return version === '2026' ? 200 : null; // 2012: use the SO2 24h IAQI
    if (column === 'o3_8h') return version === '2026' ? 300 : null; // 2012: use the O3 1h IAQI
    return 500;
  }
  // The segment BP_lo < C ≤ BP_hi (C = 0 falls in the first).
  let i = 1;
  while (compareToInt(c, bp[i]!) > 0) i++;
  const lo = BigInt(bp[i - 1]!);
  const hi = BigInt(bp[i]!);
  const ilo = BigInt(IAQI_LEVELS[i - 1]!);
  const ihi = BigInt(IAQI_LEVELS[i]!);
  const f = toFraction(c);
  // IAQI = ilo + (ihi − ilo)(C − lo)/(hi − lo), with C = n/d.
  const num = ilo * (hi - lo) * f.d + (ihi - ilo) * (f.n - lo * f.d);
  const den = (hi - lo) * f.d;
  return Number(ceilDiv(num, den));
}

export interface Category {
  level: 1 | 2 | 3 | 4 | 5 | 6;
  /** 一级 … 六级 */
  level_zh: string;
  zh: string;
  en: string;
  colour: string;
}

const CATEGORIES: readonly (Category & { max: number })[] = [
  { max: 50, level: 1, level_zh: '一级', zh: '优', en: 'Excellent', colour: '#00E400' },
  { max: 100, level: 2, level_zh: '二级', zh: '良', en: 'Good', colour: '#FFFF00' },
  { max: 150, level: 3, level_zh: '三级', zh: '轻度污染', en: 'Lightly polluted', colour: '#FF7E00' },
  { max: 200, level: 4, level_zh: '四级', zh: '中度污染', en: 'Moderately polluted', colour: '#FF0000' },
  { max: 300, level: 5, level_zh: '五级', zh: '重度污染', en: 'Heavily polluted', colour: '#99004C' },
  { max: Infinity, level: 6, level_zh: '六级', zh: '严重污染', en: 'Severely polluted', colour: '#7E0023' },
];

export function category(aqi: number): Category {
  const { max: _max, ...c } = CATEGORIES.find((x) => aqi <= x.max)!;
  return c;
}
