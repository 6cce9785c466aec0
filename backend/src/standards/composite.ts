/**
 * Composite air quality index (HJ 663 and the national city ranking rules, docs/standards.md §3):
 * I_sum = Σ w_i · C_i / S_i over SO2, NO2, PM10, PM2.5 (period means), CO (95th percentile of
 * daily means) and O3 (90th percentile of daily maximum 8-hour means). Larger is worse.
 */
import type { AqiVersion } from './aqi.js';

export interface CompositeDay {
  so2?: number | null;
  no2?: number | null;
  pm10?: number | null;
  pm25?: number | null;
  co?: number | null;
  o3_8h_max?: number | null;
}

export type CompositeKey = 'so2' | 'no2' | 'pm10' | 'pm25' | 'co' | 'o3';

/** Grade II limits the ratios divide by: GB 3095-2012, and GB 3095-2026 transitional (to 2030-12-31). */
export const COMPOSITE_LIMITS: Record<AqiVersion, Record<CompositeKey, number>> = {
  '2012': { so2: 60, no2: 40, pm10: 70, pm25: 35, co: 4, o3: 160 },
  '2026': { so2: 60, no2: 40, pm10: 60, pm25: 30, co: 4, o3: 160 },
};

/** Weights default to 1 (a weighted 2026 revision, PM2.5 ×3, NO2 ×2, O3 ×2, is not confirmed). */
export const EQUAL_WEIGHTS: Record<CompositeKey, number> = { so2: 1, no2: 1, pm10: 1, pm25: 1, co: 1, o3: 1 };

/** Percentile as the ranking rules define it: k = 1 + (n − 1)·p on the ascending values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const x = [...values].sort((a, b) => a - b);
  const k = 1 + (x.length - 1) * p;
  const s = Math.floor(k);
  const lo = x[s - 1]!;
  const hi = x[Math.min(s, x.length - 1)]!;
  return lo + (hi - lo) * (k - s);
}

export interface CompositeResult {
  index: number | null;
  /** The concentrations used: means, CO p95, O3 p90. */
  concentrations: Partial<Record<CompositeKey, number>>;
  ratios: Partial<Record<CompositeKey, number>>;
  limits: Record<CompositeKey, number>;
  weights: Record<CompositeKey, number>;
  method: string;
}

const present = (xs: (number | null | undefined)[]): number[] => xs.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** The composite index of a period from its valid days' statistics. */
export function compositeIndex(days: readonly CompositeDay[], limitsOf: AqiVersion, weights: Record<CompositeKey, number> = EQUAL_WEIGHTS): CompositeResult {
  const limits = COMPOSITE_LIMITS[limitsOf];
  const concentrations: Partial<Record<CompositeKey, number>> = {};
  const set = (k: CompositeKey, v: number | null): void => {
    if (v !== null) concentrations[k] = v;
  };
  set('so2', mean(present(days.map((d) => d.so2))));
  set('no2', mean(present(days.map((d) => d.no2))));
  set('pm10', mean(present(days.map((d) => d.pm10))));
  set('pm25', mean(present(days.map((d) => d.pm25))));
  set('co', percentile(present(days.map((d) => d.co)), 0.95));
  set('o3', percentile(present(days.map((d) => d.o3_8h_max)), 0.9));
  const ratios: Partial<Record<CompositeKey, number>> = {};
  let index = 0;
  const keys = Object.keys(limits) as CompositeKey[];
  for (const k of keys) {
    const c = concentrations[k];
    if (c === undefined) continue;
    ratios[k] = c / limits[k];
    index += weights[k] * ratios[k];
  }
  const complete = keys.every((k) => concentrations[k] !== undefined);
  const weighted = keys.some((k) => weights[k] !== 1);
  return {
    index: complete ? index : null,
    concentrations,
    ratios,
    limits,
    weights,
    method: `HJ 663 composite index, GB 3095-${limitsOf}${limitsOf === '2026' ? ' transitional' : ''} grade II limits, ${weighted ? 'weighted' : 'equal weights'}`,
  };
}

/** Good-days ratio (优良天数比例): days with AQI ≤ 100 over valid days; null with no valid day. */
export function goodDaysRatio(dailyAqis: readonly (number | null)[]): { validDays: number; goodDays: number; ratio: number | null } {
  const valid = dailyAqis.filter((a): a is number => a !== null);
  const good = valid.filter((a) => a <= 100).length;
  return { validDays: valid.length, goodDays: good, ratio: valid.length ? good / valid.length : null };
}
