/**
 * The monthly report as titled tables in one language: what the html, pdf, xlsx and csv forms
 * all print, so that every format shows the same figures.
 */
import type { MonthlyReport } from './monthly-report.js';
import { completenessNotes, completenessTable } from './completeness-table.js';
import { reviewNote, reviewTable } from './review-table.js';

export type { Bi, Cell, ColumnType, Lang, ReportDocument, ReportTable } from './report-document.js';
import type { Bi, Cell, ColumnType, Lang, ReportDocument, ReportTable } from './report-document.js';
const T = {
  title: { zh: '环境质量与公共安全月报', en: 'Monthly environmental and public-safety report' },
  partial: { zh: '本月尚未结束，数据截至', en: 'The month has not ended; figures as of' },
  complete: { zh: '统计截至', en: 'Figures as of' },
  tz: { zh: '日、月按时区统计：', en: 'Days and months counted in the time zone ' },
  ratioNote: { zh: '比例以百分数表示；“—”表示数据不足。', en: 'Ratios as percentages; “—” means not enough data.' },
  districtNote: {
    zh: '全区日AQI由各有效站点的平均浓度计算，而非各站AQI的平均值。',
    en: "The district's daily AQI is computed from the mean concentrations over its valid stations, not from the mean of station AQIs.",
  },
  summary: { zh: '概况', en: 'Summary' },
  item: { zh: '指标', en: 'Item' },
  value: { zh: '数值', en: 'Value' },
  standard: { zh: '评价标准', en: 'Standard' },
  validDays: { zh: '有效天数', en: 'Valid days' },
  goodDays: { zh: '优良天数', en: 'Good days' },
  goodRatio: { zh: '优良天数比例', en: 'Good-days ratio' },
  validMonth: { zh: '月度数据有效', en: 'Valid month' },
  composite: { zh: '综合指数', en: 'Composite index' },
  pm25: { zh: 'PM2.5月均浓度(µg/m³)', en: 'PM2.5 monthly mean (µg/m³)' },
  pm10: { zh: 'PM10月均浓度(µg/m³)', en: 'PM10 monthly mean (µg/m³)' },
  so2: { zh: 'SO2月均浓度(µg/m³)', en: 'SO2 monthly mean (µg/m³)' },
  no2: { zh: 'NO2月均浓度(µg/m³)', en: 'NO2 monthly mean (µg/m³)' },
  co95: { zh: 'CO日均值第95百分位(mg/m³)', en: 'CO 95th percentile of daily means (mg/m³)' },
  o390: { zh: 'O3日最大8小时第90百分位(µg/m³)', en: 'O3 90th percentile of daily max 8-h means (µg/m³)' },
  seaGood: { zh: '近岸海域优良（一、二类）点位天数比例', en: 'Near-shore sea good (class I–II) point-day ratio' },
  wwtpCompliance: { zh: '污水处理厂一级A达标天数比例', en: 'Wastewater plant class 1A compliant-day ratio' },
  pumpAvailability: { zh: '泵站平均可用率', en: 'Mean pump station availability' },
  overflow: { zh: '溢流风险事件', en: 'Overflow-risk events' },
  alertsTotal: { zh: '告警总数', en: 'Alerts' },
  medianAck: { zh: '确认用时中位数(分钟)', en: 'Median minutes to acknowledge' },
  medianResolve: { zh: '处置用时中位数(分钟)', en: 'Median minutes to resolve' },
  yes: { zh: '是', en: 'yes' },
  no: { zh: '否', en: 'no' },
  dailyAqi: { zh: '全区每日空气质量指数', en: 'District daily air quality index' },
  date: { zh: '日期', en: 'Date' },
  aqi: { zh: 'AQI', en: 'AQI' },
  category: { zh: '类别', en: 'Category' },
  primary: { zh: '首要污染物', en: 'Primary pollutant' },
  stations: { zh: '各空气站', en: 'Air stations' },
  site: { zh: '点位', en: 'Site' },
  wwtp: { zh: '污水处理厂出水（GB 18918-2002 一级A，日均值）', en: 'Wastewater plant effluent (GB 18918-2002 class 1A, daily means)' },
  judgedDays: { zh: '评价天数', en: 'Days judged' },
  compliantDays: { zh: '达标天数', en: 'Compliant days' },
  complianceRatio: { zh: '达标率', en: 'Compliance' },
  exceedanceDays: { zh: '超标天数', en: 'Days over limit' },
  exceeded: { zh: '超标项目', en: 'Parameters over limit' },
  rivers: { zh: '河流断面（GB 3838-2002，月均值）', en: 'River sections (GB 3838-2002, monthly means)' },
  sea: { zh: '近岸海域（GB 3097-1997）', en: 'Near-shore sea water (GB 3097-1997)' },
  measuredDays: { zh: '监测天数', en: 'Days measured' },
  goodPointDays: { zh: '优良天数', en: 'Good days' },
  waterClass: { zh: '水质类别', en: 'Class' },
  target: { zh: '目标', en: 'Target' },
  meets: { zh: '达标', en: 'Meets target' },
  limiting: { zh: '定类项目', en: 'Limiting' },
  pumps: { zh: '污水泵站', en: 'Sewage pump stations' },
  availability: { zh: '可用率', en: 'Availability' },
  faults: { zh: '故障次数', en: 'Faults' },
  maxLevel: { zh: '最高液位(m)', en: 'Highest level (m)' },
  safety: { zh: '公共安全', en: 'Public safety' },
  gasPoints: { zh: '燃气监测点', en: 'Gas monitoring points' },
  gasAlerts: { zh: '燃气告警', en: 'Gas alerts' },
  gasCritical: { zh: '燃气紧急告警', en: 'Critical gas alerts' },
  lelAlarms: { zh: '可燃气体报警', en: 'Combustible-gas alarms' },
  maxLel: { zh: '最高可燃气体浓度(%LEL)', en: 'Highest combustible gas (%LEL)' },
  gasAck: { zh: '燃气告警确认用时中位数(分钟)', en: 'Gas alerts: median minutes to acknowledge' },
  inspections: { zh: '渔船检查', en: 'Vessel inspections' },
  failed: { zh: '不合格', en: 'Failed' },
  hazards: { zh: '发现隐患', en: 'Hazards found' },
  rectified: { zh: '已整改', en: 'Rectified' },
  rectifiedRatio: { zh: '隐患整改率（动态清零）', en: 'Share rectified ("dynamic zeroing")' },
  departures: { zh: '出港船次', en: 'Departures' },
  galeAlerts: { zh: '大风告警', en: 'Gale alerts' },
  maxWind: { zh: '最大风力(级)', en: 'Highest wind force (Beaufort)' },
  ebikeSheds: { zh: '电动自行车充电棚', en: 'E-bike charging sheds' },
  fireAlerts: { zh: '火灾风险告警', en: 'Fire-risk alerts' },
  maxTemp: { zh: '充电棚最高温度(°C)', en: 'Highest shed temperature (°C)' },
  ports: { zh: '渔港', en: 'Fishing ports' },
  alerts: { zh: '告警统计（本月新发）', en: 'Alerts opened this month' },
  severity: { zh: '级别', en: 'Severity' },
  count: { zh: '数量', en: 'Count' },
  kind: { zh: '点位类型', en: 'Kind of site' },
  acknowledged: { zh: '已确认', en: 'Acknowledged' },
  resolved: { zh: '已处置', en: 'Resolved' },
  stillOpen: { zh: '未关闭', en: 'Still open' },
} satisfies Record<string, Bi>;

const SEVERITY: Record<string, Bi> = {
  critical: { zh: '紧急', en: 'Critical' },
  major: { zh: '重要', en: 'Major' },
  minor: { zh: '次要', en: 'Minor' },
  warning: { zh: '提示', en: 'Warning' },
};
const KIND: Record<string, Bi> = {
  air: { zh: '空气站', en: 'Air station' },
  pump_station: { zh: '污水泵站', en: 'Pump station' },
  wwtp: { zh: '污水处理厂', en: 'Wastewater plant' },
  river: { zh: '河流', en: 'River' },
  seawater: { zh: '近岸海域', en: 'Sea water' },
  gas_point: { zh: '燃气', en: 'Gas' },
  fishing_port: { zh: '渔港', en: 'Fishing port' },
  ebike_charging: { zh: '电动自行车充电', en: 'E-bike charging' },
};
const PARAM: Record<string, string> = {
  so2: 'SO2', no2: 'NO2', co: 'CO', pm10: 'PM10', pm25: 'PM2.5', o3: 'O3',
  cod_mgl: 'COD', nh3n_mgl: 'NH3-N', tn_mgl: 'TN', tp_mgl: 'TP', ss_mgl: 'SS', ph: 'pH', do_mgl: 'DO', codmn_mgl: 'CODMn',
  din_mgl: 'DIN', dip_mgl: 'DIP', oil_mgl: 'Oil',
};

const param = (p: string): string => PARAM[p] ?? p;

export function reportDocument(r: MonthlyReport, lang: Lang, district: Bi): ReportDocument {
  const t = (b: Bi): string => b[lang];
  const yes = (v: boolean | null): Cell => (v === null ? null : t(v ? T.yes : T.no));
  const name = (s: { name_zh: string; name_en: string }): string => (lang === 'zh' ? s.name_zh : s.name_en);
  const kindName = (k: string): string => (KIND[k] ? t(KIND[k]) : k);
  const [y, m] = r.month.split('-');
  const monthText = lang === 'zh' ? `${y}年${Number(m)}月` : new Date(Date.UTC(Number(y), Number(m) - 1, 1)).toLocaleString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  const asOf = new Date(r.as_of).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: r.time_zone, dateStyle: 'medium', timeStyle: 'short' });
  const d = r.air.district;
  const wwtpJudged = r.water.wwtp.reduce((a, w) => a + w.judged_days, 0);
  const wwtpCompliant = r.water.wwtp.reduce((a, w) => a + w.compliant_days, 0);
  const avail = r.water.pump_stations.map((p) => p.availability).filter((v): v is number => v !== null);
  const kv = (label: Bi, value: Cell, type: ColumnType = 'dec', digits?: number): { label: string; value: Cell; type: ColumnType; digits?: number } => ({ label: t(label), value, type, digits });
  const summaryItems = [
    kv(T.standard, r.air.standard, 'text'),
    kv(T.validDays, d.valid_days, 'int'),
    kv(T.goodDays, d.good_days, 'int'),
    kv(T.goodRatio, d.good_days_ratio, 'pct'),
    kv(T.validMonth, yes(d.valid_month), 'text'),
    kv(T.composite, d.composite_index, 'dec', 2),
    kv(T.pm25, d.mean.pm25, 'dec', 1),
    kv(T.pm10, d.mean.pm10, 'dec', 1),
    kv(T.so2, d.mean.so2, 'dec', 1),
    kv(T.no2, d.mean.no2, 'dec', 1),
    kv(T.co95, d.co_p95, 'dec', 2),
    kv(T.o390, d.o3_8h_p90, 'dec', 1),
    kv(T.seaGood, r.water.sea.good_ratio, 'pct'),
    kv(T.wwtpCompliance, wwtpJudged ? wwtpCompliant / wwtpJudged : null, 'pct'),
    kv(T.pumpAvailability, avail.length ? avail.reduce((a, b) => a + b, 0) / avail.length : null, 'pct'),
    kv(T.overflow, r.water.pump_stations.reduce((a, p) => a + p.overflow_risk_events, 0), 'int'),
    kv(T.alertsTotal, r.alerts.total, 'int'),
    kv(T.medianAck, r.alerts.median_ack_minutes, 'dec', 1),
    kv(T.medianResolve, r.alerts.median_resolve_minutes, 'dec', 1),
  ];
  // A key–value table whose value column mixes types: each row says its own type.
  const summary: ReportTable = {
    id: 'summary',
    title: t(T.summary),
    columns: [
      { label: t(T.item), type: 'text' },
      { label: t(T.value), type: 'text' },
    ],
    rows: summaryItems.map((i) => [i.label, formatCell(i.value, i.type, i.digits)]),
  };
  const categoryText = (c: { zh: string; en: string } | null): Cell => (c ? t(c) : null);
  const daily: ReportTable = {
    id: 'daily_aqi',
    title: t(T.dailyAqi),
    columns: [
      { label: t(T.date), type: 'text' },
      { label: t(T.aqi), type: 'int' },
      { label: t(T.category), type: 'text' },
      { label: t(T.primary), type: 'text' },
    ],
    rows: d.daily.map((x) => [x.date, x.aqi, categoryText(x.category), x.primary.map(param).join(', ') || null]),
    colours: d.daily.map((x) => x.category?.colour ?? null),
  };
  const stations: ReportTable = {
    id: 'air_stations',
    title: t(T.stations),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.validDays), type: 'int' },
      { label: t(T.goodDays), type: 'int' },
      { label: t(T.goodRatio), type: 'pct' },
      { label: t(T.composite), type: 'dec', digits: 2 },
    ],
    rows: r.air.stations.map((s) => [name(s), s.valid_days, s.good_days, s.good_days_ratio, s.composite_index]),
  };
  const wwtp: ReportTable = {
    id: 'wwtp',
    title: t(T.wwtp),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.judgedDays), type: 'int' },
      { label: t(T.compliantDays), type: 'int' },
      { label: t(T.complianceRatio), type: 'pct' },
      { label: t(T.exceedanceDays), type: 'int' },
      { label: 'COD', type: 'dec', digits: 1 },
      { label: 'NH3-N', type: 'dec', digits: 2 },
      { label: 'TN', type: 'dec', digits: 2 },
      { label: 'TP', type: 'dec', digits: 3 },
      { label: 'SS', type: 'dec', digits: 1 },
      { label: 'pH', type: 'dec', digits: 2 },
      { label: t(T.exceeded), type: 'text' },
    ],
    rows: r.water.wwtp.map((w) => [
      name(w), w.judged_days, w.compliant_days, w.compliance_ratio, w.exceedance_days,
      w.mean.cod_mgl ?? null, w.mean.nh3n_mgl ?? null, w.mean.tn_mgl ?? null, w.mean.tp_mgl ?? null, w.mean.ss_mgl ?? null, w.mean.ph ?? null,
      w.exceedances.map((e) => `${e.date.slice(5)} ${e.params.map(param).join('/')}`).join('; ') || null,
    ]),
  };
  const cls = (c: { zh: string; en: string } | null): Cell => (c ? t(c) : null);
  const rivers: ReportTable = {
    id: 'rivers',
    title: t(T.rivers),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.measuredDays), type: 'int' },
      { label: t(T.waterClass), type: 'text' },
      { label: t(T.target), type: 'text' },
      { label: t(T.meets), type: 'text' },
      { label: t(T.limiting), type: 'text' },
    ],
    rows: r.water.rivers.map((w) => [name(w), w.measured_days, cls(w.class), w.target_class, yes(w.meets_target), w.class?.limiting.map(param).join(', ') ?? null]),
  };
  const sea: ReportTable = {
    id: 'sea',
    title: t(T.sea),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.measuredDays), type: 'int' },
      { label: t(T.goodPointDays), type: 'int' },
      { label: t(T.waterClass), type: 'text' },
      { label: t(T.target), type: 'text' },
      { label: t(T.meets), type: 'text' },
    ],
    rows: r.water.sea.points.map((p) => [name(p), p.measured_days, p.good_days, cls(p.class), p.target_class, yes(p.meets_target)]),
  };
  const pumps: ReportTable = {
    id: 'pump_stations',
    title: t(T.pumps),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.availability), type: 'pct' },
      { label: t(T.faults), type: 'int' },
      { label: t(T.overflow), type: 'int' },
      { label: t(T.maxLevel), type: 'dec', digits: 2 },
    ],
    rows: r.water.pump_stations.map((p) => [name(p), p.availability, p.fault_count, p.overflow_risk_events, p.max_level_m]),
  };
  const g = r.safety.gas;
  const f = r.safety.fishing_ports;
  const e = r.safety.ebike;
  const safetyItems = [
    kv(T.gasPoints, g.points, 'int'),
    kv(T.gasAlerts, g.alerts, 'int'),
    kv(T.gasCritical, g.critical_alerts, 'int'),
    kv(T.lelAlarms, g.lel_alarms, 'int'),
    kv(T.maxLel, g.max_lel_pct, 'dec', 1),
    kv(T.gasAck, g.median_ack_minutes, 'dec', 1),
    kv(T.inspections, f.inspections, 'int'),
    kv(T.failed, f.failed_inspections, 'int'),
    kv(T.hazards, f.hazards, 'int'),
    kv(T.rectified, f.rectified, 'int'),
    kv(T.rectifiedRatio, f.rectified_ratio, 'pct'),
    kv(T.departures, f.departures, 'int'),
    kv(T.galeAlerts, f.gale_alerts, 'int'),
    kv(T.maxWind, f.max_wind_level, 'int'),
    kv(T.ebikeSheds, e.sheds, 'int'),
    kv(T.fireAlerts, e.fire_risk_alerts, 'int'),
    kv(T.maxTemp, e.max_temp_c, 'dec', 1),
  ];
  const safety: ReportTable = {
    id: 'safety',
    title: t(T.safety),
    columns: [
      { label: t(T.item), type: 'text' },
      { label: t(T.value), type: 'text' },
    ],
    rows: safetyItems.map((i) => [i.label, formatCell(i.value, i.type, i.digits)]),
  };
  const ports: ReportTable = {
    id: 'fishing_ports',
    title: t(T.ports),
    columns: [
      { label: t(T.site), type: 'text' },
      { label: t(T.inspections), type: 'int' },
      { label: t(T.hazards), type: 'int' },
      { label: t(T.rectified), type: 'int' },
      { label: t(T.departures), type: 'int' },
      { label: t(T.galeAlerts), type: 'int' },
      { label: t(T.maxWind), type: 'int' },
    ],
    rows: f.ports.map((p) => [name(p), p.inspections, p.hazards, p.rectified, p.departures, p.gale_alerts, p.max_wind_level]),
  };
  const a = r.alerts;
  const alerts: ReportTable = {
    id: 'alerts',
    title: t(T.alerts),
    columns: [
      { label: t(T.item), type: 'text' },
      { label: t(T.count), type: 'int' },
    ],
    rows: [
      ...Object.entries(a.by_severity).map(([k, v]): Cell[] => [`${t(T.severity)}: ${SEVERITY[k] ? t(SEVERITY[k]) : k}`, v]),
      ...Object.entries(a.by_kind).map(([k, v]): Cell[] => [`${t(T.kind)}: ${kindName(k)}`, v]),
      [t(T.acknowledged), a.acknowledged],
      [t(T.resolved), a.resolved],
      [t(T.stillOpen), a.still_open],
    ],
  };
  const notes = [
    `${t(r.complete ? T.complete : T.partial)} ${asOf}`,
    `${t(T.tz)}${r.time_zone}`,
    t(T.districtNote),
    t(T.ratioNote),
    reviewNote(lang),
    ...completenessNotes(r, lang, name),
  ];
  return {
    lang,
    title: `${t(district)} ${t(T.title)}`,
    subtitle: monthText,
    notes,
    tables: [summary, daily, stations, wwtp, rivers, sea, pumps, safety, ports, alerts, completenessTable(r, t, name, kindName), reviewTable(r, t, name)],
    dailyAqi: d.daily.map((x) => ({ date: x.date, aqi: x.aqi, colour: x.category?.colour ?? null })),
  };
}

/** A cell as text: percentages with one decimal, decimals to their digits, "—" for no data. */
export function formatCell(v: Cell, type: ColumnType, digits = 2): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'string') return v;
  switch (type) {
    case 'pct':
      return `${(v * 100).toFixed(1)}%`;
    case 'int':
      return String(Math.round(v));
    case 'dec':
      return v.toFixed(digits);
    default:
      return String(v);
  }
}
