import type { AbnormalFlag } from '@tidewatch/contracts';
import type { ChartDataset } from 'chart.js';

/** A point of `/api/sites/{id}/series`: a flagged value (not N) carries its flag. */
export interface SeriesPoint {
  t: string;
  avg: number;
  min: number;
  max: number;
  flag?: AbnormalFlag;
}

export const FLAGGED_COLOUR = '#e65100';

/**
 * The drawer chart's datasets: the metric's line through the normal points, the flagged
 * values as separate orange triangles (their own legend entry, no line), and threshold lines.
 * Every dataset has one entry per point (null where it has none), on the points' time labels.
 */
export function seriesDatasets(points: SeriesPoint[], o: { label: string; flaggedLabel: string; thresholds: { label: string; value: number }[] }): ChartDataset<'line', (number | null)[]>[] {
  const flagged = points.some((p) => p.flag !== undefined);
  return [
    { label: o.label, data: points.map((p) => (p.flag ? null : p.avg)), borderColor: '#0b3d5c', pointRadius: 0, borderWidth: 1.5, spanGaps: true },
    ...(flagged
      ? [{ label: o.flaggedLabel, data: points.map((p) => (p.flag ? p.avg : null)), borderColor: FLAGGED_COLOUR, backgroundColor: FLAGGED_COLOUR, showLine: false, pointStyle: 'triangle' as const, pointRadius: 4 }]
      : []),
    ...o.thresholds.map((th) => ({ label: th.label, data: points.map(() => th.value), borderColor: '#c62828', borderDash: [6, 4], pointRadius: 0, borderWidth: 1 })),
  ];
}
