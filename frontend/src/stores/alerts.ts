import { ALERT_SEVERITIES, type AlertRecord, type AlertSeverity } from '@tidewatch/contracts';
import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import { ApiError, apiFetch } from '../api/http';
import { demandsAttention } from '../live/alarm-policy';

export { isHistorical } from '../live/alarm-policy';

export type Severity = AlertSeverity;
export const SEVERITY_ORDER: Severity[] = [...ALERT_SEVERITIES];

/** An alert record (contracts). */
export type Alert = AlertRecord;

export interface AlertEvent extends Alert {
  event: string;
}

export interface HistoryEntry {
  at: string;
  action: string;
  actor: string | null;
  note: string | null;
  /** What the step recorded, e.g. `condition_held` on a resolution confirmed while the condition held. */
  data?: Record<string, unknown>;
}

/** The server refused to resolve because the alert's condition still holds: the person may confirm. */
export function conditionStillHolds(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409 && err.code === 'condition_active';
}

/** Most severe first, then newest first. */
export function byUrgency(a: Alert, b: Alert): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || b.opened_at.localeCompare(a.opened_at) || b.id - a.id;
}

export const useAlertsStore = defineStore('alerts', () => {
  const open = ref(new Map<number, Alert>());
  /** Ids of critical alerts that arrived live and nobody has looked at yet (flash and sound). */
  const fresh = ref(new Set<number>());
  const sorted = computed(() => [...open.value.values()].sort(byUrgency));

  /** Change time of every alert applied so far, resolved ones included: what a snapshot is weighed against. */
  const seenAt = new Map<number, string>();

  /**
   * A snapshot of the open alerts taken at `at`: replaces the list, except where an event
   * already applied is newer than the snapshot's copy, or than the snapshot itself (an
   * alert opened after it was taken).
   */
  function load(alerts: Alert[], at: string): void {
    const next = new Map<number, Alert>();
    for (const a of alerts) {
      const seen = seenAt.get(a.id);
      if (seen !== undefined && seen > a.updated_at) {
        const mine = open.value.get(a.id); // absent: a newer event resolved it
        if (mine) next.set(a.id, mine);
        continue;
      }
      seenAt.set(a.id, a.updated_at);
      if (a.state !== 'resolved') next.set(a.id, a);
    }
    for (const [id, a] of open.value) if (!next.has(id) && (seenAt.get(id) ?? '') > at) next.set(id, a);
    open.value = next;
    for (const id of fresh.value) if (!next.has(id)) fresh.value.delete(id);
  }

  /** An `alert` event: opened, raised, cleared, acknowledged, resolved, escalated… */
  function apply(e: AlertEvent): { newCritical: boolean } {
    const { event, ...alert } = e;
    const seen = seenAt.get(alert.id);
    if (seen !== undefined && seen > alert.updated_at) return { newCritical: false };
    seenAt.set(alert.id, alert.updated_at);
    if (alert.state === 'resolved') {
      open.value.delete(alert.id);
      fresh.value.delete(alert.id);
      return { newCritical: false };
    }
    open.value.set(alert.id, alert);
    const urgent = demandsAttention(alert) && ['opened', 'raised', 'retriggered', 'reannounced', 'escalated'].includes(event);
    if (urgent) fresh.value.add(alert.id);
    if (alert.state !== 'active') fresh.value.delete(alert.id);
    return { newCritical: urgent };
  }

  function seen(id: number): void {
    fresh.value.delete(id);
  }

  /** `confirmActive`: resolve although the condition still holds (after the server said so). */
  async function act(id: number, action: 'ack' | 'resolve', note: string, confirmActive = false): Promise<void> {
    const body = confirmActive ? { note, confirm_active: true } : { note };
    const updated = await apiFetch<Alert>(`/api/alerts/${id}/${action}`, { method: 'POST', body });
    apply({ ...updated, event: action === 'ack' ? 'acknowledged' : 'resolved' });
  }

  async function historyOf(id: number): Promise<HistoryEntry[]> {
    return (await apiFetch<{ history: HistoryEntry[] }>(`/api/alerts/${id}`)).history;
  }

  return { open, fresh, sorted, load, apply, seen, act, historyOf };
});
