/**
 * Data flags a value may carry (HJ 212-2017 数据标记, docs/contract.md §2.2). N is a normal
 * value; any other flag keeps the value out of every statistic (stored in `reading_flagged`).
 */
export const DATA_FLAGS = {
  N: { zh: '正常', en: 'normal' },
  F: { zh: '停运', en: 'stopped' },
  M: { zh: '维护', en: 'maintenance' },
  S: { zh: '手工输入', en: 'manual input' },
  D: { zh: '故障', en: 'fault' },
  C: { zh: '校准', en: 'calibration' },
  T: { zh: '超测上限', en: 'over range' },
  B: { zh: '通讯异常', en: 'communication fault' },
} as const;
export type DataFlag = keyof typeof DATA_FLAGS;
/** Every flag other than N: the value is stored and shown, never counted. */
export type AbnormalFlag = Exclude<DataFlag, 'N'>;

export function isDataFlag(value: unknown): value is DataFlag {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DATA_FLAGS, value);
}

/**
 * Checks a reading's `flags` against its `values`: each flagged metric's letter (undefined
 * for N), and a problem per metric named wrongly. `all` is a problem that concerns every value
 * of the reading (flags not an object: which values it meant cannot be told).
 */
export interface ReadFlags {
  byMetric: ReadonlyMap<string, AbnormalFlag>;
  problems: readonly { metric: string; detail: string }[];
  all: string | null;
}

/** What a reading without `flags` (nearly every one) reads as: shared, nothing allocated per reading. */
const NO_FLAGS: ReadFlags = Object.freeze({ byMetric: new Map<string, AbnormalFlag>(), problems: Object.freeze([]), all: null });

export function readFlags(flags: unknown, values: Record<string, unknown>): ReadFlags {
  if (flags === undefined) return NO_FLAGS;
  const byMetric = new Map<string, AbnormalFlag>();
  const problems: { metric: string; detail: string }[] = [];
  if (flags === null || typeof flags !== 'object' || Array.isArray(flags)) {
    return { byMetric, problems, all: `flags must be an object of metric → flag letter, got ${JSON.stringify(flags)?.slice(0, 40) ?? typeof flags}` };
  }
  for (const [metric, flag] of Object.entries(flags as Record<string, unknown>)) {
    if (!Object.prototype.hasOwnProperty.call(values, metric)) problems.push({ metric, detail: `flags.${metric} names no value of the reading` });
    else if (!isDataFlag(flag)) problems.push({ metric, detail: `flags.${metric}=${JSON.stringify(flag)?.slice(0, 20) ?? typeof flag} is not a data flag (${Object.keys(DATA_FLAGS).join(' ')})` });
    else if (flag !== 'N') byMetric.set(metric, flag);
  }
  return { byMetric, problems, all: null };
}
