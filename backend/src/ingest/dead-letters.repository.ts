import type pg from 'pg';
import { isoUtc } from '../common/sql.js';

export interface DeadLetter {
  received_at: string;
  topic: string;
  reason: string;
  detail: string | null;
  payload: string;
  payload_bytes: number;
}

/** Reads the dead letters (rejected device messages); the ingest batch writes them. */
export class DeadLettersRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** The newest `limit` dead letters, of one reason or all. */
  async newest(limit: number, reason: string | null): Promise<DeadLetter[]> {
    const { rows } = await this.pool.query<DeadLetter>(
      `SELECT ${isoUtc('received_at')} AS received_at,
              topic, reason, detail, payload, payload_bytes
       FROM dead_letter WHERE ($2::text IS NULL OR reason = $2)
       ORDER BY received_at DESC, id DESC LIMIT $1`,
      [limit, reason],
    );
    return rows;
  }
}
