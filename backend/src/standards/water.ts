/**
 * Water quality classes and effluent compliance (docs/standards.md §4–6): GB 3097-1997 near-shore
 * sea water, GB 3838-2002 surface water (rivers), GB 18918-2002 class 1A effluent.
 */

export interface WaterClass {
  /** 1 … 4 for sea water (I–IV), 1 … 5 for rivers (I–V); one more = worse than the last class. */
  grade: number;
  roman: string;
  zh: string;
  en: string;
  /** The indicators that set the class (the worst ones). */
  limiting: string[];
}

const ROMAN = ['I', 'II', 'III', 'IV', 'V'];
const ZH_ROMAN = ['Ⅰ', 'Ⅱ', 'Ⅲ', 'Ⅳ', 'Ⅴ'];

type Rule = { key: string; gradeOf: (v: number) => number };

/** Grade by "≤ limit" thresholds per class; beyond the last: one more. */
const atMost = (limits: number[]) => (v: number): number => {
  const i = limits.findIndex((l) => v <= l);
  return i === -1 ? limits.length + 1 : i + 1;
};
/** Grade by "> limit" (sea DO) thresholds per class. */
const above = (limits: number[]) => (v: number): number => {
  const i = limits.findIndex((l) => v > l);
  return i === -1 ? limits.length + 1 : i + 1;
};
/** Grade by "≥ limit" (river DO) thresholds per class. */
const atLeast = (limits: number[]) => (v: number): number => {
  const i = limits.findIndex((l) => v >= l);
  return i === -1 ? limits.length + 1 : i + 1;
};

function classify(values: Record<string, number | null | undefined>, rules: Rule[], classes: number, kind: 'sea' | 'river'): WaterClass | null {
  let grade = 0;
  let limiting: string[] = [];
  for (const r of rules) {
    const v = values[r.key];
    if (v === null || v === undefined || !Number.isFinite(v)) continue;
    const g = r.gradeOf(v);
    if (g > grade) {
      grade = g;
      limiting = [r.key];
    } else if (g === grade) limiting.push(r.key);
  }
  if (grade === 0) return null;
  if (grade > classes) {
    return kind === 'sea'
      ? { grade, roman: 'worse than IV', zh: '劣四类', en: 'Worse than class IV', limiting }
      : { grade, roman: 'worse than V', zh: '劣Ⅴ类', en: 'Worse than class V', limiting };
  }
  return kind === 'sea'
    ? { grade, roman: ROMAN[grade - 1]!, zh: `第${['一', '二', '三', '四'][grade - 1]}类`, en: `Class ${ROMAN[grade - 1]}`, limiting }
    : { grade, roman: ROMAN[grade - 1]!, zh: `${ZH_ROMAN[grade - 1]}类`, en: `Class ${ROMAN[grade - 1]}`, limiting };
}

const SEA_RULES: Rule[] = [
  { key: 'ph', gradeOf: (v) => (v >= 7.8 && v <= 8.5 ? 1 : v >= 6.8 && v <= 8.8 ? 3 : 5) },
  { key: 'do_mgl', gradeOf: above([6, 5, 4, 3]) },
  { key: 'cod_mgl', gradeOf: atMost([2, 3, 4, 5]) },
  { key: 'din_mgl', gradeOf: atMost([0.2, 0.3, 0.4, 0.5]) },
  { key: 'dip_mgl', gradeOf: atMost([0.015, 0.03, 0.03, 0.045]) },
  { key: 'oil_mgl', gradeOf: atMost([0.05, 0.05, 0.3, 0.5]) },
];

/** The indicators a sea-water class is judged on. */
export const SEA_CLASS_INDICATORS: readonly string[] = SEA_RULES.map((r) => r.key);

/** GB 3097-1997 class of a set of sea-water values: its worst single indicator. */
export function seawaterClass(values: Record<string, number | null | undefined>): WaterClass | null {
  return classify(values, SEA_RULES, 4, 'sea');
}

/** Good quality (优良): class I or II. */
export function isGoodSeawater(c: WaterClass | null): boolean {
  return c !== null && c.grade <= 2;
}

const RIVER_RULES: Rule[] = [
  { key: 'do_mgl', gradeOf: atLeast([7.5, 6, 5, 3, 2]) },
  { key: 'codmn_mgl', gradeOf: atMost([2, 4, 6, 10, 15]) },
  { key: 'cod_mgl', gradeOf: atMost([15, 15, 20, 30, 40]) },
  { key: 'nh3n_mgl', gradeOf: atMost([0.15, 0.5, 1.0, 1.5, 2.0]) },
  { key: 'tp_mgl', gradeOf: atMost([0.02, 0.1, 0.2, 0.3, 0.4]) },
  { key: 'ph', gradeOf: (v) => (v >= 6 && v <= 9 ? 1 : 6) },
];

/** The indicators a river class is judged on. */
export const RIVER_CLASS_INDICATORS: readonly string[] = RIVER_RULES.map((r) => r.key);

/** GB 3838-2002 class of a river section: its worst single indicator. */
export function riverClass(values: Record<string, number | null | undefined>): WaterClass | null {
  return classify(values, RIVER_RULES, 5, 'river');
}

/** The grade a target such as "III" names (sea: I–IV; river: I–V). */
export function gradeOfRoman(roman: string): number | null {
  const i = ROMAN.indexOf(roman.toUpperCase());
  return i === -1 ? null : i + 1;
}

/** What the plant's online monitors measure for class 1A (no BOD5), with the water temperature its NH3-N limit depends on. */
export const EFFLUENT_METRICS: readonly string[] = ['cod_mgl', 'nh3n_mgl', 'tn_mgl', 'tp_mgl', 'ss_mgl', 'ph', 'water_temp_c'];

export interface EffluentCheck {
  compliant: boolean;
  exceedances: { param: string; value: number; limit: string }[];
  /** Parameters that had no value (not judged). */
  missing: string[];
}

export interface EffluentDay {
  cod_mgl?: number | null;
  nh3n_mgl?: number | null;
  tn_mgl?: number | null;
  tp_mgl?: number | null;
  ss_mgl?: number | null;
  ph?: number | null;
  bod5_mgl?: number | null;
  water_temp_c?: number | null;
}

/**
 * GB 18918-2002 class 1A on daily means: COD 50, BOD5 10, SS 10, TN 15, NH3-N 5 (8 when the
 * water is at or below 12 °C), TP 0.5 for plants built from 2006 (1 before), pH 6–9.
 */
export function effluentCompliance(d: EffluentDay, builtFrom2006 = true): EffluentCheck {
  const cold = typeof d.water_temp_c === 'number' && d.water_temp_c <= 12;
  const limits: { param: keyof EffluentDay; max?: number; range?: [number, number] }[] = [
    { param: 'cod_mgl', max: 50 },
    { param: 'bod5_mgl', max: 10 },
    { param: 'ss_mgl', max: 10 },
    { param: 'tn_mgl', max: 15 },
    { param: 'nh3n_mgl', max: cold ? 8 : 5 },
    { param: 'tp_mgl', max: builtFrom2006 ? 0.5 : 1 },
    { param: 'ph', range: [6, 9] },
  ];
  const exceedances: EffluentCheck['exceedances'] = [];
  const missing: string[] = [];
  for (const l of limits) {
    const v = d[l.param];
    if (v === null || v === undefined || !Number.isFinite(v)) {
      if (l.param !== 'bod5_mgl') missing.push(l.param); // no online BOD5 monitor: not judged
      continue;
    }
    if (l.max !== undefined && v > l.max) exceedances.push({ param: l.param, value: v, limit: `≤ ${l.max}` });
    if (l.range && (v < l.range[0] || v > l.range[1])) exceedances.push({ param: l.param, value: v, limit: `${l.range[0]}–${l.range[1]}` });
  }
  return { compliant: exceedances.length === 0 && missing.length === 0, exceedances, missing };
}
