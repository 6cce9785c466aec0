import type { Handover, HandoverAction } from '@tidewatch/contracts';
import type pg from 'pg';
import { isoUtc as ISO } from '../common/sql.js';
import { SELECT, type AlertRecord } from './alerts.repository.js';
import type { Period } from './shift.js';

/** Each list of a handover holds at most this many entries (a shift's worth many times over). */
export const HANDOVER_LIST_LIMIT = 2000;

const BY_SEVERITY = `CASE a.severity WHEN 'critical' THEN 0 WHEN 'major' THEN 1 WHEN 'minor' THEN 2 ELSE 3 END`;

/** The shift handover: read-only queries over alert and alert_event. */
export class AlertLogRepository {
  constructor(private readonly pool: pg.Pool) {}

  async handover(p: Period): Promise<Handover> {
    const from = new Date(p.fromMs);
    const to = new Date(p.toMs);
    const [opened, openAtEnd, actions] = await Promise.all([
      this.pool.query<AlertRecord>(`${SELECT} WHERE a.opened_at >= $1 AND a.opened_at < $2 ORDER BY a.opened_at, a.id LIMIT $3`, [from, to, HANDOVER_LIST_LIMIT]),
      this.pool.query<AlertRecord>(
        `${SELECT} WHERE a.opened_at < $1 AND (a.state <> 'resolved' OR a.resolved_at >= $1) ORDER BY ${BY_SEVERITY}, a.opened_at, a.id LIMIT $2`,
        [to, HANDOVER_LIST_LIMIT],
      ),
      this.pool.query<HandoverAction>(
        `SELECT ${ISO('e.at')} AS at, e.action, e.actor, e.note, e.data, a.id::int AS alert, s.id AS site, s.name_zh AS site_name_zh, s.name_en AS site_name_en,
           a.severity, a.title_zh, a.title_en
         FROM alert_event e JOIN alert a ON a.id = e.alert_id JOIN site s ON s.key = a.site_key
         WHERE e.at >= $1 AND e.at < $2 AND e.actor IS NOT NULL ORDER BY e.at, e.id LIMIT $3`,
        [from, to, HANDOVER_LIST_LIMIT],
      ),
    ]);
    return { from: from.toISOString(), to: to.toISOString(), opened: opened.rows, open_at_end: openAtEnd.rows, actions: actions.rows };
  }
}
