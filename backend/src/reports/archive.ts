import { dayStartMs, localDate } from '../common/district-time.js';
import type { MonthlyReport } from './monthly-report.js';
import { LATE_REASONS, type ArchiveSaw, type FigureChange, type FigureValue, type LateReason } from '@tidewatch/contracts';
import type { Lang } from './report-document.js';

export { LATE_REASONS, type ArchiveSaw, type FigureChange, type FigureValue, type LateReason, type VersionWhy } from '@tidewatch/contracts';

export function sawOf(report: MonthlyReport, gatheredAtMs: number, reviewedMs: number | null): ArchiveSaw {
  const f = report.safety.fishing_ports;
  const pumpFaults = report.water.pump_stations.reduce((a, p) => a + p.fault_count + p.overflow_risk_events, 0);
  return {
    gathered_at: new Date(gatheredAtMs).toISOString(),
    readings: (report.completeness?.stations ?? []).reduce((a, s) => a + s.received, 0),
    alerts: report.alerts.total,
    events: f.inspections + f.rectified + f.departures + pumpFaults,
    review_marks: (report.review?.active ?? 0) + (report.review?.withdrawn ?? 0),
    reviewed_at: reviewedMs === null ? null : new Date(reviewedMs).toISOString(),
  };
}

/** A month's late data as stored: per reason, the first arrival after the previous archive and the last one. */
export interface LateData {
  reason: LateReason;
  firstMs: number;
  lastMs: number;
}

export interface StaleState {
  stale: boolean;
  /** When the first data the newest version does not hold arrived (ISO), or null. */
  stale_since: string | null;
  stale_reasons: LateReason[];
  /** When the last such data arrived (ISO): the rule waits a quiet period after it. */
  late_data_at: string | null;
}

/**
 * Whether the newest version misses data: late data recorded after its figures were gathered,
 * or a data-review mark created or withdrawn after that.
 */
export function staleState(gatheredAtMs: number, late: readonly LateData[], reviewedMs: number | null): StaleState {
  const after = late.filter((l) => l.lastMs > gatheredAtMs).map((l) => ({ ...l, firstMs: Math.max(l.firstMs, gatheredAtMs) }));
  if (reviewedMs !== null && reviewedMs > gatheredAtMs && !after.some((l) => l.reason === 'review')) after.push({ reason: 'review', firstMs: reviewedMs, lastMs: reviewedMs });
  if (after.length === 0) return { stale: false, stale_since: null, stale_reasons: [], late_data_at: null };
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    stale: true,
    stale_since: iso(Math.min(...after.map((l) => l.firstMs))),
    stale_reasons: LATE_REASONS.filter((r) => after.some((l) => l.reason === r)),
    late_data_at: iso(Math.max(...after.map((l) => l.lastMs))),
  };
}

/** The rule: a stale month is regenerated once no data for it arrived for `quietMs`. */
export function dueByRule(state: StaleState, nowMs: number, quietMs: number): boolean {
  return state.stale && state.late_data_at !== null && nowMs - Date.parse(state.late_data_at) >= quietMs;
}

/** How often the archive check runs: often enough for the quiet period, at most once a minute… at least once a second. */
export function archiveCheckMs(quietMs: number): number {
  return Math.min(60_000, Math.max(1000, Math.floor(quietMs / 4)));
}

/**
 * Readings and events dated before this belong to a month that is archived or archivable
 * (over for a day, docs/contract.md §8): a batch storing any of them marks its month.
 */
export function closedBeforeMs(nowMs: number, tz: string, archiveAfterMs: number): number {
  const thisMonth = `${localDate(nowMs, tz).slice(0, 7)}-01`;
  const thisStart = dayStartMs(thisMonth, tz);
  if (nowMs >= thisStart + archiveAfterMs) return thisStart;
  return dayStartMs(`${localDate(thisStart - 1, tz).slice(0, 7)}-01`, tz);
}

/** The district month YYYY-MM of an instant. */
export function monthOf(ms: number, tz: string): string {
  return localDate(ms, tz).slice(0, 7);
}

/** [start, end) of a district month. */
export function monthRangeMs(month: string, tz: string): [number, number] {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
  return [dayStartMs(`${month}-01`, tz), dayStartMs(`${next}-01`, tz)];
}

// ——— differences between versions ———

export interface HeadlineFigure {
  key: string;
  zh: string;
  en: string;
  value: FigureValue;
}
/** The headline figures of a report, each with a stable key and its names: what a diff compares. */
export function headline(r: MonthlyReport): HeadlineFigure[] {
  const out: HeadlineFigure[] = [];
  const add = (key: string, zh: string, en: string, value: FigureValue | undefined): void => {
    out.push({ key, zh, en, value: value ?? null });
  };
  const d = r.air.district;
  add('air.valid_days', '全区空气质量有效天数', 'District air: valid days', d.valid_days);
  add('air.good_days', '全区优良天数', 'District air: good days', d.good_days);
  add('air.good_days_ratio', '全区优良天数比例', 'District air: good-days ratio', d.good_days_ratio);
  add('air.valid_month', '全区空气质量月度数据有效', 'District air: month valid', d.valid_month);
  add('air.composite_index', '综合指数', 'Composite index', d.composite_index);
  for (const s of r.air.stations) {
    add(`air.${s.site}.valid_days`, `${s.name_zh} 有效天数`, `${s.name_en}: valid days`, s.valid_days);
    add(`air.${s.site}.good_days`, `${s.name_zh} 优良天数`, `${s.name_en}: good days`, s.good_days);
  }
  for (const w of r.water.wwtp) {
    add(`wwtp.${w.site}.judged_days`, `${w.name_zh} 评价天数`, `${w.name_en}: judged days`, w.judged_days);
    add(`wwtp.${w.site}.compliant_days`, `${w.name_zh} 达标天数`, `${w.name_en}: compliant days`, w.compliant_days);
    add(`wwtp.${w.site}.compliance_ratio`, `${w.name_zh} 达标率`, `${w.name_en}: compliance ratio`, w.compliance_ratio);
  }
  for (const v of r.water.rivers) add(`river.${v.site}.measured_days`, `${v.name_zh} 监测天数`, `${v.name_en}: measured days`, v.measured_days);
  add('sea.point_days', '近岸海域点位天数', 'Sea: point-days', r.water.sea.point_days);
  add('sea.good_ratio', '近岸海域优良比例', 'Sea: good-quality ratio', r.water.sea.good_ratio);
  const f = r.safety.fishing_ports;
  add('ports.inspections', '渔港检查次数', 'Fishing ports: inspections', f.inspections);
  add('ports.hazards', '渔港隐患数', 'Fishing ports: hazards', f.hazards);
  add('ports.departures', '渔船出港次数', 'Fishing ports: departures', f.departures);
  add('alerts.total', '告警总数', 'Alerts: total', r.alerts.total);
  add('review.active', '有效审核标记', 'Data review: active marks', r.review?.active);
  for (const s of r.completeness?.stations ?? []) {
    add(`completeness.${s.site}.received`, `${s.name_zh} 收到数据条数`, `${s.name_en}: readings received`, s.received);
    add(`completeness.${s.site}.valid_days`, `${s.name_zh} 有效天数（完整性）`, `${s.name_en}: valid days (completeness)`, s.valid_days);
    add(`completeness.${s.site}.valid_month`, `${s.name_zh} 月度数据有效`, `${s.name_en}: month valid`, s.valid_month);
  }
  return out;
}

/** The headline figures that differ between two versions, old → new (a figure absent from one side reads null). */
export function diffReports(from: MonthlyReport, to: MonthlyReport): FigureChange[] {
  const a = new Map(headline(from).map((h) => [h.key, h]));
  const b = new Map(headline(to).map((h) => [h.key, h]));
  const out: FigureChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const names = (y ?? x)!;
    const fromV = x?.value ?? null;
    const toV = y?.value ?? null;
    const same = typeof fromV === 'number' && typeof toV === 'number' ? Math.abs(fromV - toV) < 1e-9 : fromV === toV;
    if (!same) out.push({ key, zh: names.zh, en: names.en, from: fromV, to: toV });
  }
  return out;
}

// ——— the visible line on every format ———

/** The archive state a rendered document states (plain data: it crosses to the render worker). */
export interface ArchiveLine {
  version: number;
  newest_version: number;
  generated_at: string;
  stale: boolean;
  stale_reasons: LateReason[];
  time_zone: string;
}

const REASON_TEXT: Record<LateReason, { zh: string; en: string }> = {
  readings: { zh: '迟到或补传的监测数据', en: 'late or backfilled readings' },
  events: { zh: '迟到的事件', en: 'late events' },
  alerts: { zh: '新的告警', en: 'new alerts' },
  review: { zh: '数据审核', en: 'data review' },
};

export function reasonText(reason: LateReason, lang: Lang): string {
  return REASON_TEXT[reason][lang];
}

/** "YYYY-MM-DD HH:mm" in the district's zone. */
function localTime(iso: string, tz: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** The lines every format shows for an archived version: which version, when, and whether it is superseded or stale. */
export function archiveLines(a: ArchiveLine, lang: Lang): string[] {
  const when = localTime(a.generated_at, a.time_zone);
  const lines: string[] = [];
  if (lang === 'zh') {
    lines.push(`已归档 · 第${a.version}版（共${a.newest_version}版）· 生成于 ${when}`);
    if (a.version < a.newest_version) lines.push(`本版已被第${a.newest_version}版取代，数据以最新版为准。`);
    else if (a.stale) lines.push(`注意：本版归档后又收到本月数据（${a.stale_reasons.map((r) => reasonText(r, 'zh')).join('、')}），数据已过期，将重新生成。`);
  } else {
    lines.push(`Archived · version ${a.version} of ${a.newest_version} · generated ${when}`);
    if (a.version < a.newest_version) lines.push(`Superseded by version ${a.newest_version}: the newest version holds the current figures.`);
    else if (a.stale) lines.push(`Warning: data of this month arrived after this version was archived (${a.stale_reasons.map((r) => reasonText(r, 'en')).join(', ')}): its figures are stale and will be regenerated.`);
  }
  return lines;
}
