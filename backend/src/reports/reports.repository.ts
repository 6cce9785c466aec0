import type pg from 'pg';
import type { ArchiveSaw, LateData, LateReason, VersionWhy } from './archive.js';
import type { MonthlyReport } from './monthly-report.js';

export interface ArchivedReport {
  figures: MonthlyReport;
  generated_at?: Date;
  version?: number;
  why?: VersionWhy;
}

/** One published version, without its figures. */
export interface VersionRow {
  version: number;
  generated_at: Date;
  generated_by: string | null;
  why: VersionWhy;
  gathered_at: Date;
  saw: ArchiveSaw | null;
}

/** What makes an archived month's newest version stale: late data recorded since, reviews and late alerts. */
export interface LateFacts {
  month: string;
  version: number;
  generatedAtMs: number;
  why: VersionWhy;
  gatheredAtMs: number;
  late: LateData[];
  reviewedMs: number | null;
}

/** The month's [start, end) in the district's zone, from `month` (YYYY-MM) in SQL. */
const START = `((r.month || '-01')::timestamp AT TIME ZONE $1)`;
const END = `(((r.month || '-01')::date + interval '1 month')::timestamp AT TIME ZONE $1)`;
const MS = (e: string): string => `(extract(epoch FROM ${e}) * 1000)::float8`;

/**
 * Per archived month: its newest version, the late readings and events recorded for it, the
 * alerts of the month opened after its figures were gathered (as their trail says: first and
 * last), and when a data-review mark touching it was last created or withdrawn. Each part is
 * an index range over one month.
 */
const LATE_FACTS_SQL = `
SELECT r.month, r.version, r.why, ${MS('r.generated_at')} AS generated_ms, ${MS('r.gathered_at')} AS gathered_ms,
  coalesce((SELECT json_agg(json_build_array(l.reason, ${MS('l.first_at')}, ${MS('l.last_at')})) FROM report_late_data l WHERE l.month = r.month), '[]'::json) AS late,
  (SELECT json_build_array(${MS('min(e.at)')}, ${MS('max(e.at)')}) FROM alert a JOIN alert_event e ON e.alert_id = a.id AND e.action = 'opened'
     WHERE a.opened_at >= ${START} AND a.opened_at < ${END} AND e.at > r.gathered_at HAVING count(*) > 0) AS alerts,
  (SELECT ${MS('max(greatest(m.created_at, m.withdrawn_at))')} FROM review_mark m WHERE m.to_ts > ${START} AND m.from_ts < ${END}) AS reviewed_ms
FROM report r`;

interface LateFactsRow {
  month: string;
  version: number;
  why: VersionWhy;
  generated_ms: number;
  gathered_ms: number;
  late: [LateReason, number, number][];
  alerts: [number, number] | null;
  reviewed_ms: number | null;
}

const toFacts = (r: LateFactsRow): LateFacts => ({
  month: r.month,
  version: r.version,
  generatedAtMs: r.generated_ms,
  why: r.why,
  gatheredAtMs: r.gathered_ms,
  late: [...r.late.map(([reason, firstMs, lastMs]) => ({ reason, firstMs, lastMs })), ...(r.alerts ? [{ reason: 'alerts' as const, firstMs: r.alerts[0], lastMs: r.alerts[1] }] : [])],
  reviewedMs: r.reviewed_ms,
});

const VERSION_COLUMNS = 'month, version, figures, generated_at, generated_by, why, gathered_at, saw';

/**
 * The archived monthly reports: `report` holds each month's newest version, `report_version`
 * every version published (the newest included), `report_late_data` the data that arrived
 * for a month after it closed (migration 015).
 */
export class ReportsRepository {
  constructor(
    private readonly pool: pg.Pool,
    private readonly tz: string,
  ) {}

  async find(month: string): Promise<ArchivedReport | null> {
    const { rows } = await this.pool.query<ArchivedReport>('SELECT figures, generated_at, version, why FROM report WHERE month = $1', [month]);
    return rows[0] ?? null;
  }

  async findVersion(month: string, version: number): Promise<ArchivedReport | null> {
    const { rows } = await this.pool.query<ArchivedReport>('SELECT figures, generated_at, version, why FROM report_version WHERE month = $1 AND version = $2', [month, version]);
    return rows[0] ?? null;
  }

  async exists(month: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM report WHERE month = $1', [month]);
    return (rowCount ?? 0) > 0;
  }

  /** The database's clock: figures are stamped with it, as late data is. */
  async nowMs(): Promise<number> {
    const { rows } = await this.pool.query<{ ms: number }>(`SELECT ${MS('now()')} AS ms`);
    return rows[0]!.ms;
  }

  /** Archives a month as version 1 unless it already is (another hub may have won); returns when it was generated, if this call archived it. */
  async insertIfAbsent(month: string, figures: MonthlyReport, saw: ArchiveSaw): Promise<{ generated_at?: Date; version?: number } | null> {
    const { rows } = await this.pool.query<{ generated_at?: Date; version?: number }>(
      `WITH head AS (
         INSERT INTO report (month, figures, why, gathered_at, saw) VALUES ($1, $2, 'scheduled', $3, $4)
         ON CONFLICT (month) DO NOTHING RETURNING ${VERSION_COLUMNS}
       )
       INSERT INTO report_version (${VERSION_COLUMNS}) SELECT ${VERSION_COLUMNS} FROM head RETURNING generated_at, version`,
      [month, figures, new Date(saw.gathered_at), saw],
    );
    return rows[0] ?? null;
  }

  /** Publishes a new version of a month (the first, or one after the newest): no version is ever overwritten. */
  async addVersion(month: string, figures: MonthlyReport, by: string | null, why: VersionWhy, saw: ArchiveSaw): Promise<{ generated_at?: Date; version?: number } | null> {
    const { rows } = await this.pool.query<{ generated_at?: Date; version?: number }>(
      `WITH head AS (
         INSERT INTO report AS r (month, figures, generated_by, why, gathered_at, saw) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (month) DO UPDATE SET figures = EXCLUDED.figures, generated_at = now(), generated_by = EXCLUDED.generated_by,
           why = EXCLUDED.why, gathered_at = EXCLUDED.gathered_at, saw = EXCLUDED.saw, version = r.version + 1
         RETURNING ${VERSION_COLUMNS}
       )
       INSERT INTO report_version (${VERSION_COLUMNS}) SELECT ${VERSION_COLUMNS} FROM head RETURNING generated_at, version`,
      [month, figures, by, why, new Date(saw.gathered_at), saw],
    );
    return rows[0] ?? null;
  }

  /** Every archived month's versions, newest month and version first. */
  async versions(): Promise<Map<string, VersionRow[]>> {
    const { rows } = await this.pool.query<VersionRow & { month: string }>(
      'SELECT month, version, generated_at, generated_by, why, gathered_at, saw FROM report_version ORDER BY month DESC, version DESC',
    );
    const out = new Map<string, VersionRow[]>();
    for (const { month, ...v } of rows) {
      const list = out.get(month) ?? [];
      list.push(v);
      out.set(month, list);
    }
    return out;
  }

  /** What makes each archived month (or one) stale. */
  async lateFacts(month?: string): Promise<LateFacts[]> {
    const { rows } = month
      ? await this.pool.query<LateFactsRow>(`${LATE_FACTS_SQL} WHERE r.month = $2`, [this.tz, month])
      : await this.pool.query<LateFactsRow>(`${LATE_FACTS_SQL} ORDER BY r.month`, [this.tz]);
    return rows.map(toFacts);
  }

  /**
   * Records that data of these months arrived now: one statement for all of them (keys in
   * order, so hubs writing at once cannot deadlock). `first_at` restarts once the month has
   * been archived again since the previous arrival.
   */
  async noteLate(marks: readonly { month: string; reason: LateReason; atMs?: number }[]): Promise<void> {
    if (marks.length === 0) return;
    const sorted = [...marks].sort((a, b) => (a.month === b.month ? a.reason.localeCompare(b.reason) : a.month.localeCompare(b.month)));
    // Each mark is dated when its data were stored (else now): a report gathered between the
    // storing and this write already holds the data and is not stale.
    await this.pool.query(
      `INSERT INTO report_late_data AS l (month, reason, first_at, last_at)
       SELECT m.month, m.reason, coalesce(m.at, now()), coalesce(m.at, now()) FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS m (month, reason, at)
       ON CONFLICT (month, reason) DO UPDATE SET
         first_at = CASE WHEN l.last_at <= coalesce((SELECT r.gathered_at FROM report r WHERE r.month = l.month), '-infinity') THEN excluded.first_at ELSE l.first_at END,
         last_at = greatest(l.last_at, excluded.last_at)`,
      [sorted.map((m) => m.month), sorted.map((m) => m.reason), sorted.map((m) => (m.atMs === undefined ? null : new Date(m.atMs)))],
    );
  }

  /** When data of [fromMs, toMs) were last reviewed (a data-review mark overlapping it created or withdrawn), or null. */
  async lastReviewedMs(fromMs: number, toMs: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ at: Date | null }>(
      'SELECT max(greatest(created_at, withdrawn_at)) AS at FROM review_mark WHERE to_ts > $1 AND from_ts < $2',
      [new Date(fromMs), new Date(toMs)],
    );
    return rows[0]?.at ? rows[0].at.getTime() : null;
  }
}
