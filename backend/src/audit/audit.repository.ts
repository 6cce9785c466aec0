import type pg from 'pg';
import type { AuditOutcome, AuditRecord } from '@tidewatch/contracts';
import { isoUtc } from '../common/sql.js';

export type { AuditOutcome, AuditRecord };

export interface AuditEntry {
  actor: string | null;
  actorId: number | null;
  ip: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  detail: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  outcome?: AuditOutcome;
  from?: Date;
  to?: Date;
  /** Entries older than this id (the previous page's last id). */
  before?: number;
  limit: number;
}

/** The append-only audit log (the database refuses updates and deletes of it). */
export class AuditRepository {
  constructor(private readonly pool: pg.Pool) {}

  async append(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.pool.query({
      name: 'audit-append',
      text: `INSERT INTO audit_log (actor, actor_id, ip, action, target, outcome, detail)
             SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
      values: [
        entries.map((e) => e.actor),
        entries.map((e) => e.actorId),
        entries.map((e) => e.ip),
        entries.map((e) => e.action),
        entries.map((e) => e.target),
        entries.map((e) => e.outcome),
        entries.map((e) => JSON.stringify(e.detail)),
      ],
    });
  }

  /** Newest first; every filter optional. Action filters match a prefix (`user.` finds every user change). */
  async list(q: AuditQuery): Promise<AuditRecord[]> {
    const { rows } = await this.pool.query<AuditRecord>({
      name: 'audit-list',
      text: `SELECT id::int AS id, ${isoUtc('at')} AS at, actor, ip, action, target, outcome, detail
             FROM audit_log
             WHERE ($1::text IS NULL OR lower(actor) = lower($1))
               AND ($2::text IS NULL OR action LIKE replace(replace($2, '%', ''), '_', '\\_') || '%')
               AND ($3::text IS NULL OR outcome = $3)
               AND ($4::timestamptz IS NULL OR at >= $4)
               AND ($5::timestamptz IS NULL OR at < $5)
               AND ($6::bigint IS NULL OR id < $6)
             ORDER BY id DESC LIMIT $7`,
      values: [q.actor ?? null, q.action ?? null, q.outcome ?? null, q.from ?? null, q.to ?? null, q.before ?? null, q.limit],
    });
    return rows;
  }
}
