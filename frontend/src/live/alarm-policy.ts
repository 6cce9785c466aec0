import type { AlertRecord } from '@tidewatch/contracts';

/** How often the alarm tone repeats while a critical alert waits to be acknowledged. */
export const REPEAT_MS = 3000;
/** The mutes a duty officer may choose, in minutes: each one ends by itself. */
export const MUTE_MINUTES = [1, 5, 15] as const;

/**
 * A mute: silent until `until` (epoch ms) for the alerts that were ringing when it was set.
 * A critical alert that arrives later rings through it: a mute never hides a new emergency.
 */
export interface Mute {
  until: number;
  ids: number[];
}

/** Computed from backfilled or late data (docs/contract.md §4.5): listed, never rung. */
export function isHistorical(a: AlertRecord): boolean {
  return a.detail.historical === true;
}

/** A critical alert from current data that nobody has acknowledged yet: the alarm sounds for it. */
export function demandsAttention(a: AlertRecord): boolean {
  return a.severity === 'critical' && a.state === 'active' && !isHistorical(a);
}

/** Escalated (nobody acknowledged it in time) and still unacknowledged. */
export function isEscalated(a: AlertRecord): boolean {
  return a.escalation_level > 0 && a.state === 'active' && !isHistorical(a);
}

/**
 * Flashing in the list: a critical alert that arrived live and nobody has looked at yet, or
 * one the hub escalated (that stays true after a reload, from the record itself).
 */
export function flashes(a: AlertRecord, fresh: ReadonlySet<number>): boolean {
  return (fresh.has(a.id) && a.state === 'active') || isEscalated(a);
}

/** Whether a mute is still in force at `now`. */
export function muteActive(mute: Mute | null, now: number): mute is Mute {
  return mute !== null && now < mute.until;
}

export interface AlarmState {
  /** Alerts the alarm sounds for now (unmuted ones). */
  ringing: AlertRecord[];
  /** Every alert that demands attention, muted or not: what the tab title counts. */
  waiting: AlertRecord[];
  /** Milliseconds left of the mute (0 when none). */
  muteLeftMs: number;
}

export function alarmState(open: Iterable<AlertRecord>, mute: Mute | null, now: number): AlarmState {
  const waiting = [...open].filter(demandsAttention);
  const muted = muteActive(mute, now) ? new Set(mute.ids) : new Set<number>();
  return {
    waiting,
    ringing: waiting.filter((a) => !muted.has(a.id)),
    muteLeftMs: muteActive(mute, now) ? mute.until - now : 0,
  };
}

/** Mute the alerts ringing now for `minutes`. */
export function muteFor(ringing: readonly AlertRecord[], minutes: number, now: number): Mute {
  return { until: now + minutes * 60_000, ids: ringing.map((a) => a.id) };
}

/** Whether the repeating tone is due: something rings and the last tone is `REPEAT_MS` old. */
export function toneDue(state: AlarmState, lastToneAt: number, now: number): boolean {
  return state.ringing.length > 0 && now - lastToneAt >= REPEAT_MS;
}

/** A mute read back from storage, or null when it is malformed or over. */
export function parseMute(raw: string | null, now: number): Mute | null {
  if (!raw) return null;
  try {
    const m = JSON.parse(raw) as Partial<Mute>;
    if (typeof m.until !== 'number' || !Array.isArray(m.ids) || !m.ids.every((id) => Number.isInteger(id))) return null;
    // A mute is never longer than the longest choice, whatever the storage says.
    const until = Math.min(m.until, now + MUTE_MINUTES[MUTE_MINUTES.length - 1] * 60_000);
    return now < until ? { until, ids: m.ids } : null;
  } catch {
    return null;
  }
}

/** Milliseconds as `m:ss`, or `h:mm:ss` from an hour on (a waiting time, a mute left). */
export function clockDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** How long an open alert has gone unacknowledged at `now`, or null once acknowledged. */
export function unacknowledgedMs(a: AlertRecord, now: number): number | null {
  return a.state === 'active' ? Math.max(0, now - Date.parse(a.opened_at)) : null;
}
