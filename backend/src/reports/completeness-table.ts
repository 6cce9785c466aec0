/** The monthly report's data-completeness section (数据完整性 / Data completeness), in one language. */
import type { IntervalSource } from '@tidewatch/contracts';
import type { MonthlyReport } from './monthly-report.js';
import type { Bi, Lang, ReportTable } from './report-document.js';

const T = {
  title: { zh: '数据完整性', en: 'Data completeness' },
  site: { zh: '点位', en: 'Station' },
  kind: { zh: '类型', en: 'Kind' },
  interval: { zh: '上报间隔(分钟)', en: 'Interval (min)' },
  source: { zh: '间隔来源', en: 'Interval from' },
  expected: { zh: '应收数据(条)', en: 'Expected (readings)' },
  received: { zh: '实收数据(条)', en: 'Received (readings)' },
  valid: { zh: '有效数据(条)', en: 'Valid (readings)' },
  capture: { zh: '数据获取率', en: 'Capture rate' },
  validHours: { zh: '有效小时比例', en: 'Valid hours' },
  validDays: { zh: '有效天数(天)', en: 'Valid days' },
  validMonth: { zh: '月度有效', en: 'Valid month' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
} satisfies Record<string, Bi>;

const SOURCE: Record<IntervalSource, Bi> = {
  set: { zh: '设定', en: 'set' },
  learned: { zh: '自动识别', en: 'learned' },
  nominal: { zh: '默认', en: 'nominal' },
};

/** What the section counts, and every station short of the month's validity rule, by name. */
export function completenessNotes(r: MonthlyReport, lang: Lang, name: (s: { name_zh: string; name_en: string }) => string): string[] {
  const c = r.completeness;
  if (!c || c.stations.length === 0) return [];
  const notes = [
    lang === 'zh'
      ? '数据完整性：应收数据按各站上报间隔计算（每个监测项目的一个数值为一条）；有效数据为覆盖45分钟以上、未标记、未经审核判为无效的小时中的数据；获取率=有效数据÷应收数据。'
      : "Data completeness: expected readings follow each station's reporting interval (one metric's value is one reading); valid readings are those in hours covered 45 minutes or more, unflagged and not marked invalid by review; capture rate = valid ÷ expected.",
  ];
  const short = c.stations.filter((s) => !s.valid_month);
  if (short.length > 0) {
    const list = short.map((s) => (lang === 'zh' ? `${name(s)}（${s.valid_days}天）` : `${name(s)} (${s.valid_days} days)`)).join(lang === 'zh' ? '、' : ', ');
    notes.push(
      lang === 'zh'
        ? `${r.complete ? '' : '截至目前，'}以下站点有效天数不足本月有效性要求（${c.min_valid_days}天）：${list}。`
        : `${r.complete ? 'These' : 'So far, these'} stations have fewer valid days than the month's validity rule (${c.min_valid_days}): ${list}.`,
    );
  }
  return notes;
}

/** One row per air and water station; an archive from before the section has none. */
export function completenessTable(
  r: MonthlyReport,
  t: (b: Bi) => string,
  name: (s: { name_zh: string; name_en: string }) => string,
  kindName: (kind: string) => string,
): ReportTable {
  return {
    id: 'data_completeness',
    title: t(T.title),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.kind), type: 'text' },
      { label: t(T.interval), type: 'dec', digits: 1 },
      { label: t(T.source), type: 'text' },
      { label: t(T.expected), type: 'int' },
      { label: t(T.received), type: 'int' },
      { label: t(T.valid), type: 'int' },
      { label: t(T.capture), type: 'pct' },
      { label: t(T.validHours), type: 'pct' },
      { label: t(T.validDays), type: 'int' },
      { label: t(T.validMonth), type: 'text' },
    ],
    rows: (r.completeness?.stations ?? []).map((s) => [
      name(s),
      kindName(s.kind),
      s.interval_s / 60,
      t(SOURCE[s.interval_source]),
      s.expected,
      s.received,
      s.valid,
      s.capture_rate,
      s.valid_hours_share,
      s.valid_days,
      t(s.valid_month ? T.yes : T.no),
    ]),
  };
}
