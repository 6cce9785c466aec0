import { withDb, type TestEnv } from './hub-process.js';

/** An alert of known times, as the hub would have stored it (the log and handover tests need the past). */
export interface AlertRow {
  site: string;
  rule: string;
  severity: 'critical' | 'major' | 'minor' | 'warning';
  state: 'active' | 'acknowledged' | 'resolved';
  opened: string;
  title_zh: string;
  title_en: string;
  /** When it was resolved (by `night-op`). */
  resolved?: string;
}

/** Writes the alert and its `opened` history entry straight into the database; answers its id. */
export function insertAlert(t: TestEnv, r: AlertRow): Promise<number> {
  return withDb(t, async (c) => {
    const { rows } = await c.query<{ id: string }>(
      `INSERT INTO alert (site_key, rule_id, severity, state, title_zh, title_en, opened_at, last_triggered_at, announced_at, resolved_at, resolved_by)
       SELECT key, $2, $3, $4, $5, $6, $7, $7, $7, $8, CASE WHEN $8::timestamptz IS NULL THEN NULL ELSE 'night-op' END FROM site WHERE id = $1 RETURNING id`,
      [r.site, r.rule, r.severity, r.state, r.title_zh, r.title_en, r.opened, r.resolved ?? null],
    );
    if (!rows[0]) throw new Error(`no site ${r.site}`);
    const id = Number(rows[0].id);
    await c.query(`INSERT INTO alert_event (alert_id, at, action) VALUES ($1, $2, 'opened')`, [id, r.opened]);
    return id;
  });
}

/** A person's step in an alert's history at a given time. */
export async function insertAlertEvent(t: TestEnv, id: number, at: string, action: string, actor: string, note: string): Promise<void> {
  await withDb(t, (c) => c.query('INSERT INTO alert_event (alert_id, at, action, actor, note) VALUES ($1, $2, $3, $4, $5)', [id, at, action, actor, note]));
}
