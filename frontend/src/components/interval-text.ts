import type { IntervalSource, ReportingInterval } from '@tidewatch/contracts';

type Translate = (key: string, values?: Record<string, unknown>) => string;

/** Seconds between reports in words: "5 分钟" / "5 min", "1 小时" / "1 h", "45 秒" / "45 s". */
export function durationText(seconds: number, t: Translate): string {
  if (seconds % 3600 === 0) return t('interval.hours', { n: seconds / 3600 });
  if (seconds % 60 === 0) return t('interval.minutes', { n: seconds / 60 });
  return t('interval.seconds', { n: seconds });
}

/** "上报间隔 5 分钟（自动识别）" / "Reporting interval 5 min (learned)". */
export function intervalText(interval: ReportingInterval, t: Translate): string {
  return t('interval.line', { value: durationText(interval.seconds, t), source: sourceText(interval.source, t) });
}

export const sourceText = (source: IntervalSource, t: Translate): string => t(`interval.sources.${source}`);

/** The cadences an admin picks from (seconds); anything else is entered as a custom number. */
export const COMMON_CADENCES_S: readonly number[] = [60, 120, 300, 600, 900, 3600];
