import type { AlertSeverity, SiteSnapshot } from '@tidewatch/contracts';
import { ALERT_SEVERITIES } from '@tidewatch/contracts';

/** An age as the message key and number the wall shows: seconds under two minutes, minutes under two hours, then hours. */
export function ageParts(ms: number): { unit: 'seconds' | 'minutes' | 'hours'; n: number } {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return { unit: 'seconds', n: s };
  if (s < 7200) return { unit: 'minutes', n: Math.floor(s / 60) };
  return { unit: 'hours', n: Math.floor(s / 3600) };
}

/** How fresh the district's data are: the newest reading's age (null: none yet) and how many sites are offline. */
export function freshness(sites: Iterable<SiteSnapshot>, nowMs: number): { newestAgeMs: number | null; offline: number; total: number } {
  let newest: number | null = null;
  let offline = 0;
  let total = 0;
  for (const s of sites) {
    total++;
    if (s.status === 'offline') offline++;
    if (s.last_seen) {
      const at = Date.parse(s.last_seen);
      if (newest === null || at > newest) newest = at;
    }
  }
  return { newestAgeMs: newest === null ? null : Math.max(0, nowMs - newest), offline, total };
}

/** Open alerts per severity, most severe first. */
export function severityCounts(alerts: Iterable<{ severity: AlertSeverity }>): { severity: AlertSeverity; n: number }[] {
  const n = new Map<AlertSeverity, number>(ALERT_SEVERITIES.map((s) => [s, 0]));
  for (const a of alerts) n.set(a.severity, (n.get(a.severity) ?? 0) + 1);
  return ALERT_SEVERITIES.map((severity) => ({ severity, n: n.get(severity)! }));
}

/** The list turned so that item `start` comes first (a list too long for the wall rotates through). */
export function rotate<T>(list: readonly T[], start: number): T[] {
  if (list.length === 0) return [];
  const k = ((start % list.length) + list.length) % list.length;
  return [...list.slice(k), ...list.slice(0, k)];
}
