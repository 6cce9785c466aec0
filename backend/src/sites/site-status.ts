import type { SiteStatus } from '@tidewatch/contracts';

export interface Liveness {
  /** The site's reporting interval, seconds (set, learned or nominal). */
  intervalS: number;
  online: boolean;
  statusAtMs: number | null;
  lastSeenMs: number | null;
}

/** A site is silent after three of its reporting intervals without data. */
export const SILENCE_INTERVALS = 3;

/**
 * Map status from liveness alone: `offline` when the device said so (and sent nothing
 * since) or has been silent too long, else `normal`. Alerts raise it to warning or alarm.
 */
export function livenessStatus(s: Liveness, nowMs: number): SiteStatus {
  if (s.lastSeenMs === null) return 'offline';
  const saidOffline = !s.online && s.statusAtMs !== null && s.statusAtMs >= s.lastSeenMs;
  const silent = nowMs - s.lastSeenMs > SILENCE_INTERVALS * s.intervalS * 1000;
  return saidOffline || silent ? 'offline' : 'normal';
}

/** Map status of a live site from its most severe open alert: critical or major → alarm, minor or warning → warning. */
export function statusFromAlerts(worst: string | null): SiteStatus {
  if (worst === 'critical' || worst === 'major') return 'alarm';
  if (worst === 'minor' || worst === 'warning') return 'warning';
  return 'normal';
}
