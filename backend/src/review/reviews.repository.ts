import type { ReviewMark, ReviewReason } from '@tidewatch/contracts';
import type pg from 'pg';
import { isoUtc as ISO } from '../common/sql.js';

/** A mark with the site's names, for the report's data-review section. */
export interface NamedReviewMark extends ReviewMark {
  name_zh: string;
  name_en: string;
}

export interface NewReviewMark {
  siteKey: number;
  metricId: number | null;
  fromMs: number;
  toMs: number;
  reason: ReviewReason;
  note: string | null;
  by: string;
}

/** The most marks one list answers. */
export const REVIEW_LIST_MAX = 2000;

/** Columns of a mark `m` joined to its site `s` and metric `mt`. */
const COLUMNS = `m.id, s.id AS site, s.name_zh, s.name_en, mt.name AS metric, ${ISO('m.from_ts')} AS "from", ${ISO('m.to_ts')} AS "to",
  m.reason, m.note, m.created_by, ${ISO('m.created_at')} AS created_at, m.withdrawn_by, ${ISO('m.withdrawn_at')} AS withdrawn_at, m.withdrawn_reason`;
const JOINS = 'JOIN site s ON s.key = m.site_key LEFT JOIN metric mt ON mt.id = m.metric_id';

/** Data-review marks (table review_mark): inserted and withdrawn, never deleted. */
export class ReviewsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async insert(n: NewReviewMark): Promise<NamedReviewMark> {
    const { rows } = await this.pool.query<NamedReviewMark>(
      `WITH m AS (
         INSERT INTO review_mark (site_key, metric_id, from_ts, to_ts, reason, note, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *
       ) SELECT ${COLUMNS} FROM m ${JOINS}`,
      [n.siteKey, n.metricId, new Date(n.fromMs), new Date(n.toMs), n.reason, n.note, n.by],
    );
    return rows[0]!;
  }

  /** Withdraws an active mark; null when there is no active mark `id`. */
  async withdraw(id: number, by: string, reason: string): Promise<NamedReviewMark | null> {
    const { rows } = await this.pool.query<NamedReviewMark>(
      `WITH m AS (
         UPDATE review_mark SET withdrawn_by = $2, withdrawn_at = now(), withdrawn_reason = $3 WHERE id = $1 AND withdrawn_at IS NULL RETURNING *
       ) SELECT ${COLUMNS} FROM m ${JOINS}`,
      [id, by, reason],
    );
    return rows[0] ?? null;
  }

  async find(id: number): Promise<NamedReviewMark | null> {
    const { rows } = await this.pool.query<NamedReviewMark>(`SELECT ${COLUMNS} FROM review_mark m ${JOINS} WHERE m.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Marks (active and withdrawn) overlapping [fromMs, toMs), of one site or (null) all, oldest period first. */
  async overlapping(siteKey: number | null, fromMs: number, toMs: number): Promise<NamedReviewMark[]> {
    const period = 'm.to_ts > $1 AND m.from_ts < $2';
    const order = `ORDER BY m.from_ts, m.id LIMIT ${REVIEW_LIST_MAX}`;
    const { rows } = await this.pool.query<NamedReviewMark>(
      siteKey === null
        ? { name: 'tidewatch-review-marks', text: `SELECT ${COLUMNS} FROM review_mark m ${JOINS} WHERE ${period} ${order}`, values: [new Date(fromMs), new Date(toMs)] }
        : { name: 'tidewatch-review-site-marks', text: `SELECT ${COLUMNS} FROM review_mark m ${JOINS} WHERE m.site_key = $3 AND ${period} ${order}`, values: [new Date(fromMs), new Date(toMs), siteKey] },
    );
    return rows;
  }

}
