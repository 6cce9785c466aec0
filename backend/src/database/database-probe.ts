import type pg from 'pg';

/** The health check's round trip to the database. */
export class DatabaseProbe {
  constructor(private readonly pool: pg.Pool) {}

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }
}
