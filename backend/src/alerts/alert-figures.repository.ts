import type pg from 'pg';
import type { AlertFact } from '../reports/monthly-report.js';

export interface GasAlertFigures {
  open_critical: number;
  open_all: number;
  /** Median minutes from opening to acknowledgement, of the alerts opened since the given time. */
  median_ack: number | null;
}

/** Counts and facts about alerts for the goals board and the monthly report. */
export class AlertFiguresRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Alerts of rule `ruleId` opened since `fromMs`. */
  async countOpenedSince(ruleId: string, fromMs: number): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert WHERE rule_id = $1 AND opened_at >= $2`, [ruleId, new Date(fromMs)]);
    return rows[0]?.n ?? 0;
  }

  /** Open alerts of gas points, and how fast those opened since `fromMs` were acknowledged. */
  async gasPoints(fromMs: number): Promise<GasAlertFigures> {
    const { rows } = await this.pool.query<GasAlertFigures>(
      `SELECT count(*) FILTER (WHERE a.state <> 'resolved' AND a.severity = 'critical')::int AS open_critical,
              count(*) FILTER (WHERE a.state <> 'resolved')::int AS open_all,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM a.acknowledged_at - a.opened_at) / 60)
                FILTER (WHERE a.acknowledged_at IS NOT NULL AND a.opened_at >= $1) AS median_ack
       FROM alert a JOIN site s ON s.key = a.site_key WHERE s.kind = 'gas_point'`,
      [new Date(fromMs)],
    );
    return rows[0]!;
  }

  /** Every alert opened in [startMs, endMs), times in epoch ms. */
  async openedBetween(startMs: number, endMs: number): Promise<AlertFact[]> {
    const { rows } = await this.pool.query<{ site: string; kind: string; rule_id: string; severity: AlertFact['severity']; opened: number; acked: number | null; resolved: number | null }>(
      `SELECT s.id AS site, s.kind, a.rule_id, a.severity,
              extract(epoch FROM a.opened_at) * 1000 AS opened,
              extract(epoch FROM a.acknowledged_at) * 1000 AS acked,
              extract(epoch FROM a.resolved_at) * 1000 AS resolved
       FROM alert a JOIN site s ON s.key = a.site_key
       WHERE a.opened_at >= $1 AND a.opened_at < $2`,
      [new Date(startMs), new Date(endMs)],
    );
    const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
    return rows.map((r) => ({ site: r.site, kind: r.kind, rule_id: r.rule_id, severity: r.severity, opened_at: Number(r.opened), acknowledged_at: num(r.acked), resolved_at: num(r.resolved) }));
  }
}
