/** Archived monthly reports and their versions, as the API answers them (docs/contract.md §8). */

/** Why data of an archived month arrived after it: the stale reasons. */
export const LATE_REASONS = ['readings', 'events', 'alerts', 'review'] as const;
export type LateReason = (typeof LATE_REASONS)[number];
/** Why a version was published: the first archive a day after the month, the stale rule, an admin. */
export type VersionWhy = 'scheduled' | 'rule' | 'admin';

/**
 * The archive state every report answer carries: which version, and whether it misses data
 * that arrived after it was gathered (late readings or events, late alerts, a data review) or
 * is superseded by a newer version. For a month not archived, only `archived_at: null`.
 */
export interface ArchiveState {
  /** When this version was generated, or null for figures computed now. */
  archived_at: string | null;
  reviewed_at: string | null;
  stale: boolean;
  version?: number;
  newest_version?: number;
  superseded?: boolean;
  why?: VersionWhy;
  stale_since?: string | null;
  stale_reasons?: LateReason[];
  late_data_at?: string | null;
  /** When the rule regenerates the stale month (no data for it for REPORT_REGENERATE_QUIET_S). */
  regenerate_after?: string | null;
}

/** What a version's figures were computed from: enough to tell cheaply that newer data exist. */
export interface ArchiveSaw {
  /** The database's time when the figures were gathered (ISO). */
  gathered_at: string;
  /** Readings received from the counted air and water stations (the completeness table's sum). */
  readings: number;
  /** Alerts opened in the month. */
  alerts: number;
  /** Fishing-port inspections, rectifications, departures and pump-station faults and overflow risks of the month. */
  events: number;
  /** Data-review marks overlapping the month, and when the newest was created or withdrawn (ISO). */
  review_marks: number;
  reviewed_at: string | null;
}

/** One published version in `GET /api/reports`. */
export interface ReportVersionInfo {
  version: number;
  generated_at: string;
  generated_by: string | null;
  why: VersionWhy;
  gathered_at: string;
  saw: ArchiveSaw | null;
}

export type FigureValue = number | boolean | null;
/** A headline figure that differs between two versions, old → new. */
export interface FigureChange {
  key: string;
  zh: string;
  en: string;
  from: FigureValue;
  to: FigureValue;
}

/** `GET /api/reports/monthly/{month}/diff`. */
export interface VersionDiff {
  month: string;
  from: { version: number; generated_at: string };
  to: { version: number; generated_at: string };
  changes: FigureChange[];
}
