import type pg from 'pg';
import type { MonthlyReport } from './monthly-report.js';

export interface ArchivedReport {
  figures: MonthlyReport;
  generated_at?: Date;
}

/** The archived monthly reports (table `report`), one per month. */
export class ReportsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async find(month: string): Promise<ArchivedReport | null> {
    const { rows } = await this.pool.query<ArchivedReport>('SELECT figures, generated_at FROM report WHERE month = $1', [month]);
    return rows[0] ?? null;
  }

  async exists(month: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM report WHERE month = $1', [month]);
    return (rowCount ?? 0) > 0;
  }

  /** Archives a month unless it already is (another hub may have won); returns when it was generated, if this call archived it. */
  async insertIfAbsent(month: string, figures: MonthlyReport): Promise<{ generated_at?: Date } | null> {
    const { rows } = await this.pool.query<{ generated_at?: Date }>(
      'INSERT INTO report (month, figures) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING RETURNING generated_at',
      [month, figures],
    );
    return rows[0] ?? null;
  }

  /** Archives a month, replacing what was archived. */
  async upsert(month: string, figures: MonthlyReport, by: string): Promise<{ generated_at?: Date } | null> {
    const { rows } = await this.pool.query<{ generated_at?: Date }>(
      `INSERT INTO report (month, figures, generated_by) VALUES ($1, $2, $3)
       ON CONFLICT (month) DO UPDATE SET figures = EXCLUDED.figures, generated_at = now(), generated_by = EXCLUDED.generated_by
       RETURNING generated_at`,
      [month, figures, by],
    );
    return rows[0] ?? null;
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
