/** The monthly report's data-review section (数据审核 / Data review), in one language. */
import { REVIEW_REASON_NAMES } from '@tidewatch/contracts';
import { tzOffsetMs } from '../common/district-time.js';
import type { MonthlyReport } from './monthly-report.js';
import type { Bi, Lang, ReportTable } from './report-document.js';

const T = {
  title: { zh: '数据审核', en: 'Data review' },
  note: { zh: '经数据审核标记为无效的时段（整点小时）不参与上述任何统计；已撤销的标记不再生效。', en: 'Periods marked invalid by data review (whole hours) count in none of the figures above; withdrawn marks no longer apply.' },
  site: { zh: '点位', en: 'Site' },
  metric: { zh: '监测项目', en: 'Metric' },
  all: { zh: '全部项目', en: 'All metrics' },
  period: { zh: '时段', en: 'Period' },
  reason: { zh: '原因', en: 'Reason' },
  remark: { zh: '说明', en: 'Note' },
  by: { zh: '标记人', en: 'Marked by' },
  status: { zh: '状态', en: 'Status' },
  active: { zh: '有效', en: 'Active' },
  withdrawn: { zh: '已撤销', en: 'Withdrawn' },
} satisfies Record<string, Bi>;

/** An instant as YYYY-MM-DD HH:mm in the zone. */
function localTime(iso: string, tz: string): string {
  const ms = Date.parse(iso);
  return new Date(ms + tzOffsetMs(ms, tz)).toISOString().slice(0, 16).replace('T', ' ');
}

export const reviewNote = (lang: Lang): string => T.note[lang];

/** Every mark overlapping the month, periods in the report's zone; withdrawn ones say by whom, when and why. */
export function reviewTable(r: MonthlyReport, t: (b: Bi) => string, name: (s: { name_zh: string; name_en: string }) => string): ReportTable {
  const tz = r.time_zone;
  return {
    id: 'data_review',
    title: t(T.title),
    columns: [T.site, T.metric, T.period, T.reason, T.remark, T.by, T.status].map((c) => ({ label: t(c), type: 'text' as const })),
    rows: (r.review?.marks ?? []).map((m) => [
      name(m),
      m.metric ?? t(T.all),
      `${localTime(m.from, tz)} – ${localTime(m.to, tz)}`,
      t(REVIEW_REASON_NAMES[m.reason]),
      m.note,
      m.created_by,
      m.withdrawn_at === null ? t(T.active) : `${t(T.withdrawn)} (${m.withdrawn_by}, ${localTime(m.withdrawn_at, tz)}: ${m.withdrawn_reason})`,
    ]),
  };
}
