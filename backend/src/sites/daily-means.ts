import { metricFor, type SiteKind } from '@tidewatch/contracts';
import { addDays, dayStartMs } from '../common/district-time.js';
import type { RollupsRepository } from './rollups.repository.js';
import type { SiteRegistry } from './site-registry.js';

/** A metric's figures for one district day, from the hourly rollup. */
export interface DayFigure {
  mean: number;
  max: number;
  /** Readings that day. */
  n: number;
  /** Valid hours of the day: hours whose data cover 45 minutes or more. */
  hours: number;
}

/** site key → district date → metric name → that day's figures. */
export type DailyFigures = Map<number, Map<string, Record<string, DayFigure>>>;

/** Daily means (days counted in the district's zone) of a kind's metrics, in one query over the rollup. */
export class DailyMeans {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly registry: SiteRegistry,
    private readonly tz: string,
  ) {}

  async of(kind: SiteKind, metrics: readonly string[], from: string, to: string): Promise<DailyFigures> {
    const sites = this.registry.ofKind(kind);
    const ids = metrics.map((m) => {
      const def = metricFor(kind, m);
      if (!def) throw new Error(`no metric ${m} for ${kind}`);
      return def.id;
    });
    const out: DailyFigures = new Map();
    if (sites.length === 0) return out;
    const rows = await this.rollups.daily(sites.map((s) => s.key), ids, dayStartMs(from, this.tz), dayStartMs(addDays(to, 1), this.tz), this.tz);
    for (const r of rows) {
      const name = metrics[ids.indexOf(r.metric_id)]!;
      let bySite = out.get(r.site_key);
      if (!bySite) out.set(r.site_key, (bySite = new Map()));
      const day = bySite.get(r.day) ?? {};
      day[name] = { mean: r.mean, max: r.max, n: r.n, hours: r.valid_hours };
      bySite.set(r.day, day);
    }
    return out;
  }
}

/** A day's means alone: metric → mean. */
export function meansOf(day: Record<string, DayFigure>): Record<string, number> {
  return Object.fromEntries(Object.entries(day).map(([k, v]) => [k, v.mean]));
}
