import type { NotificationDelivery, NotifyChannel, NotifyOutcome } from '@tidewatch/contracts';
import type pg from 'pg';
import { isoUtc } from '../common/sql.js';
import type { DeliveryRecord } from './channel-sender.js';

export interface NotificationQuery {
  alert?: number;
  channel?: NotifyChannel;
  outcome?: NotifyOutcome;
  limit: number;
}

/** The deliveries table (db/migrations/014_notifications.sql). */
export class NotificationsRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Writes deliveries in one statement, each the newest state of its delivery; a state older
   * than the stored one (fewer attempts, or pending after an outcome) does not overwrite it.
   */
  async upsert(records: readonly DeliveryRecord[]): Promise<void> {
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      id: r.id,
      channel: r.channel,
      target: r.target,
      alert_id: r.alertId,
      event: r.event,
      attempts: r.attempts,
      outcome: r.outcome,
      last_error: r.lastError,
      http_status: r.httpStatus,
      errcode: r.errcode,
      created_at: r.createdAt.toISOString(),
      last_attempt_at: r.lastAttemptAt?.toISOString() ?? null,
      sent_at: r.sentAt?.toISOString() ?? null,
    }));
    await this.pool.query({
      name: 'notification-upsert',
      text: `INSERT INTO notification_delivery AS d (id, channel, target, alert_id, event, attempts, outcome, last_error, http_status, errcode, created_at, last_attempt_at, sent_at)
             SELECT x.id, x.channel, x.target, x.alert_id, x.event, x.attempts, x.outcome, x.last_error, x.http_status, x.errcode, x.created_at, x.last_attempt_at, x.sent_at
             FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, channel text, target text, alert_id bigint, event text, attempts int, outcome text,
                  last_error text, http_status int, errcode int, created_at timestamptz, last_attempt_at timestamptz, sent_at timestamptz)
             ON CONFLICT (id) DO UPDATE SET attempts = excluded.attempts, outcome = excluded.outcome, last_error = excluded.last_error,
               http_status = excluded.http_status, errcode = excluded.errcode, last_attempt_at = excluded.last_attempt_at, sent_at = excluded.sent_at
             WHERE d.outcome = 'pending' AND d.attempts <= excluded.attempts`,
      values: [JSON.stringify(rows)],
    });
  }

  /** Newest first; every filter optional. */
  async list(q: NotificationQuery): Promise<NotificationDelivery[]> {
    const { rows } = await this.pool.query<NotificationDelivery>({
      name: 'notification-list',
      text: `SELECT id::text AS id, channel, target, alert_id::int AS alert_id, event, attempts, outcome, last_error, http_status, errcode,
                    ${isoUtc('created_at')} AS created_at,
                    ${isoUtc('last_attempt_at')} AS last_attempt_at, ${isoUtc('sent_at')} AS sent_at
             FROM notification_delivery
             WHERE ($1::bigint IS NULL OR alert_id = $1) AND ($2::text IS NULL OR channel = $2) AND ($3::text IS NULL OR outcome = $3)
             ORDER BY created_at DESC, id LIMIT $4`,
      values: [q.alert ?? null, q.channel ?? null, q.outcome ?? null, q.limit],
    });
    return rows;
  }
}
