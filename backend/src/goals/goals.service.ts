import { metricFor } from '@tidewatch/contracts';
import { DailyMeans, meansOf } from '../sites/daily-means.js';
import type { AqiService, DailyAqiDay } from '../air/aqi.service.js';
import type { AlertFiguresRepository } from '../alerts/alert-figures.repository.js';
import type { EventsRepository } from '../sites/events.repository.js';
import type { RollupsRepository } from '../sites/rollups.repository.js';
import { dayStartMs, localDate } from '../common/district-time.js';
import type { SiteRegistry } from '../sites/site-registry.js';
import { compositeIndex, goodDaysRatio, type CompositeDay } from '../standards/composite.js';
import { aqiVersionFor } from '../standards/aqi.js';
import { EFFLUENT_METRICS, effluentCompliance, isGoodSeawater, SEA_CLASS_INDICATORS, seawaterClass } from '../standards/water.js';

export interface Goal {
  id: string;
  name_zh: string;
  name_en: string;
  /** The figures, each with its unit ('ratio' is a fraction 0–1). */
  figures: { key: string; label_zh: string; label_en: string; value: number | null; unit: string }[];
  target_zh: string;
  target_en: string;
  /** Whether the target is met now (null: not enough data). */
  met: boolean | null;
  /** The same figure a year ago or last month, where the goal compares with it. */
  trend?: { key: string; previous: number | null; better: boolean | null };
}

export interface GoalsReport {
  as_of: string;
  period: { year_from: string; month_from: string; to: string };
  goals: Goal[];
}

const CACHE_MS = 60_000;

function compositeDays(days: DailyAqiDay[]): CompositeDay[] {
  return days.filter((d) => d.aqi !== null).map((d) => ({ ...d.concentrations }));
}

/** The district's published goals (docs/architecture.md §8) as live figures, their targets and trends. */
export class GoalsService {
  private cache: { at: number; report: GoalsReport } | null = null;

  constructor(
    private readonly rollups: RollupsRepository,
    private readonly alertFigures: AlertFiguresRepository,
    private readonly events: EventsRepository,
    private readonly registry: SiteRegistry,
    private readonly aqi: AqiService,
    private readonly dailyMeans: DailyMeans,
    private readonly tz: string,
  ) {}

  async goals(nowMs = Date.now()): Promise<GoalsReport> {
    if (this.cache && nowMs - this.cache.at < CACHE_MS) return this.cache.report;
    const today = localDate(nowMs, this.tz);
    const yearFrom = `${today.slice(0, 4)}-01-01`;
    const monthFrom = `${today.slice(0, 7)}-01`;
    const lastYear = (d: string): string => `${Number(d.slice(0, 4)) - 1}${d.slice(4)}`;
    const goals = await Promise.all([
      this.air(yearFrom, monthFrom, today, lastYear),
      this.sea(yearFrom, today),
      this.wastewater(yearFrom),
      this.sewage(monthFrom, today),
      this.gas(monthFrom),
      this.ports(monthFrom),
      this.ebike(monthFrom),
    ]);
    const report = { as_of: new Date(nowMs).toISOString(), period: { year_from: yearFrom, month_from: monthFrom, to: today }, goals };
    this.cache = { at: nowMs, report };
    return report;
  }

  private async air(yearFrom: string, monthFrom: string, today: string, lastYear: (d: string) => string): Promise<Goal> {
    const [thisYear, prevYear] = await Promise.all([this.aqi.daily(yearFrom, today), this.aqi.daily(lastYear(yearFrom), lastYear(today))]);
    const good = goodDaysRatio(thisYear.map((d) => d.aqi));
    const goodPrev = goodDaysRatio(prevYear.map((d) => d.aqi));
    const version = aqiVersionFor(dayStartMs(today, this.tz));
    const month = compositeIndex(compositeDays(thisYear.filter((d) => d.date >= monthFrom)), version);
    const ytd = compositeIndex(compositeDays(thisYear), version);
    const ytdPrev = compositeIndex(compositeDays(prevYear), version);
    const better = good.ratio === null || goodPrev.ratio === null ? null : good.ratio >= goodPrev.ratio && (ytd.index === null || ytdPrev.index === null || ytd.index <= ytdPrev.index);
    return {
      id: 'air',
      name_zh: '空气质量',
      name_en: 'Air quality',
      figures: [
        { key: 'good_days_ratio', label_zh: '优良天数比例（今年）', label_en: 'Good-days ratio (this year)', value: good.ratio, unit: 'ratio' },
        { key: 'valid_days', label_zh: '有效天数', label_en: 'Valid days', value: good.validDays, unit: 'days' },
        { key: 'composite_month', label_zh: '综合指数（本月）', label_en: 'Composite index (this month)', value: month.index, unit: '' },
        { key: 'composite_ytd', label_zh: '综合指数（今年累计）', label_en: 'Composite index (year to date)', value: ytd.index, unit: '' },
      ],
      target_zh: '优于去年同期',
      target_en: 'Better than the same period last year',
      met: better,
      trend: { key: 'good_days_ratio', previous: goodPrev.ratio, better },
    };
  }

  private async sea(yearFrom: string, today: string): Promise<Goal> {
    const means = await this.dailyMeans.of('seawater', SEA_CLASS_INDICATORS, yearFrom, today);
    let valid = 0;
    let good = 0;
    for (const days of means.values()) {
      for (const v of days.values()) {
        const c = seawaterClass(meansOf(v));
        if (!c) continue;
        valid++;
        if (isGoodSeawater(c)) good++;
      }
    }
    const ratio = valid ? good / valid : null;
    return {
      id: 'sea',
      name_zh: '近岸海域水质',
      name_en: 'Near-shore sea water',
      figures: [{ key: 'good_ratio', label_zh: '优良（一、二类）点位天数比例', label_en: 'Good-quality (class I–II) point-day ratio', value: ratio, unit: 'ratio' }],
      target_zh: '100%',
      target_en: '100 %',
      met: ratio === null ? null : ratio >= 1,
    };
  }

  private async wastewater(yearFrom: string): Promise<Goal> {
    const plants = this.registry.ofKind('wwtp');
    const names = EFFLUENT_METRICS;
    const ids = names.map((m) => metricFor('wwtp', m)!.id);
    const rows = await this.rollups.hourlyMeansSince(plants.map((p) => p.key), ids, dayStartMs(yearFrom, this.tz));
    const hours = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const key = `${r.site_key}:${r.hour.getTime()}`;
      const h = hours.get(key) ?? {};
      h[names[ids.indexOf(r.metric_id)]!] = r.mean;
      hours.set(key, h);
    }
    let judged = 0;
    let compliant = 0;
    for (const [key, v] of hours) {
      const plant = this.registry.byKey(Number(key.split(':')[0]));
      const check = effluentCompliance(v, plant?.params.built_after_2006 !== false);
      if (check.missing.length > 0) continue;
      judged++;
      if (check.compliant) compliant++;
    }
    const ratio = judged ? compliant / judged : null;
    return {
      id: 'wastewater',
      name_zh: '污水处理厂出水',
      name_en: 'Wastewater plant effluent',
      figures: [{ key: 'compliant_hours_ratio', label_zh: '一级A达标小时比例（今年）', label_en: 'Share of hours meeting class 1A (this year)', value: ratio, unit: 'ratio' }],
      target_zh: '100%',
      target_en: '100 %',
      met: ratio === null ? null : ratio >= 1,
    };
  }

  private async sewage(monthFrom: string, today: string): Promise<Goal> {
    const means = await this.dailyMeans.of('pump_station', ['pump_fault'], monthFrom, today);
    const faults: number[] = [];
    for (const days of means.values()) for (const v of days.values()) if (v.pump_fault !== undefined) faults.push(v.pump_fault.mean);
    const availability = faults.length ? 1 - faults.reduce((a, b) => a + b, 0) / faults.length : null;
    const overflow = await this.alertFigures.countOpenedSince('pump-level', dayStartMs(monthFrom, this.tz));
    return {
      id: 'sewage',
      name_zh: '污水管网',
      name_en: 'Sewage network',
      figures: [
        { key: 'availability', label_zh: '泵站可用率（本月）', label_en: 'Pump station availability (this month)', value: availability, unit: 'ratio' },
        { key: 'overflow_risk_events', label_zh: '溢流风险事件（本月）', label_en: 'Overflow-risk events (this month)', value: overflow, unit: 'count' },
      ],
      target_zh: '可用率≥99.5%；溢流风险事件 0',
      target_en: 'Availability ≥ 99.5 %; 0 overflow-risk events',
      met: availability === null ? null : availability >= 0.995 && overflow === 0,
    };
  }

  private async gas(monthFrom: string): Promise<Goal> {
    const r = await this.alertFigures.gasPoints(dayStartMs(monthFrom, this.tz));
    return {
      id: 'gas',
      name_zh: '燃气安全',
      name_en: 'Gas safety',
      figures: [
        { key: 'open_critical', label_zh: '未关闭紧急告警', label_en: 'Open critical alerts', value: r.open_critical, unit: 'count' },
        { key: 'open_alerts', label_zh: '未关闭告警', label_en: 'Open alerts', value: r.open_all, unit: 'count' },
        { key: 'median_ack_minutes', label_zh: '确认用时中位数（本月）', label_en: 'Median minutes to acknowledge (this month)', value: r.median_ack, unit: 'min' },
      ],
      target_zh: '紧急告警 0；确认用时≤5分钟',
      target_en: '0 open critical; ≤ 5 min to acknowledge',
      met: r.open_critical === 0 && (r.median_ack === null || r.median_ack <= 5),
    };
  }

  private async ports(monthFrom: string): Promise<Goal> {
    const ports = this.registry.ofKind('fishing_port').map((s) => s.key);
    // The same counts as the monthly report, summed over the ports.
    const counts = await this.events.countsBySiteAndType(ports, dayStartMs(monthFrom, this.tz), null);
    const total = (type: string): number => counts.filter((c) => c.type === type).reduce((a, c) => a + c.count, 0);
    const r = { inspections: total('inspection'), hazards: counts.reduce((a, c) => a + c.hazards, 0), rectified: total('rectified') };
    const share = r.hazards ? Math.min(1, r.rectified / r.hazards) : null;
    return {
      id: 'ports',
      name_zh: '渔港安全',
      name_en: 'Fishing ports',
      figures: [
        { key: 'inspections', label_zh: '本月检查', label_en: 'Inspections this month', value: r.inspections, unit: 'count' },
        { key: 'hazards', label_zh: '发现隐患', label_en: 'Hazards found', value: r.hazards, unit: 'count' },
        { key: 'rectified_ratio', label_zh: '隐患整改率（动态清零）', label_en: 'Share rectified ("dynamic zeroing")', value: share, unit: 'ratio' },
      ],
      target_zh: '隐患100%整改',
      target_en: '100 % rectified',
      met: share === null ? null : share >= 1,
    };
  }

  private async ebike(monthFrom: string): Promise<Goal> {
    const n = await this.alertFigures.countOpenedSince('ebike-fire', dayStartMs(monthFrom, this.tz));
    return {
      id: 'ebike',
      name_zh: '电动自行车充电',
      name_en: 'E-bike charging',
      figures: [{ key: 'fire_risk_alerts', label_zh: '火灾风险告警（本月）', label_en: 'Fire-risk alerts (this month)', value: n, unit: 'count' }],
      target_zh: '0',
      target_en: '0',
      met: n === 0,
    };
  }
}
