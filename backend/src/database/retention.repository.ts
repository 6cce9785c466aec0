import type pg from 'pg';

/** Deletes what is past its keeping time. */
export class RetentionRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Raw readings and events older than `days`, dead letters and notification deliveries older than 90 days; returns the readings deleted. */
  async sweep(days: number): Promise<number> {
    const r = await this.pool.query(`DELETE FROM reading WHERE time < now() - make_interval(days => $1)`, [days]);
    await this.pool.query(`DELETE FROM event WHERE time < now() - make_interval(days => $1)`, [days]);
    await this.pool.query(`DELETE FROM dead_letter WHERE received_at < now() - interval '90 days'`);
    await this.pool.query(`DELETE FROM notification_delivery WHERE created_at < now() - interval '90 days'`);
    return r.rowCount ?? 0;
  }
}
