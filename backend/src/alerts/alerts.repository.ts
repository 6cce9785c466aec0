import type { AlertRecord, AlertState } from '@tidewatch/contracts';
import { ConflictError, InvalidRequestError, NotFoundError } from '../common/domain-errors.js';
import type pg from 'pg';
import type { Severity } from './rule-model.js';
import { containsPattern, isoUtc as ISO } from '../common/sql.js';

export type { AlertRecord, AlertState };

export interface AlertHistoryEntry {
  at: string;
  action: string;
  actor: string | null;
  note: string | null;
  data: Record<string, unknown>;
}

const COLUMNS = `a.id::int, s.id AS site, s.name_zh AS site_name_zh, s.name_en AS site_name_en, s.kind, a.rule_id AS rule, a.severity, a.state,
  a.cleared, ${ISO('a.cleared_at')} AS cleared_at, a.title_zh, a.title_en, a.detail, ${ISO('a.opened_at')} AS opened_at,
  ${ISO('a.last_triggered_at')} AS last_triggered_at, a.triggers, ${ISO('a.acknowledged_at')} AS acknowledged_at, a.acknowledged_by,
  ${ISO('a.resolved_at')} AS resolved_at, a.resolved_by, a.assigned_to, a.escalation_level, ${ISO('a.announced_at')} AS announced_at,
  ${ISO('a.updated_at')} AS updated_at`;
const FROM = 'FROM alert a JOIN site s ON s.key = a.site_key';
export const SELECT = `SELECT ${COLUMNS} ${FROM}`;

export interface AlertFilter {
  state?: AlertState | 'open' | 'cleared';
  kind?: string;
  site?: string;
  severity?: Severity;
  /** Opened in [from, to). */
  from?: Date;
  to?: Date;
  /** Text in the title, the site's name or a note of the alert's history. */
  q?: string;
  limit: number;
  offset?: number;
}

/** The WHERE clause (possibly empty) and its parameters for a filter, numbered from $1. */
function filterSql(f: AlertFilter): { where: string; values: unknown[] } {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (v: unknown): string => {
    values.push(v);
    return `$${values.length}`;
  };
  if (f.state === 'open') where.push(`a.state <> 'resolved'`);
  else if (f.state === 'cleared') where.push(`a.cleared AND a.state <> 'resolved'`);
  else if (f.state) where.push(`a.state = ${param(f.state)}`);
  if (f.kind) where.push(`s.kind = ${param(f.kind)}`);
  if (f.site) where.push(`s.id = ${param(f.site)}`);
  if (f.severity) where.push(`a.severity = ${param(f.severity)}`);
  if (f.from) where.push(`a.opened_at >= ${param(f.from)}`);
  if (f.to) where.push(`a.opened_at < ${param(f.to)}`);
  if (f.q) {
    const p = param(containsPattern(f.q));
    where.push(
      `(a.title_zh ILIKE ${p} OR a.title_en ILIKE ${p} OR s.name_zh ILIKE ${p} OR s.name_en ILIKE ${p}
        OR EXISTS (SELECT 1 FROM alert_event e WHERE e.alert_id = a.id AND e.note ILIKE ${p}))`,
    );
  }
  return { where: where.length ? `WHERE ${where.join(' AND ')}` : '', values };
}

export interface Trigger {
  siteKey: number;
  ruleId: string;
  severity: Severity;
  atMs: number;
  title: { zh: string; en: string };
  detail: Record<string, unknown>;
}

/** No alert with that id. */
export class AlertNotFoundError extends NotFoundError {
  constructor(id: number) {
    super(`no alert ${id}`);
  }
}
/** The alert's state does not allow the step (acknowledging a resolved alert, say). */
export class AlertStateError extends ConflictError {
  constructor(readonly state: AlertState) {
    super(`the alert is ${state}`);
  }
}
/** Resolving an alert whose condition still holds needs the caller's confirmation. */
export class ConditionActiveError extends ConflictError {
  override readonly code = 'condition_active';
  constructor() {
    super('the alert\'s condition still holds: resend with confirm_active to resolve it anyway');
  }
}
/** An alert may be assigned only to a user of the hub. */
export class NoSuchAssigneeError extends InvalidRequestError {
  constructor() {
    super('no user with that username');
  }
}

/** The assignee may not act on alerts: a viewer, or a disabled account. */
export class AssigneeMayNotActError extends InvalidRequestError {
  override readonly code = 'not_assignable';
  constructor() {
    super('that user may not act on alerts (an enabled operator or admin is needed)');
  }
}

/** SQL: the user `u` may act on alerts (be assigned one, be on the duty roster). */
export const MAY_ACT = `u.role IN ('operator', 'admin') AND NOT u.disabled`;

/** The alerts and their audit trail; every change writes an alert_event in the same transaction. */
export class AlertStore {
  constructor(private readonly pool: pg.Pool) {}

  async list(f: AlertFilter): Promise<AlertRecord[]> {
    const { where, values } = filterSql(f);
    const n = values.length;
    const { rows } = await this.pool.query<AlertRecord>(`${SELECT} ${where} ORDER BY a.opened_at DESC, a.id DESC LIMIT $${n + 1} OFFSET $${n + 2}`, [
      ...values,
      f.limit,
      f.offset ?? 0,
    ]);
    return rows;
  }

  /** How many alerts the filter matches, whatever its limit and offset. */
  async count(f: AlertFilter): Promise<number> {
    const { where, values } = filterSql(f);
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert a JOIN site s ON s.key = a.site_key ${where}`, values);
    return rows[0]!.n;
  }

  async get(id: number): Promise<AlertRecord | null> {
    const { rows } = await this.pool.query<AlertRecord>(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  async history(id: number): Promise<AlertHistoryEntry[]> {
    const { rows } = await this.pool.query<AlertHistoryEntry>(
      `SELECT ${ISO('at')} AS at, action, actor, note, data FROM alert_event WHERE alert_id = $1 ORDER BY id`,
      [id],
    );
    return rows;
  }

  /** Open alerts (for the engine's start and the escalation timer). */
  async open(): Promise<AlertRecord[]> {
    return this.list({ state: 'open', limit: 100_000 });
  }

  async countOpenBySeverity(): Promise<Record<string, number>> {
    const { rows } = await this.pool.query<{ severity: string; n: number }>(`SELECT severity, count(*)::int AS n FROM alert WHERE state <> 'resolved' GROUP BY 1`);
    return Object.fromEntries(rows.map((r) => [r.severity, r.n]));
  }

  /**
   * Opens an alert, or extends the open one of the same (site, rule): counts the repeat, raises
   * the severity if higher, and un-clears it. Returns the record and whether it is news
   * (opened, raised or re-triggered after clearing).
   */
  async trigger(t: Trigger): Promise<{ alert: AlertRecord; news: 'opened' | 'raised' | 'retriggered' | null }> {
    try {
      return await this.triggerOnce(t);
    } catch (err) {
      // Another hub instance opened the same (site, rule) alert at the same moment: extend it.
      if ((err as { code?: string }).code === '23505') return this.triggerOnce(t);
      throw err;
    }
  }

  private async triggerOnce(t: Trigger): Promise<{ alert: AlertRecord; news: 'opened' | 'raised' | 'retriggered' | null }> {
    return this.tx(async (c) => {
      const existing = await c.query<{ id: string; severity: Severity; cleared: boolean; historical: boolean }>(
        `SELECT id, severity, cleared, detail ? 'historical' AS historical FROM alert WHERE site_key = $1 AND rule_id = $2 AND state <> 'resolved' FOR UPDATE`,
        [t.siteKey, t.ruleId],
      );
      const at = new Date(t.atMs);
      const row = existing.rows[0];
      let id: number;
      let news: 'opened' | 'raised' | 'retriggered' | null = null;
      if (!row) {
        const ins = await c.query<{ id: string }>(
          `INSERT INTO alert (site_key, rule_id, severity, state, title_zh, title_en, detail, opened_at, last_triggered_at, announced_at, current_since)
           VALUES ($1, $2, $3, 'active', $4, $5, $6, $7, $7, now(), CASE WHEN $8 THEN NULL ELSE now() END) RETURNING id`,
          [t.siteKey, t.ruleId, t.severity, t.title.zh, t.title.en, JSON.stringify(t.detail), at, t.detail.historical === true],
        );
        id = Number(ins.rows[0]!.id);
        await this.event(c, id, 'opened', null, null, { severity: t.severity, ...t.detail });
        news = 'opened';
      } else {
        id = Number(row.id);
        const rank = ['warning', 'minor', 'major', 'critical'];
        const raise = rank.indexOf(t.severity) > rank.indexOf(row.severity);
        const historical = t.detail.historical === true;
        // Late data does not overwrite what a current trigger recorded.
        await c.query(
          `UPDATE alert SET triggers = triggers + 1, last_triggered_at = greatest(last_triggered_at, $2),
             detail = CASE WHEN $6 AND NOT (detail ? 'historical') THEN detail ELSE $3 END,
             severity = CASE WHEN $4 THEN $5 ELSE severity END, cleared = false, cleared_at = NULL, updated_at = now(),
             current_since = CASE WHEN $6 THEN current_since ELSE coalesce(current_since, now()) END
           WHERE id = $1`,
          [id, at, JSON.stringify(t.detail), raise, t.severity, historical],
        );
        if (raise) {
          await this.event(c, id, 'severity_raised', null, null, { from: row.severity, to: t.severity, ...t.detail });
          news = 'raised';
        } else if (row.cleared || (row.historical && !historical)) {
          // A cleared alert holds again, or one opened from history now holds on current data.
          await this.event(c, id, 'retriggered', null, null, t.detail);
          news = 'retriggered';
        }
      }
      return { alert: (await this.getWith(c, id))!, news };
    });
  }

  /** Marks the open alert of (site, rule) cleared: its condition has ended. */
  async clear(siteKey: number, ruleId: string, atMs: number): Promise<AlertRecord | null> {
    return this.tx(async (c) => {
      const { rows } = await c.query<{ id: string }>(
        `UPDATE alert SET cleared = true, cleared_at = $3, updated_at = now()
         WHERE site_key = $1 AND rule_id = $2 AND state <> 'resolved' AND NOT cleared RETURNING id`,
        [siteKey, ruleId, new Date(atMs)],
      );
      if (!rows[0]) return null;
      const id = Number(rows[0].id);
      await this.event(c, id, 'cleared', null, null, {});
      return this.getWith(c, id);
    });
  }

  /** `data` goes into the history entry (a bulk step says so). */
  async acknowledge(id: number, actor: string, note: string, data: Record<string, unknown> = {}): Promise<AlertRecord> {
    return this.transition(id, actor, note, 'acknowledged', `state = 'active'`, `state = 'acknowledged', acknowledged_at = now(), acknowledged_by = $2`, [actor], data);
  }

  /**
   * Resolves an open alert. One whose condition still holds (not cleared) is refused unless
   * the caller confirms; the history then records that it was resolved while it held.
   */
  async resolve(id: number, actor: string, note: string, opts: { confirmActive?: boolean; data?: Record<string, unknown> } = {}): Promise<AlertRecord> {
    return this.transition(id, actor, note, 'resolved', `state <> 'resolved'`, `state = 'resolved', resolved_at = now(), resolved_by = $2`, [actor], opts.data ?? {}, async (c) => {
      const { rows } = await c.query<{ held: boolean }>(`SELECT state <> 'resolved' AND NOT cleared AS held FROM alert WHERE id = $1`, [id]);
      if (!rows[0]?.held) return {};
      if (!opts.confirmActive) throw new ConditionActiveError();
      return { condition_held: true };
    });
  }

  /** Assigns an open alert to a user of the hub who may act on alerts (an enabled operator or admin). */
  async assign(id: number, actor: string, assignee: string, note: string): Promise<AlertRecord> {
    return this.transition(id, actor, note, 'assigned', `state <> 'resolved'`, `assigned_to = $2`, [assignee], { assignee }, async (c) => {
      const { rows } = await c.query<{ may_act: boolean }>(`SELECT ${MAY_ACT} AS may_act FROM app_user u WHERE lower(username) = lower($1)`, [assignee]);
      if (!rows[0]) throw new NoSuchAssigneeError();
      if (!rows[0].may_act) throw new AssigneeMayNotActError();
    });
  }

  /**
   * The duty roster's assignment (docs/contract.md §4.5): an open alert given to the person on
   * call, recorded by the system (no actor) with `reason: 'roster'`. Null when the alert is
   * resolved meanwhile, already theirs, or they may no longer act on alerts.
   */
  async assignFromRoster(id: number, assignee: string, data: Record<string, unknown>): Promise<AlertRecord | null> {
    return this.tx(async (c) => {
      const { rowCount } = await c.query(
        `UPDATE alert SET assigned_to = $2, updated_at = now()
         WHERE id = $1 AND state <> 'resolved' AND assigned_to IS DISTINCT FROM $2
           AND EXISTS (SELECT 1 FROM app_user u WHERE u.username = $2 AND ${MAY_ACT})`,
        [id, assignee],
      );
      if (!rowCount) return null;
      await this.event(c, id, 'assigned', null, null, { assignee, reason: 'roster', ...data });
      return this.getWith(c, id);
    });
  }

  async comment(id: number, actor: string, note: string): Promise<AlertRecord> {
    return this.transition(id, actor, note, 'comment', 'true', '', []);
  }

  /**
   * Unacknowledged critical alerts that hold on current data, with when they first did: what
   * re-announcement and escalation are timed from (historical ones never ring, so never escalate).
   */
  async awaitingAcknowledgement(limit: number): Promise<(AlertRecord & { current_since: string })[]> {
    const { rows } = await this.pool.query<AlertRecord & { current_since: string }>(
      `SELECT ${COLUMNS}, ${ISO('a.current_since')} AS current_since ${FROM}
       WHERE a.state = 'active' AND a.severity = 'critical' AND a.current_since IS NOT NULL ORDER BY a.opened_at DESC LIMIT $1`,
      [limit],
    );
    return rows;
  }

  /** Re-announcement or escalation of an unacknowledged alert. */
  async escalate(id: number, action: 'reannounced' | 'escalated'): Promise<AlertRecord | null> {
    return this.tx(async (c) => {
      const set = action === 'escalated' ? 'escalation_level = escalation_level + 1, announced_at = now()' : 'announced_at = now()';
      const { rowCount } = await c.query(`UPDATE alert SET ${set}, updated_at = now() WHERE id = $1 AND state = 'active'`, [id]);
      if (!rowCount) return null;
      await this.event(c, id, action, null, null, {});
      return this.getWith(c, id);
    });
  }

  /**
   * One lifecycle step under a row lock: `set` and `guard` may use $2… for `setParams`;
   * the step is refused when the alert is missing or the guard fails.
   */
  private async transition(
    id: number,
    actor: string,
    note: string,
    action: string,
    guard: string,
    set: string,
    setParams: unknown[],
    data: Record<string, unknown> = {},
    /** Checks before the step; may refuse it, or return more data for its history entry. */
    precheck?: (c: pg.PoolClient) => Promise<Record<string, unknown> | void>,
  ): Promise<AlertRecord> {
    return this.tx(async (c) => {
      const exists = await c.query<{ state: AlertState }>('SELECT state FROM alert WHERE id = $1 FOR UPDATE', [id]);
      if (!exists.rows[0]) throw new AlertNotFoundError(id);
      const more = await precheck?.(c);
      const { rowCount } = await c.query(`UPDATE alert SET ${set ? `${set}, ` : ''}updated_at = now() WHERE id = $1 AND ${guard}`, [id, ...setParams]);
      if (!rowCount) throw new AlertStateError(exists.rows[0].state);
      await this.event(c, id, action, actor, note, { ...data, ...more });
      return (await this.getWith(c, id))!;
    });
  }

  private async event(c: pg.PoolClient, id: number, action: string, actor: string | null, note: string | null, data: Record<string, unknown>): Promise<void> {
    await c.query('INSERT INTO alert_event (alert_id, action, actor, note, data) VALUES ($1, $2, $3, $4, $5)', [id, action, actor, note, JSON.stringify(data)]);
  }

  private async getWith(c: pg.PoolClient, id: number): Promise<AlertRecord | null> {
    const { rows } = await c.query<AlertRecord>(`${SELECT} WHERE a.id = $1`, [id]);
    return rows[0] ?? null;
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      c.release();
    }
  }
}
