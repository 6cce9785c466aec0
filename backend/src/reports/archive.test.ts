import { describe, expect, it } from 'vitest';
import { archiveCheckMs, archiveLines, closedBeforeMs, diffReports, dueByRule, headline, sawOf, staleState, type ArchiveLine } from './archive.js';
import { buildMonthlyReport, type MonthlyInput, type MonthlyReport } from './monthly-report.js';
import { daysOfMonth } from './report-sources.js';

const TZ = 'Asia/Shanghai';
const DAY = 86_400_000;
const T0 = Date.parse('2026-12-02T00:00:00Z');

function report(over: Partial<MonthlyInput> = {}): MonthlyReport {
  return buildMonthlyReport({
    month: '2026-11', days: daysOfMonth('2026-11'), complete: true, asOfMs: Date.parse('2026-11-30T16:00:00Z'), tz: TZ,
    air: { version: '2026', district: [], stations: [] }, wwtp: [], rivers: [], sea: [], pumps: [], gas: [], ports: [], ebike: [], alerts: [], events: [], reviews: [],
    ...over,
  });
}

describe('the stale decision', () => {
  it('is fresh with no late data, or only data recorded before the figures were gathered', () => {
    expect(staleState(T0, [], null)).toEqual({ stale: false, stale_since: null, stale_reasons: [], late_data_at: null });
    expect(staleState(T0, [{ reason: 'readings', firstMs: T0 - 5000, lastMs: T0 - 1 }], T0 - 10).stale).toBe(false);
  });

  it('is stale with every reason arrived after gathering, in a fixed order, since the first and until the last arrival', () => {
    const s = staleState(T0, [
      { reason: 'events', firstMs: T0 + 2000, lastMs: T0 + 3000 },
      { reason: 'readings', firstMs: T0 - 9000, lastMs: T0 + 5000 },
    ], T0 + 4000);
    expect(s).toEqual({
      stale: true,
      // readings began arriving before gathering: the part after it counts from the gathering
      stale_since: new Date(T0).toISOString(),
      stale_reasons: ['readings', 'events', 'review'],
      late_data_at: new Date(T0 + 5000).toISOString(),
    });
  });

  it('a late alert alone makes it stale', () => {
    expect(staleState(T0, [{ reason: 'alerts', firstMs: T0 + 1, lastMs: T0 + 1 }], null).stale_reasons).toEqual(['alerts']);
  });
});

describe('the rule', () => {
  const stale = staleState(T0, [{ reason: 'readings', firstMs: T0 + 1000, lastMs: T0 + 60_000 }], null);
  it('regenerates a stale month once the quiet period after its last late data has passed, not before', () => {
    expect(dueByRule(stale, T0 + 60_000 + 3_599_999, 3_600_000)).toBe(false);
    expect(dueByRule(stale, T0 + 60_000 + 3_600_000, 3_600_000)).toBe(true);
    expect(dueByRule(staleState(T0, [], null), T0 + 10 * DAY, 1000)).toBe(false);
  });

  it('checks a quarter of the quiet period, between once a second and once a minute', () => {
    expect(archiveCheckMs(1000)).toBe(1000);
    expect(archiveCheckMs(8000)).toBe(2000);
    expect(archiveCheckMs(3_600_000)).toBe(60_000);
  });

  it('counts data before the start of last month as late until last month is a day old, then before this month', () => {
    const dec1 = Date.parse('2026-11-30T16:00:00Z'); // 1 Dec 00:00 in Shanghai
    const nov1 = Date.parse('2026-10-31T16:00:00Z');
    expect(closedBeforeMs(dec1 + 3_600_000, TZ, DAY)).toBe(nov1);
    expect(closedBeforeMs(dec1 + DAY, TZ, DAY)).toBe(dec1);
    expect(closedBeforeMs(Date.parse('2027-01-01T12:00:00+08:00'), TZ, DAY)).toBe(Date.parse('2026-12-01T00:00:00+08:00'));
  });
});

describe('what a version saw, and the differences of two', () => {
  const port = (n: number) => Array.from({ length: n }, () => ({ site: 'port-a', type: 'inspection', count: 1, hazards: 0, failed: 0 }));
  const alert = { site: 'gas-a', kind: 'gas_point', rule_id: 'gas-lel', severity: 'major' as const, opened_at: Date.parse('2026-11-05T02:00:00Z'), acknowledged_at: null, resolved_at: null };

  it('records the counts it saw and when it gathered them', () => {
    const saw = sawOf(report({ alerts: [alert, alert], events: [{ site: 'port-a', type: 'inspection', count: 3, hazards: 0, failed: 0 }] }), T0, T0 - 5);
    expect(saw).toMatchObject({ gathered_at: new Date(T0).toISOString(), alerts: 2, reviewed_at: new Date(T0 - 5).toISOString(), readings: 0, review_marks: 0 });
  });

  it('lists only the headline figures that changed, old → new, with their Chinese and English names', () => {
    const a = report({ alerts: [alert], events: port(1) });
    const b = report({ alerts: [alert, alert, alert], events: port(1) });
    expect(diffReports(a, a)).toEqual([]);
    expect(diffReports(a, b)).toEqual([{ key: 'alerts.total', zh: '告警总数', en: 'Alerts: total', from: 1, to: 3 }]);
    expect(headline(a).every((h) => h.zh && h.en && !/[\u4e00-\u9fff]/.test(h.en))).toBe(true);
  });
});

describe('the line every format shows', () => {
  const line = (over: Partial<ArchiveLine> = {}): ArchiveLine => ({ version: 1, newest_version: 1, generated_at: '2026-12-02T01:30:00Z', stale: false, stale_reasons: [], time_zone: TZ, ...over });

  it('says which version it is and when it was made, in the district’s time', () => {
    expect(archiveLines(line(), 'zh')).toEqual(['已归档 · 第1版（共1版）· 生成于 2026-12-02 09:30']);
    expect(archiveLines(line(), 'en')).toEqual(['Archived · version 1 of 1 · generated 2026-12-02 09:30']);
  });

  it('warns when stale, with the reasons, and says when superseded; no English in Chinese, no Chinese in English', () => {
    const stale = line({ stale: true, stale_reasons: ['readings', 'review'] });
    expect(archiveLines(stale, 'zh')[1]).toBe('注意：本版归档后又收到本月数据（迟到或补传的监测数据、数据审核），数据已过期，将重新生成。');
    expect(archiveLines(stale, 'en')[1]).toBe('Warning: data of this month arrived after this version was archived (late or backfilled readings, data review): its figures are stale and will be regenerated.');
    const old = line({ version: 1, newest_version: 3, stale: true });
    expect(archiveLines(old, 'zh')[1]).toBe('本版已被第3版取代，数据以最新版为准。');
    expect(archiveLines(old, 'en')[1]).toBe('Superseded by version 3: the newest version holds the current figures.');
    for (const l of [...archiveLines(stale, 'zh'), ...archiveLines(old, 'zh')]) expect(l).not.toMatch(/[A-Za-z]/);
    for (const l of [...archiveLines(stale, 'en'), ...archiveLines(old, 'en')]) expect(l).not.toMatch(/[\u4e00-\u9fff]/);
  });
});
