import type pg from 'pg';

export interface FlaggedValue {
  metricId: number;
  value: number;
  /** The HJ 212 data flag (one letter, not N). */
  flag: string;
}

/** Values a monitor flagged other than N (calibration, maintenance…), kept apart from readings. */
export class FlaggedReadingsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Stores one packet's flagged values; a value already stored is skipped. */
  async insert(siteKey: number, timeMs: number, values: FlaggedValue[]): Promise<void> {
    if (values.length === 0) return;
    await this.pool.query(
      `INSERT INTO reading_flagged (site_key, metric_id, time, value, flag)
       SELECT $1, metric_id, $2, value, flag FROM unnest($3::smallint[], $4::float8[], $5::text[]) AS t(metric_id, value, flag)
       ON CONFLICT DO NOTHING`,
      [siteKey, new Date(timeMs), values.map((v) => v.metricId), values.map((v) => v.value), values.map((v) => v.flag)],
    );
  }
}
