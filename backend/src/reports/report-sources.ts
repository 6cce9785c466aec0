import type { SiteKind } from '@tidewatch/contracts';
import type { AqiService } from '../air/aqi.service.js';
import { addDays, dayStartMs } from '../common/district-time.js';
import type { DailyMeans, DailyFigures } from '../sites/daily-means.js';
import type { ReviewsRepository } from '../review/reviews.repository.js';
import type { CompletenessService } from '../sites/completeness.service.js';
import type { EventsRepository } from '../sites/events.repository.js';
import { siteInterval } from '../sites/site-meta.js';
import type { SiteMeta, SiteRegistry } from '../sites/site-registry.js';
import { aqiVersionFor } from '../standards/aqi.js';
import { RIVER_CLASS_INDICATORS, SEA_CLASS_INDICATORS } from '../standards/water.js';
import {
  COMPLETENESS_KINDS,
  WWTP_METRICS,
  type AlertFact,
  type EventCount,
  type MonthlyInput,
  type SiteDays,
  type SiteName,
  type StationCompletenessInput,
} from './monthly-report.js';

/** The district dates of a month YYYY-MM. */
export function daysOfMonth(month: string): string[] {
  const out: string[] = [];
  for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) out.push(d);
  return out;
}

const nameOf = (s: SiteMeta): SiteName => ({ site: s.id, name_zh: s.name_zh, name_en: s.name_en });
const target = (s: SiteMeta): string | null => (typeof s.params.target_class === 'string' ? s.params.target_class : null);

/** The month's alerts, as the alerts feature stores them. */
export interface AlertFigures {
  openedBetween(startMs: number, endMs: number): Promise<AlertFact[]>;
}

/** Gathers one month's inputs for the report: a fixed handful of queries, none per site. */
export class ReportSources {
  constructor(
    private readonly alertFigures: AlertFigures,
    private readonly eventsRepo: EventsRepository,
    private readonly registry: SiteRegistry,
    private readonly aqi: AqiService,
    private readonly dailyMeans: DailyMeans,
    private readonly tz: string,
    private readonly reviews: Pick<ReviewsRepository, 'overlapping'>,
    private readonly completeness: Pick<CompletenessService, 'ofSites'>,
  ) {}

  async gather(month: string, nowMs: number): Promise<MonthlyInput> {
    const days = daysOfMonth(month);
    const first = days[0]!;
    const last = days[days.length - 1]!;
    const startMs = dayStartMs(first, this.tz);
    const endMs = dayStartMs(addDays(last, 1), this.tz);
    const means = (kind: SiteKind, metrics: readonly string[]): Promise<DailyFigures> => this.dailyMeans.of(kind, metrics, first, last);
    const [air, wwtp, river, sea, pump, gas, port, ebike, alerts, events, reviews, completeness] = await Promise.all([
      this.aqi.dailyAll(first, last),
      means('wwtp', WWTP_METRICS),
      means('river', RIVER_CLASS_INDICATORS),
      means('seawater', SEA_CLASS_INDICATORS),
      means('pump_station', ['pump_fault', 'wet_well_level_m']),
      means('gas_point', ['ch4_lel_pct']),
      means('fishing_port', ['wind_level']),
      means('ebike_charging', ['temp_c']),
      this.alertFigures.openedBetween(startMs, endMs),
      this.events(startMs, endMs),
      this.reviews.overlapping(null, startMs, endMs),
      this.stationCompleteness(first, last, nowMs),
    ]);
    const sitesOf = (kind: SiteKind, figures: DailyFigures): { site: SiteName; meta: SiteMeta; days: SiteDays }[] =>
      this.registry.ofKind(kind).map((s) => ({ site: nameOf(s), meta: s, days: figures.get(s.key) ?? new Map() }));
    const plain = (kind: SiteKind, figures: DailyFigures): { site: SiteName; days: SiteDays }[] => sitesOf(kind, figures).map(({ site, days: d }) => ({ site, days: d }));
    return {
      month,
      days,
      complete: nowMs >= endMs,
      asOfMs: Math.min(nowMs, endMs),
      tz: this.tz,
      air: { version: aqiVersionFor(startMs), district: air.district, stations: air.stations.map((s) => ({ site: nameOf(s.site), days: s.days })) },
      wwtp: sitesOf('wwtp', wwtp).map(({ site, meta, days: d }) => ({ site, builtFrom2006: meta.params.built_after_2006 !== false, days: d })),
      rivers: sitesOf('river', river).map(({ site, meta, days: d }) => ({ site, target: target(meta), days: d })),
      sea: sitesOf('seawater', sea).map(({ site, meta, days: d }) => ({ site, target: target(meta), days: d })),
      pumps: plain('pump_station', pump),
      gas: plain('gas_point', gas),
      ports: plain('fishing_port', port),
      ebike: plain('ebike_charging', ebike),
      alerts,
      events,
      reviews,
      completeness,
    };
  }

  /** The air and water stations' days, from one query for all of them. */
  private async stationCompleteness(first: string, last: string, nowMs: number): Promise<StationCompletenessInput[]> {
    const stations = COMPLETENESS_KINDS.flatMap((kind) => this.registry.ofKind(kind).map((meta) => ({ kind, meta })));
    const days = await this.completeness.ofSites(stations.map((s) => s.meta), first, last, nowMs);
    return stations.map(({ kind, meta }) => ({ site: nameOf(meta), kind, interval: siteInterval(meta), days: days.get(meta.key) ?? [] }));
  }

  private events(startMs: number, endMs: number): Promise<EventCount[]> {
    const keys = [...this.registry.ofKind('fishing_port'), ...this.registry.ofKind('pump_station')].map((s) => s.key);
    return this.eventsRepo.countsBySiteAndType(keys, startMs, endMs);
  }
}
