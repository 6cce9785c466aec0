import type { AlertRecord, AlertSeverity, AlertState } from './live.js';

/** One page of `GET /api/alerts/log` and how many alerts its filters match in all. */
export interface AlertPage {
  total: number;
  limit: number;
  offset: number;
  alerts: AlertRecord[];
}

/** What `POST /api/alerts/bulk` did to one alert: done, already past that step (its state now), or no such alert. */
export interface BulkOutcome {
  id: number;
  outcome: 'done' | 'already' | 'not_found';
  state: AlertState | null;
}

/** Something a person did to an alert during a shift, with the alert it was done to. */
export interface HandoverAction {
  at: string;
  action: string;
  actor: string;
  note: string | null;
  data: Record<string, unknown>;
  alert: number;
  site: string;
  site_name_zh: string;
  site_name_en: string;
  severity: AlertSeverity;
  title_zh: string;
  title_en: string;
}

/** `GET /api/alerts/handover`: a shift's alerts and what was done in it. */
export interface Handover {
  from: string;
  to: string;
  /** Alerts opened during the shift, oldest first. */
  opened: AlertRecord[];
  /** Alerts opened before its end and not resolved by then, most severe first. */
  open_at_end: AlertRecord[];
  /** What people did during it (acknowledged, resolved, assigned, commented), in order. */
  actions: HandoverAction[];
}
