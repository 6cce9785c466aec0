/**
 * Gas safety levels (docs/standards.md §7). Detector alarm levels follow GB/T 50493-2019 (first
 * level at most 25 %LEL, second at most 50 %LEL); the defaults here, 20 and 50 %LEL, are
 * settings. The household CO levels are settings, not from a standard read here.
 */
export interface GasLevels {
  lelMajorPct: number;
  lelCriticalPct: number;
  coWarningPpm: number;
  coCriticalPpm: number;
}

export const DEFAULT_GAS_LEVELS: GasLevels = { lelMajorPct: 20, lelCriticalPct: 50, coWarningPpm: 50, coCriticalPpm: 150 };

export type GasAlarm = 'none' | 'major' | 'critical';

/** Methane's lower explosive limit, % by volume. */
export const METHANE_LEL_VOL_PCT = 5;

export function lelAlarm(lelPct: number, levels: GasLevels = DEFAULT_GAS_LEVELS): GasAlarm {
  if (lelPct >= levels.lelCriticalPct) return 'critical';
  if (lelPct >= levels.lelMajorPct) return 'major';
  return 'none';
}

export function householdCoAlarm(ppm: number, levels: GasLevels = DEFAULT_GAS_LEVELS): 'none' | 'warning' | 'critical' {
  if (ppm >= levels.coCriticalPpm) return 'critical';
  if (ppm >= levels.coWarningPpm) return 'warning';
  return 'none';
}

/** %LEL of methane from its volume concentration (% vol). */
export function methaneLelPct(volPct: number): number {
  return (volPct / METHANE_LEL_VOL_PCT) * 100;
}

/** GB 50028-2006 pressure classes, MPa (lower bound inclusive). */
export const PRESSURE_CLASSES = [
  { name: 'low', zh: '低压', fromMPa: 0, toMPa: 0.01 },
  { name: 'medium-B', zh: '中压B', fromMPa: 0.01, toMPa: 0.2 },
  { name: 'medium-A', zh: '中压A', fromMPa: 0.2, toMPa: 0.4 },
  { name: 'sub-high-B', zh: '次高压B', fromMPa: 0.4, toMPa: 0.8 },
  { name: 'sub-high-A', zh: '次高压A', fromMPa: 0.8, toMPa: 1.6 },
  { name: 'high-B', zh: '高压B', fromMPa: 1.6, toMPa: 2.5 },
  { name: 'high-A', zh: '高压A', fromMPa: 2.5, toMPa: 4.0 },
] as const;

export function pressureClass(kPa: number): (typeof PRESSURE_CLASSES)[number] | null {
  const mpa = kPa / 1000;
  return PRESSURE_CLASSES.find((c) => mpa >= c.fromMPa && mpa < c.toMPa) ?? null;
}

/** Whether a pressure lies outside a site's configured band [lo, hi] kPa. */
export function pressureOutOfBand(kPa: number, band: readonly [number, number]): boolean {
  return kPa < band[0] || kPa > band[1];
}
