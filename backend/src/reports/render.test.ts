import { existsSync } from 'node:fs';
import type { DayCompleteness } from '@tidewatch/contracts';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DailyAqiDay } from '../air/aqi.service.js';
import { dailyAqiOn, type DailyStats } from '../standards/aqi-index.js';
import { buildMonthlyReport, type MonthlyReport } from './monthly-report.js';
import { daysOfMonth } from './report-sources.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { columnWidths, renderPdf, reportFontProblem, resolveReportFont } from './render-pdf.js';
import { renderXlsx } from './render-xlsx.js';
import { formatCell, reportDocument } from './report-tables.js';

const DISTRICT = { zh: '大连高新区', en: 'Dalian High-tech Zone' };

function aqiDay(date: string, stats: DailyStats): DailyAqiDay {
  const r = dailyAqiOn(date, stats);
  return { date, standard: `HJ 633-${r.version}`, ...r, concentrations: stats };
}

/** A station's day with one metric: `valid` of `received` of `expected` readings valid, in `hours` valid hours. */
function cday(date: string, expected: number, received: number, valid: number, hours: number): DayCompleteness {
  const m = { expected, received, valid, valid_hours: hours };
  return { date, ...m, valid_share: hours / 24, metrics: { pm25: m } };
}

function sample(): MonthlyReport {
  const month = '2026-10';
  const days = daysOfMonth(month);
  const district = days.map((d, i) => aqiDay(d, i < 20 ? { so2: 8, no2: 20, co: 0.6, pm10: 40, pm25: 20, o3_8h_max: 90 } : i < 28 ? { so2: 20, no2: 50, co: 1.4, pm10: 150, pm25: 120, o3_8h_max: 120 } : {}));
  const f = (mean: number): { mean: number; max: number; n: number; hours: number } => ({ mean, max: mean, n: 1440, hours: 24 });
  return buildMonthlyReport({
    month,
    days,
    complete: true,
    asOfMs: Date.parse('2026-10-31T16:00:00Z'),
    tz: 'Asia/Shanghai',
    air: { version: '2026', district, stations: [{ site: { site: 'air-a', name_zh: '凌水<空气站>', name_en: 'Lingshui <air>' }, days: district }] },
    wwtp: [{ site: { site: 'wwtp-a', name_zh: '河口污水处理厂', name_en: 'Hekou WWTP' }, builtFrom2006: true, days: new Map([['2026-10-01', { cod_mgl: f(60), nh3n_mgl: f(1), tn_mgl: f(9), tp_mgl: f(0.2), ss_mgl: f(5), ph: f(7), water_temp_c: f(18) }]]) }],
    rivers: [],
    sea: [],
    pumps: [{ site: { site: 'p', name_zh: '泵站', name_en: 'Pump' }, days: new Map([['2026-10-01', { pump_fault: f(0.1) }]]) }],
    gas: [],
    ports: [],
    ebike: [],
    alerts: [],
    events: [],
    reviews: [
      { id: 2, site: 'air-a', name_zh: '凌水<空气站>', name_en: 'Lingshui <air>', metric: 'pm25', from: '2026-10-05T16:00:00.000Z', to: '2026-10-06T02:00:00.000Z', reason: 'instrument_fault', note: null, created_by: 'op', created_at: '2026-11-03T01:00:00.000Z', withdrawn_by: null, withdrawn_at: null, withdrawn_reason: null },
      { id: 1, site: 'air-a', name_zh: '凌水<空气站>', name_en: 'Lingshui <air>', metric: null, from: '2026-10-01T16:00:00.000Z', to: '2026-10-02T16:00:00.000Z', reason: 'other', note: '施工扬尘', created_by: 'op', created_at: '2026-11-02T01:00:00.000Z', withdrawn_by: 'boss', withdrawn_at: '2026-11-02T02:30:00.000Z', withdrawn_reason: 'not dust' },
    ],
    completeness: [
      // 28 whole days and 3 silent ones: 8 064 of 8 928 readings, 90.3 %.
      { site: { site: 'air-a', name_zh: '凌水<空气站>', name_en: 'Lingshui <air>' }, kind: 'air', interval: { seconds: 300, source: 'learned' }, days: days.map((d, i) => (i < 28 ? cday(d, 288, 288, 288, 24) : cday(d, 288, 0, 0, 0))) },
      { site: { site: 'river-a', name_zh: '马栏河断面', name_en: 'Malan River section' }, kind: 'river', interval: { seconds: 3600, source: 'set' }, days: days.map((d) => cday(d, 24, 24, 0, 0)) },
    ],
  });
}

describe('report tables', () => {
  it('speak Chinese or English, with every row as wide as its header', () => {
    const zh = reportDocument(sample(), 'zh', DISTRICT);
    expect(zh.title).toBe('大连高新区 环境质量与公共安全月报');
    expect(zh.subtitle).toBe('2026年10月');
    expect(zh.tables.map((t) => t.id)).toEqual(['summary', 'daily_aqi', 'air_stations', 'wwtp', 'rivers', 'sea', 'pump_stations', 'safety', 'fishing_ports', 'alerts', 'data_completeness', 'data_review']);
    for (const t of zh.tables) for (const r of t.rows) expect(r).toHaveLength(t.columns.length);
    expect(zh.tables[0]!.rows).toContainEqual(['优良天数比例', '71.4%']); // 20 of 28 valid days
    expect(zh.tables[3]!.rows[0]!.at(-1)).toBe('10-01 COD');
    const en = reportDocument(sample(), 'en', DISTRICT);
    expect(en.subtitle).toBe('October 2026');
    expect(en.tables[0]!.rows).toContainEqual(['Good-days ratio', '71.4%']);
    expect(en.notes.join(' ')).toContain('mean concentrations over its valid stations');
  });

  it('format cells: percentages, integers, decimals and a dash for no data', () => {
    expect(formatCell(0.71428, 'pct')).toBe('71.4%');
    expect(formatCell(1, 'pct')).toBe('100.0%');
    expect(formatCell(3.6, 'int')).toBe('4');
    expect(formatCell(3.14159, 'dec', 2)).toBe('3.14');
    expect(formatCell(null, 'dec')).toBe('—');
    expect(formatCell('是', 'text')).toBe('是');
  });
});

describe('the data-review section', () => {
  it('lists the month’s marks in district time, oldest period first, withdrawn ones said so, in zh and en', () => {
    const r = sample();
    expect(r.review).toMatchObject({ active: 1, withdrawn: 1 });
    const zh = reportDocument(r, 'zh', DISTRICT).tables.find((t) => t.id === 'data_review')!;
    expect(zh.title).toBe('数据审核');
    expect(zh.rows).toEqual([
      ['凌水<空气站>', '全部项目', '2026-10-02 00:00 – 2026-10-03 00:00', '其他', '施工扬尘', 'op', '已撤销 (boss, 2026-11-02 10:30: not dust)'],
      ['凌水<空气站>', 'pm25', '2026-10-06 00:00 – 2026-10-06 10:00', '仪器故障', null, 'op', '有效'],
    ]);
    const en = reportDocument(r, 'en', DISTRICT).tables.find((t) => t.id === 'data_review')!;
    expect(en.title).toBe('Data review');
    expect(en.rows[1]).toEqual(['Lingshui <air>', 'pm25', '2026-10-06 00:00 – 2026-10-06 10:00', 'Instrument fault', null, 'op', 'Active']);
  });

  it('is empty for a report archived before data review existed', () => {
    const { review: _, ...old } = sample();
    expect(reportDocument(old, 'zh', DISTRICT).tables.find((t) => t.id === 'data_review')!.rows).toEqual([]);
  });
});

describe('the data-completeness section', () => {
  it('one row per station with its interval in minutes, counts, rates and valid days; a short station is named in the notes, in zh and en', () => {
    const zh = reportDocument(sample(), 'zh', DISTRICT);
    const table = zh.tables.find((t) => t.id === 'data_completeness')!;
    expect(table.title).toBe('数据完整性');
    expect(table.columns.map((c) => c.label)).toEqual(['点位', '类型', '上报间隔(分钟)', '间隔来源', '应收数据(条)', '实收数据(条)', '有效数据(条)', '数据获取率', '有效小时比例', '有效天数(天)', '月度有效']);
    expect(table.rows).toEqual([
      ['凌水<空气站>', '空气站', 5, '自动识别', 8928, 8064, 8064, 0.9032, 0.9032, 28, '是'],
      ['马栏河断面', '河流', 60, '设定', 744, 744, 0, 0, 0, 0, '否'],
    ]);
    expect(zh.notes).toContain('以下站点有效天数不足本月有效性要求（27天）：马栏河断面（0天）。');
    const en = reportDocument(sample(), 'en', DISTRICT);
    expect(en.tables.find((t) => t.id === 'data_completeness')!.columns.map((c) => c.label).slice(2, 5)).toEqual(['Interval (min)', 'Interval from', 'Expected (readings)']);
    expect(en.notes).toContain("These stations have fewer valid days than the month's validity rule (27): Malan River section (0 days).");
  });

  it('is empty, with no notes of its own, for a report archived before the section existed', () => {
    const { completeness: _, ...old } = sample();
    const doc = reportDocument(old, 'en', DISTRICT);
    expect(doc.tables.find((t) => t.id === 'data_completeness')!.rows).toEqual([]);
    expect(doc.notes.join(' ')).not.toContain('validity rule');
  });

  it('csv and xlsx carry its figures as numbers', async () => {
    const lines = renderCsv(reportDocument(sample(), 'en', DISTRICT)).split('\r\n');
    expect(lines).toContain('Station,Kind,Interval (min),Interval from,Expected (readings),Received (readings),Valid (readings),Capture rate (%),Valid hours (%),Valid days,Valid month');
    expect(lines).toContain('Lingshui <air>,Air station,5,learned,8928,8064,8064,90.3,90.3,28,yes');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await renderXlsx(reportDocument(sample(), 'zh', DISTRICT))) as unknown as ArrayBuffer);
    const row = wb.getWorksheet('数据完整性')!.getRow(4);
    expect([row.getCell(3).value, row.getCell(5).value, row.getCell(8).value]).toEqual([5, 8928, 0.9032]);
    expect(row.getCell(8).numFmt).toBe('0.0%');
  });
});

describe('report formats', () => {
  it('html: a whole document in the chosen language, escaped, with the daily AQI chart', () => {
    const html = renderHtml(reportDocument(sample(), 'zh', DISTRICT));
    expect(html).toMatch(/^<!doctype html>\n<html lang="zh-CN">/);
    expect(html).toContain('<title>大连高新区 环境质量与公共安全月报 2026年10月</title>');
    expect(html).toContain('凌水&lt;空气站&gt;');
    expect(html).not.toContain('凌水<空气站>');
    expect(html.match(/<rect /g)).toHaveLength(28); // one bar per day with an AQI
    expect(renderHtml(reportDocument(sample(), 'en', DISTRICT))).toContain('<html lang="en">');
  });

  it('csv: UTF-8 with a byte-order mark, each table under its title, numbers as numbers', () => {
    const csv = renderCsv(reportDocument(sample(), 'zh', DISTRICT));
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe('大连高新区 环境质量与公共安全月报,2026年10月');
    expect(lines).toContain('# 各空气站');
    expect(lines).toContain('点位,有效天数,优良天数,优良天数比例 (%),综合指数');
    expect(lines.find((l) => l.startsWith('凌水<空气站>'))).toMatch(/^凌水<空气站>,28,20,71.4,\d+(\.\d+)?$/);
    expect(lines).toContain('2026-10-31,,,');
  });

  it('xlsx: one sheet per table, ratios as numbers formatted as percentages', async () => {
    const buf = await renderXlsx(reportDocument(sample(), 'zh', DISTRICT));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['概况', '全区每日空气质量指数', '各空气站', '污水处理厂出水（GB 18918-2002 一级A，日均值）'.slice(0, 28).trim(), '河流断面（GB 3838-2002，月均值）', '近岸海域（GB 3097-1997）', '污水泵站', '公共安全', '渔港', '告警统计（本月新发）', '数据完整性', '数据审核', '说明']);
    const stations = wb.getWorksheet('各空气站')!;
    expect(stations.getRow(3).values).toEqual([undefined, '点位', '有效天数', '优良天数', '优良天数比例', '综合指数']);
    const ratio = stations.getRow(4).getCell(4);
    expect(ratio.value).toBeCloseTo(20 / 28, 4);
    expect(ratio.numFmt).toBe('0.0%');
    const pumps = wb.getWorksheet('污水泵站')!;
    expect(pumps.getRow(4).getCell(2).value).toBe(0.9);
  });

  it('pdf: A4 pages with the Chinese font embedded', async () => {
    const font = resolveReportFont(process.env.REPORT_FONT);
    expect(font, 'a font with Chinese glyphs (Debian: fonts-noto-cjk) or REPORT_FONT').not.toBeNull();
    const pdf = await renderPdf(reportDocument(sample(), 'zh', DISTRICT), font!);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-1.')).toBe(true);
    expect(text).toMatch(/\/FontFile[23]? /);
    expect(text).toContain('/MediaBox [0 0 595.28 841.89]');
    expect((text.match(/\/Type \/Page\b/g) ?? []).length).toBeGreaterThanOrEqual(2);
    expect(pdf.length).toBeLessThan(1_000_000); // the font is subset, not embedded whole
  });

  it('pdf column widths: in proportion to what each wants, none under its widest word, filling the page width', () => {
    expect(columnWidths([10, 10], [5, 5], 100)).toEqual([50, 50]);
    // The second wants a fifth but needs 40: it gets 40, the others share 60 in proportion.
    expect(columnWidths([40, 10, 10], [5, 40, 5], 100)).toEqual([48, 40, 12]);
    // Pinning one can push another under its least width: both pinned, the rest takes what is left.
    expect(columnWidths([80, 10, 10], [10, 30, 30], 100)).toEqual([40, 30, 30]);
    // Least widths that do not fit are scaled down.
    expect(columnWidths([1, 1], [100, 300], 200)).toEqual([50, 150]);
  });

  it('resolveReportFont: a missing REPORT_FONT file is no font; a file that is not a font, a wrong face or a font without Chinese is refused with the reason', () => {
    expect(resolveReportFont('/nonexistent/font.ttf')).toBeNull();
    const cjk = resolveReportFont(undefined)!;
    expect(reportFontProblem(cjk)).toBeNull();
    expect(reportFontProblem({ path: '/etc/hostname' })).toMatch(/^\/etc\/hostname: Unknown font format/);
    expect(reportFontProblem({ path: cjk.path, face: 'NoSuchFace' })).toMatch(/#NoSuchFace: /);
    const latin = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
    if (existsSync(latin)) expect(reportFontProblem({ path: latin })).toBe(`${latin} has no Chinese glyphs`);
  });
});
