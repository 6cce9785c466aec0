import { metricById, metricsOfKind, type DayCompleteness } from '@tidewatch/contracts';
import { POLLUTANTS } from '../standards/aqi-index.js';
import { InvalidRequestError, NotFoundError } from '../common/domain-errors.js';
import { addDays, datesFrom, dayStartMs, daysBetween, localDate } from '../common/district-time.js';
import { dayCompleteness, type MetricDay } from './completeness.js';
import type { RollupsRepository } from './rollups.repository.js';
import { siteInterval, type SiteMeta } from './site-meta.js';
import type { SiteRegistry } from './site-registry.js';

const DAY_S = 86_400;
const AQI_POLLUTANTS = new Set<string>(POLLUTANTS);
/** At most a quarter of a year per request (the report asks for one month). */
export const MAX_COMPLETENESS_DAYS = 92;

/** Expected, received and valid readings per site and district day (docs/contract.md §4.3). */
export class CompletenessService {
  constructor(
    private readonly rollups: RollupsRepository,
    private readonly registry: SiteRegistry,
    private readonly tz: string,
  ) {}

  /** One site's days `from`…`to` (district dates, inclusive); the last 7 days by default. */
  async ofSite(id: string, from?: string, to?: string, nowMs = Date.now()): Promise<DayCompleteness[]> {
    const site = this.registry.lookup(id);
    if (!site) throw new NotFoundError(`no site ${id}`);
    const last = to ?? localDate(nowMs, this.tz);
    const first = from ?? addDays(last, -6);
    if (daysBetween(first, last) < 0) throw new InvalidRequestError('from must not be after to');
    if (daysBetween(first, last) >= MAX_COMPLETENESS_DAYS) throw new InvalidRequestError(`at most ${MAX_COMPLETENESS_DAYS} days at a time`);
    return (await this.ofSites([site], first, last, nowMs)).get(site.key) ?? [];
  }

  /** Several sites' days in one query: site key → its days in date order. */
  async ofSites(sites: readonly SiteMeta[], from: string, to: string, nowMs = Date.now()): Promise<Map<number, DayCompleteness[]>> {
    const metricIds = [...new Set(sites.flatMap((s) => countedMetrics(s).map((m) => m.id)))];
    const rows = await this.rollups.completeness(sites.map((s) => s.key), metricIds, dayStartMs(from, this.tz), dayStartMs(addDays(to, 1), this.tz), this.tz);
    const counts = new Map<string, MetricDay[]>();
    for (const r of rows) {
      const key = `${r.site_key}/${r.day}`;
      const list = counts.get(key) ?? [];
      list.push({ metric: metricById(r.metric_id)?.name ?? String(r.metric_id), received: r.received, valid: r.valid, valid_hours: r.valid_hours });
      counts.set(key, list);
    }
    const out = new Map<number, DayCompleteness[]>();
    for (const site of sites) {
      const names = countedMetrics(site).map((m) => m.name);
      const interval = siteInterval(site).seconds;
      out.set(
        site.key,
        datesFrom(from, to).map((date) => {
          const elapsedS = Math.min(DAY_S, (nowMs - dayStartMs(date, this.tz)) / 1000);
          return dayCompleteness(date, names, counts.get(`${site.key}/${date}`) ?? [], interval, elapsedS);
        }),
      );
    }
    return out;
  }
}

/**
 * The metrics whose readings are counted: an air station's six AQI pollutants (its weather
 * values are not what it is judged on), every measured value of other kinds (on/off states
 * are not readings of a cadence).
 */
function countedMetrics(site: SiteMeta): { id: number; name: string }[] {
  const measured = metricsOfKind(site.kind).filter((m) => !m.flag);
  return site.kind === 'air' ? measured.filter((m) => AQI_POLLUTANTS.has(m.name)) : measured;
}
