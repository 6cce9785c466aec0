import { NOMINAL_INTERVAL_S, type SiteKind } from './metrics.js';

/**
 * How often a site reports, and where the hub has that from: `set` by an admin, `learned`
 * from the gaps between its readings, or the kind's `nominal` interval until there is
 * either. Coverage (the 45-minute rule), silence and completeness all use this one figure.
 */
export type IntervalSource = 'set' | 'learned' | 'nominal';
export const INTERVAL_SOURCES: readonly IntervalSource[] = ['set', 'learned', 'nominal'];

export interface ReportingInterval {
  seconds: number;
  source: IntervalSource;
}

/** The longest averaging period a telemetry reading may declare (`period_s`): a day. */
export const MAX_PERIOD_S = 86_400;

export function reportingInterval(kind: SiteKind, setS: number | null | undefined, learnedS: number | null | undefined): ReportingInterval {
  if (typeof setS === 'number' && setS > 0) return { seconds: setS, source: 'set' };
  if (typeof learnedS === 'number' && learnedS > 0) return { seconds: learnedS, source: 'learned' };
  return { seconds: NOMINAL_INTERVAL_S[kind], source: 'nominal' };
}

/** What one metric of a site sent on one district day, against what its interval leads one to expect. */
export interface MetricCompleteness {
  /** Readings its reporting interval gives for the day (for today: for the part of it gone by). */
  expected: number;
  /** Readings stored, flagged ones and those in reviewed hours included. */
  received: number;
  /** Readings that count: in hours covered 45 minutes or more, unflagged, not marked invalid. */
  valid: number;
  valid_hours: number;
}

/** A site's data on one district day: its metrics added up, and the share of valid hours. */
export interface DayCompleteness extends MetricCompleteness {
  date: string;
  /** Valid hours of all its metrics over the hours gone by of all its metrics (0–1). */
  valid_share: number;
  metrics: Record<string, MetricCompleteness>;
}
