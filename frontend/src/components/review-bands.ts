import type { ReviewMark } from '@tidewatch/contracts';
import type { Chart, ChartType, Plugin } from 'chart.js';

/**
 * Index ranges [first, last] of chart points (times in epoch ms, in order) that an active review
 * mark covers: marks of the whole site, or of the metric shown.
 */
export function markedRanges(times: readonly number[], marks: readonly ReviewMark[], metric: string): [number, number][] {
  const periods = marks.filter((m) => m.withdrawn_at === null && (m.metric === null || m.metric === metric)).map((m) => [Date.parse(m.from), Date.parse(m.to)] as const);
  const out: [number, number][] = [];
  times.forEach((t, i) => {
    if (!periods.some(([from, to]) => t >= from && t < to)) return;
    const last = out[out.length - 1];
    if (last && last[1] === i - 1) last[1] = i;
    else out.push([i, i]);
  });
  return out;
}

declare module 'chart.js' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the merged declaration must repeat Chart.js's type parameter
  interface PluginOptionsByType<TType extends ChartType> {
    /** Point index ranges to shade as reviewed (marked invalid). */
    reviewBands?: { ranges: [number, number][] };
  }
}

/** Shades the point ranges given in `options.plugins.reviewBands.ranges` behind a line chart. */
export const reviewBandsPlugin: Plugin<'line'> = {
  id: 'reviewBands',
  beforeDatasetsDraw(chart: Chart) {
    const ranges = chart.options.plugins?.reviewBands?.ranges ?? [];
    const x = chart.scales.x;
    if (!x || ranges.length === 0) return;
    const { top, bottom } = chart.chartArea;
    const half = (chart.data.labels?.length ?? 0) > 1 ? (x.getPixelForValue(1) - x.getPixelForValue(0)) / 2 : 0;
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(198, 40, 40, 0.12)';
    for (const [a = 0, b = a] of ranges) ctx.fillRect(x.getPixelForValue(a) - half, top, x.getPixelForValue(b) - x.getPixelForValue(a) + 2 * half, bottom - top);
    ctx.restore();
  },
};
