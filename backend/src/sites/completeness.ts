import type { DayCompleteness, MetricCompleteness } from '@tidewatch/contracts';

export interface MetricDay {
  metric: string;
  received: number;
  valid: number;
  valid_hours: number;
}

/**
 * A site's completeness for one day from its metrics' counts: `elapsedS` is how much of the
 * day has gone by (a whole day, 86 400 s, for a past day), `intervalS` the site's interval.
 * Metrics that sent nothing count with zeros: a silent instrument is incomplete, not absent.
 */
export function dayCompleteness(date: string, metrics: readonly string[], counts: readonly MetricDay[], intervalS: number, elapsedS: number): DayCompleteness {
  const expected = Math.floor(Math.max(0, elapsedS) / intervalS);
  const hoursGone = Math.ceil(Math.max(0, elapsedS) / 3600);
  const byMetric: Record<string, MetricCompleteness> = {};
  const total: MetricCompleteness = { expected: 0, received: 0, valid: 0, valid_hours: 0 };
  for (const metric of metrics) {
    const c = counts.find((x) => x.metric === metric);
    const m = { expected, received: c?.received ?? 0, valid: c?.valid ?? 0, valid_hours: c?.valid_hours ?? 0 };
    byMetric[metric] = m;
    total.expected += m.expected;
    total.received += m.received;
    total.valid += m.valid;
    total.valid_hours += m.valid_hours;
  }
  const possibleHours = hoursGone * metrics.length;
  return { date, ...total, valid_share: possibleHours > 0 ? Math.min(1, total.valid_hours / possibleHours) : 0, metrics: byMetric };
}
