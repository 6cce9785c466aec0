/**
 * The monthly environmental summary report (docs/contract.md §8): pure figures from what the services
 * gathered for one district month. Every format (json, html, pdf, xlsx, csv) renders this.
 */
import { ALERT_SEVERITIES, type AlertSeverity, type DayCompleteness, type IntervalSource, type ReportingInterval } from '@tidewatch/contracts';
import type { DailyAqiDay } from '../air/aqi.service.js';
import type { DayFigure } from '../sites/daily-means.js';
import type { EventCount } from '../sites/event-count.js';
import { compositeIndex, goodDaysRatio } from '../standards/composite.js';
import { MIN_HOURS_PER_DAY, isValidMonth, minValidDaysInMonth } from '../standards/validity.js';
import { EFFLUENT_METRICS, effluentCompliance, gradeOfRoman, isGoodSeawater, RIVER_CLASS_INDICATORS, riverClass, SEA_CLASS_INDICATORS, seawaterClass, type WaterClass } from '../standards/water.js';
import type { AqiVersion } from '../standards/aqi.js';
import type { NamedReviewMark } from '../review/reviews.repository.js';

export interface SiteName {
  site: string;
  name_zh: string;
  name_en: string;
}

/** A day's figures per metric; days with no data are absent. */
export type SiteDays = Map<string, Record<string, DayFigure>>;

export interface AlertFact {
  site: string;
  kind: string;
  rule_id: string;
  severity: AlertSeverity;
  opened_at: number;
  acknowledged_at: number | null;
  resolved_at: number | null;
}

export type { EventCount };

/** The kinds of station whose data completeness the report shows. */
export type CompletenessKind = 'air' | 'wwtp' | 'river' | 'seawater';
export const COMPLETENESS_KINDS: readonly CompletenessKind[] = ['air', 'wwtp', 'river', 'seawater'];

/** One station's reporting interval and its days' completeness (CompletenessService). */
export interface StationCompletenessInput {
  site: SiteName;
  kind: CompletenessKind;
  interval: ReportingInterval;
  days: DayCompleteness[];
}

/** One station's data over the month (for the part of it gone by). */
export interface StationCompleteness extends SiteName {
  kind: CompletenessKind;
  interval_s: number;
  interval_source: IntervalSource;
  /** Readings (one metric's value each), summed over the station's metrics. */
  expected: number;
  received: number;
  valid: number;
  /** valid / expected; null when nothing was expected yet. */
  capture_rate: number | null;
  /** Valid hours over the hours gone by, of all its metrics. */
  valid_hours_share: number | null;
  /** Air: days with a daily AQI; water: days whose judged metrics each have 20 valid hours. */
  valid_days: number;
  /** Whether the valid days reach the month's rule (27, 25 in February). */
  valid_month: boolean;
}

export interface MonthlyInput {
  month: string;
  days: readonly string[];
  complete: boolean;
  asOfMs: number;
  tz: string;
  air: { version: AqiVersion; district: DailyAqiDay[]; stations: { site: SiteName; days: DailyAqiDay[] }[] };
  wwtp: { site: SiteName; builtFrom2006: boolean; days: SiteDays }[];
  rivers: { site: SiteName; target: string | null; days: SiteDays }[];
  sea: { site: SiteName; target: string | null; days: SiteDays }[];
  pumps: { site: SiteName; days: SiteDays }[];
  gas: { site: SiteName; days: SiteDays }[];
  ports: { site: SiteName; days: SiteDays }[];
  ebike: { site: SiteName; days: SiteDays }[];
  /** Alerts opened in the month. */
  alerts: AlertFact[];
  /** Events in the month, counted per site and type. */
  events: EventCount[];
  /** Data-review marks overlapping the month, active and withdrawn. */
  reviews: NamedReviewMark[];
  /** Air and water stations' completeness; none when not gathered. */
  completeness?: StationCompletenessInput[];
}

export interface DailyAqiLine {
  date: string;
  aqi: number | null;
  category: { level: number; zh: string; en: string; colour: string } | null;
  primary: string[];
}

export interface AirSummary {
  valid_days: number;
  good_days: number;
  good_days_ratio: number | null;
}

export interface ClassFigure {
  grade: number;
  roman: string;
  zh: string;
  en: string;
  limiting: string[];
}

export interface MonthlyReport {
  month: string;
  /** False while the month is still running (figures so far). */
  complete: boolean;
  /** Whether any reading, event or alert of the month was found (an empty month is never archived). */
  has_data: boolean;
  as_of: string;
  time_zone: string;
  air: {
    standard: string;
    district: AirSummary & {
      valid_month: boolean;
      composite_index: number | null;
      mean: { pm25: number | null; pm10: number | null; so2: number | null; no2: number | null };
      co_p95: number | null;
      o3_8h_p90: number | null;
      category_days: Record<string, number>;
      daily: DailyAqiLine[];
    };
    stations: (SiteName & AirSummary & { composite_index: number | null; daily: DailyAqiLine[] })[];
  };
  water: {
    wwtp: (SiteName & {
      judged_days: number;
      compliant_days: number;
      compliance_ratio: number | null;
      exceedance_days: number;
      exceedances: { date: string; params: string[] }[];
      mean: Record<string, number | null>;
    })[];
    rivers: (SiteName & { measured_days: number; class: ClassFigure | null; target_class: string | null; meets_target: boolean | null; mean: Record<string, number | null> })[];
    sea: {
      good_ratio: number | null;
      point_days: number;
      good_point_days: number;
      points: (SiteName & { measured_days: number; good_days: number; class: ClassFigure | null; target_class: string | null; meets_target: boolean | null })[];
    };
    pump_stations: (SiteName & { availability: number | null; fault_count: number; overflow_risk_events: number; max_level_m: number | null })[];
  };
  safety: {
    gas: { points: number; alerts: number; critical_alerts: number; lel_alarms: number; max_lel_pct: number | null; max_lel_site: string | null; median_ack_minutes: number | null };
    fishing_ports: {
      inspections: number;
      failed_inspections: number;
      hazards: number;
      rectified: number;
      rectified_ratio: number | null;
      departures: number;
      gale_alerts: number;
      max_wind_level: number | null;
      ports: (SiteName & { inspections: number; hazards: number; rectified: number; departures: number; gale_alerts: number; max_wind_level: number | null })[];
    };
    ebike: { sheds: number; fire_risk_alerts: number; max_temp_c: number | null; max_temp_site: string | null };
  };
  alerts: {
    total: number;
    by_severity: Record<AlertSeverity, number>;
    by_kind: Record<string, number>;
    acknowledged: number;
    resolved: number;
    still_open: number;
    median_ack_minutes: number | null;
    median_resolve_minutes: number | null;
  };
  /** Data review (数据审核): the marks overlapping the month; active ones were left out of every figure above. Absent from reports archived before data review existed. */
  review?: { active: number; withdrawn: number; marks: NamedReviewMark[] };
  /** Data completeness (数据完整性) of the air and water stations. Absent from reports archived before it existed. */
  completeness?: { min_valid_days: number; stations: StationCompleteness[] };
}

/** The plant's class 1A metrics and its flow. */
export const WWTP_METRICS: readonly string[] = [...EFFLUENT_METRICS, 'flow_m3h'];

const round = (v: number | null | undefined, digits: number): number | null => {
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};
const ratio = (part: number, whole: number): number | null => (whole > 0 ? round(part / whole, 4) : null);

/** The median (mean of the middle two for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const x = [...values].sort((a, b) => a - b);
  const mid = Math.floor(x.length / 2);
  return x.length % 2 ? x[mid]! : (x[mid - 1]! + x[mid]!) / 2;
}

/** The reading-weighted mean of a metric over the days that have it. */
export function monthMean(days: SiteDays, metric: string): number | null {
  let sum = 0;
  let n = 0;
  for (const d of days.values()) {
    const f = d[metric];
    if (!f) continue;
    sum += f.mean * f.n;
    n += f.n;
  }
  return n > 0 ? sum / n : null;
}

/** The largest value of a metric over the month. */
export function monthMax(days: SiteDays, metric: string): number | null {
  let max: number | null = null;
  for (const d of days.values()) {
    const f = d[metric];
    if (f && (max === null || f.max > max)) max = f.max;
  }
  return max;
}

/** A day's means of the given metrics, only where the day is valid (≥ 20 valid hours). */
function validMeans(day: Record<string, DayFigure>, metrics: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of metrics) {
    const f = day[m];
    if (f && f.hours >= MIN_HOURS_PER_DAY) out[m] = f.mean;
  }
  return out;
}

function dailyLine(d: DailyAqiDay): DailyAqiLine {
  return {
    date: d.date,
    aqi: d.aqi,
    category: d.category ? { level: d.category.level, zh: d.category.zh, en: d.category.en, colour: d.category.colour } : null,
    primary: d.aqi !== null && d.aqi > 50 ? [...d.primary] : [],
  };
}

function airSummary(days: DailyAqiDay[]): AirSummary {
  const g = goodDaysRatio(days.map((d) => d.aqi));
  return { valid_days: g.validDays, good_days: g.goodDays, good_days_ratio: round(g.ratio, 4) };
}

function composite(days: DailyAqiDay[], version: AqiVersion): ReturnType<typeof compositeIndex> {
  return compositeIndex(days.filter((d) => d.aqi !== null).map((d) => ({ ...d.concentrations })), version);
}

function classFigure(c: WaterClass | null): ClassFigure | null {
  return c ? { grade: c.grade, roman: c.roman, zh: c.zh, en: c.en, limiting: c.limiting } : null;
}

function meetsTarget(c: WaterClass | null, target: string | null): boolean | null {
  const t = target ? gradeOfRoman(target) : null;
  return c === null || t === null ? null : c.grade <= t;
}

const minutesBetween = (from: number, to: number | null): number | null => (to === null ? null : (to - from) / 60_000);

function buildAir(input: MonthlyInput): MonthlyReport['air'] {
  const { version, district, stations } = input.air;
  const c = composite(district, version);
  const summary = airSummary(district);
  const categoryDays: Record<string, number> = {};
  for (const d of district) if (d.category) categoryDays[String(d.category.level)] = (categoryDays[String(d.category.level)] ?? 0) + 1;
  const mean = (k: 'pm25' | 'pm10' | 'so2' | 'no2'): number | null => round(c.concentrations[k] ?? null, 1);
  return {
    standard: `HJ 633-${version}`,
    district: {
      ...summary,
      valid_month: isValidMonth(summary.valid_days, Number(input.month.slice(5, 7))),
      composite_index: round(c.index, 2),
      mean: { pm25: mean('pm25'), pm10: mean('pm10'), so2: mean('so2'), no2: mean('no2') },
      co_p95: round(c.concentrations.co, 2),
      o3_8h_p90: round(c.concentrations.o3, 1),
      category_days: categoryDays,
      daily: district.map(dailyLine),
    },
    stations: stations.map((s) => ({ ...s.site, ...airSummary(s.days), composite_index: round(composite(s.days, version).index, 2), daily: s.days.map(dailyLine) })),
  };
}

function buildWwtp(input: MonthlyInput): MonthlyReport['water']['wwtp'] {
  return input.wwtp.map(({ site, builtFrom2006, days }) => {
    let judged = 0;
    let compliant = 0;
    const exceedances: { date: string; params: string[] }[] = [];
    for (const date of input.days) {
      const day = days.get(date);
      if (!day) continue;
      const check = effluentCompliance(validMeans(day, WWTP_METRICS), builtFrom2006);
      if (check.missing.length > 0) continue; // not a complete, valid day: not judged
      judged++;
      if (check.compliant) compliant++;
      else exceedances.push({ date, params: [...new Set(check.exceedances.map((e) => e.param))] });
    }
    const mean = Object.fromEntries(WWTP_METRICS.map((m) => [m, round(monthMean(days, m), 3)]));
    return { ...site, judged_days: judged, compliant_days: compliant, compliance_ratio: ratio(compliant, judged), exceedance_days: exceedances.length, exceedances, mean };
  });
}

function buildRivers(input: MonthlyInput): MonthlyReport['water']['rivers'] {
  return input.rivers.map(({ site, target, days }) => {
    const mean = Object.fromEntries(RIVER_CLASS_INDICATORS.map((m) => [m, monthMean(days, m)]));
    const c = riverClass(mean);
    return {
      ...site,
      measured_days: days.size,
      class: classFigure(c),
      target_class: target,
      meets_target: meetsTarget(c, target),
      mean: Object.fromEntries(Object.entries(mean).map(([k, v]) => [k, round(v, 3)])),
    };
  });
}

function buildSea(input: MonthlyInput): MonthlyReport['water']['sea'] {
  let pointDays = 0;
  let goodPointDays = 0;
  const points = input.sea.map(({ site, target, days }) => {
    let measured = 0;
    let good = 0;
    for (const day of days.values()) {
      const c = seawaterClass(validMeans(day, SEA_CLASS_INDICATORS));
      if (!c) continue;
      measured++;
      if (isGoodSeawater(c)) good++;
    }
    pointDays += measured;
    goodPointDays += good;
    const c = seawaterClass(Object.fromEntries(SEA_CLASS_INDICATORS.map((m) => [m, monthMean(days, m)])));
    return { ...site, measured_days: measured, good_days: good, class: classFigure(c), target_class: target, meets_target: meetsTarget(c, target) };
  });
  return { good_ratio: ratio(goodPointDays, pointDays), point_days: pointDays, good_point_days: goodPointDays, points };
}

function countAlerts(alerts: readonly AlertFact[], site: string, rule: string): number {
  return alerts.filter((a) => a.site === site && a.rule_id === rule).length;
}

function eventsOf(events: readonly EventCount[], site: string, type: string): EventCount | undefined {
  return events.find((e) => e.site === site && e.type === type);
}

function buildPumps(input: MonthlyInput): MonthlyReport['water']['pump_stations'] {
  return input.pumps.map(({ site, days }) => {
    const faultShare = monthMean(days, 'pump_fault');
    return {
      ...site,
      availability: faultShare === null ? null : round(1 - faultShare, 4),
      fault_count: eventsOf(input.events, site.site, 'pump_fault')?.count ?? 0,
      overflow_risk_events: countAlerts(input.alerts, site.site, 'pump-level'),
      max_level_m: round(monthMax(days, 'wet_well_level_m'), 2),
    };
  });
}

/** The site whose metric reached the highest value in the month. */
function highest(sites: readonly { site: SiteName; days: SiteDays }[], metric: string): { value: number | null; site: string | null } {
  let best: { value: number | null; site: string | null } = { value: null, site: null };
  for (const s of sites) {
    const v = monthMax(s.days, metric);
    if (v !== null && (best.value === null || v > best.value)) best = { value: v, site: s.site.site };
  }
  return best;
}

function buildSafety(input: MonthlyInput): MonthlyReport['safety'] {
  const gasSites = new Set(input.gas.map((g) => g.site.site));
  const gasAlerts = input.alerts.filter((a) => gasSites.has(a.site));
  const lel = highest(input.gas, 'ch4_lel_pct');
  const ports = input.ports.map(({ site, days }) => {
    const insp = eventsOf(input.events, site.site, 'inspection');
    return {
      ...site,
      inspections: insp?.count ?? 0,
      hazards: insp?.hazards ?? 0,
      rectified: eventsOf(input.events, site.site, 'rectified')?.count ?? 0,
      departures: eventsOf(input.events, site.site, 'departure')?.count ?? 0,
      gale_alerts: countAlerts(input.alerts, site.site, 'port-gale'),
      max_wind_level: monthMax(days, 'wind_level'),
      failed: insp?.failed ?? 0,
    };
  });
  const sum = (k: 'inspections' | 'hazards' | 'rectified' | 'departures' | 'gale_alerts' | 'failed'): number => ports.reduce((a, p) => a + p[k], 0);
  const hazards = sum('hazards');
  const temp = highest(input.ebike, 'temp_c');
  const winds = ports.map((p) => p.max_wind_level).filter((v): v is number => v !== null);
  const ebikeSites = new Set(input.ebike.map((e) => e.site.site));
  return {
    gas: {
      points: input.gas.length,
      alerts: gasAlerts.length,
      critical_alerts: gasAlerts.filter((a) => a.severity === 'critical').length,
      lel_alarms: gasAlerts.filter((a) => a.rule_id === 'gas-lel').length,
      max_lel_pct: round(lel.value, 1),
      max_lel_site: lel.site,
      median_ack_minutes: round(median(gasAlerts.flatMap((a) => (a.acknowledged_at === null ? [] : [minutesBetween(a.opened_at, a.acknowledged_at)!]))), 1),
    },
    fishing_ports: {
      inspections: sum('inspections'),
      failed_inspections: sum('failed'),
      hazards,
      rectified: sum('rectified'),
      rectified_ratio: hazards > 0 ? round(Math.min(1, sum('rectified') / hazards), 4) : null,
      departures: sum('departures'),
      gale_alerts: sum('gale_alerts'),
      max_wind_level: winds.length ? Math.max(...winds) : null,
      ports: ports.map(({ failed: _failed, ...p }) => p),
    },
    ebike: {
      sheds: input.ebike.length,
      fire_risk_alerts: input.alerts.filter((a) => ebikeSites.has(a.site) && a.rule_id === 'ebike-fire').length,
      max_temp_c: round(temp.value, 1),
      max_temp_site: temp.site,
    },
  };
}

function buildAlerts(alerts: readonly AlertFact[]): MonthlyReport['alerts'] {
  const bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as Record<AlertSeverity, number>;
  const byKind: Record<string, number> = {};
  for (const a of alerts) {
    bySeverity[a.severity]++;
    byKind[a.kind] = (byKind[a.kind] ?? 0) + 1;
  }
  const ack = alerts.flatMap((a) => (a.acknowledged_at === null ? [] : [minutesBetween(a.opened_at, a.acknowledged_at)!]));
  const res = alerts.flatMap((a) => (a.resolved_at === null ? [] : [minutesBetween(a.opened_at, a.resolved_at)!]));
  return {
    total: alerts.length,
    by_severity: bySeverity,
    by_kind: byKind,
    acknowledged: ack.length,
    resolved: res.length,
    still_open: alerts.length - res.length,
    median_ack_minutes: round(median(ack), 1),
    median_resolve_minutes: round(median(res), 1),
  };
}

function hasData(input: MonthlyInput): boolean {
  const sites = [...input.wwtp, ...input.rivers, ...input.sea, ...input.pumps, ...input.gas, ...input.ports, ...input.ebike];
  return (
    input.air.district.some((d) => Object.keys(d.concentrations).length > 0) ||
    input.air.stations.some((s) => s.days.some((d) => Object.keys(d.concentrations).length > 0)) ||
    sites.some((s) => s.days.size > 0) ||
    input.events.length > 0 ||
    input.alerts.length > 0
  );
}

export function buildMonthlyReport(input: MonthlyInput): MonthlyReport {
  const air = buildAir(input);
  return {
    month: input.month,
    complete: input.complete,
    has_data: hasData(input),
    as_of: new Date(input.asOfMs).toISOString(),
    time_zone: input.tz,
    air,
    water: { wwtp: buildWwtp(input), rivers: buildRivers(input), sea: buildSea(input), pump_stations: buildPumps(input) },
    safety: buildSafety(input),
    alerts: buildAlerts(input.alerts),
    review: buildReview(input.reviews),
    completeness: buildCompleteness(input, air),
  };
}

/** The metrics whose 20 valid hours make a water station's day valid: those its report judges. */
const JUDGED_METRICS: Record<Exclude<CompletenessKind, 'air'>, readonly string[]> = {
  wwtp: EFFLUENT_METRICS,
  river: RIVER_CLASS_INDICATORS,
  seawater: SEA_CLASS_INDICATORS,
};

function waterValidDays(kind: Exclude<CompletenessKind, 'air'>, days: readonly DayCompleteness[]): number {
  return days.filter((d) => JUDGED_METRICS[kind].every((m) => (d.metrics[m]?.valid_hours ?? 0) >= MIN_HOURS_PER_DAY)).length;
}

/**
 * Each station's readings over the month: capture rate valid / expected, the share of valid
 * hours (the days' shares weighted by the readings each expected, so the day under way counts
 * in part), and its valid days in the report's own sense (air: a daily AQI).
 */
function buildCompleteness(input: MonthlyInput, air: MonthlyReport['air']): NonNullable<MonthlyReport['completeness']> {
  const month = Number(input.month.slice(5, 7));
  const airDays = new Map(air.stations.map((s) => [s.site, s.valid_days]));
  const stations = (input.completeness ?? []).map(({ site, kind, interval, days }): StationCompleteness => {
    const sum = (k: 'expected' | 'received' | 'valid'): number => days.reduce((a, d) => a + d[k], 0);
    const expected = sum('expected');
    const validDays = kind === 'air' ? (airDays.get(site.site) ?? 0) : waterValidDays(kind, days);
    return {
      ...site,
      kind,
      interval_s: interval.seconds,
      interval_source: interval.source,
      expected,
      received: sum('received'),
      valid: sum('valid'),
      capture_rate: ratio(sum('valid'), expected),
      valid_hours_share: ratio(days.reduce((a, d) => a + d.valid_share * d.expected, 0), expected),
      valid_days: validDays,
      valid_month: isValidMonth(validDays, month),
    };
  });
  return { min_valid_days: minValidDaysInMonth(month), stations };
}

function buildReview(marks: readonly NamedReviewMark[]): NonNullable<MonthlyReport['review']> {
  const withdrawn = marks.filter((m) => m.withdrawn_at !== null).length;
  return { active: marks.length - withdrawn, withdrawn, marks: [...marks].sort((a, b) => a.from.localeCompare(b.from) || a.id - b.id) };
}
