import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import type { MonthlyInput } from './monthly-report.js';
import { daysOfMonth, type ReportSources } from './report-sources.js';
import { NoReportFontError, ReportService } from './report.service.js';

/** A stand-in for the database: remembers archived months. */
function fakePool(): { pool: pg.Pool; archived: Map<string, unknown>; selects: number } {
  const archived = new Map<string, unknown>();
  const state = { pool: null as unknown as pg.Pool, archived, selects: 0 };
  state.pool = {
    query: async (text: string, values: unknown[]) => {
      if (text.startsWith('SELECT')) {
        state.selects++;
        const f = archived.get(values[0] as string);
        return { rows: f ? [{ figures: f }] : [], rowCount: f ? 1 : 0 };
      }
      if (text.startsWith('INSERT') && (text.includes('DO UPDATE') || !archived.has(values[0] as string))) archived.set(values[0] as string, values[1]);
      return { rows: [], rowCount: 1 };
    },
  } as unknown as pg.Pool;
  return state;
}

function fakeSources(withData = true): { sources: ReportSources; gathered: string[] } {
  const gathered: string[] = [];
  const sources = {
    gather: async (month: string, nowMs: number): Promise<MonthlyInput> => {
      gathered.push(month);
      return {
        month, days: daysOfMonth(month), complete: nowMs >= Date.parse(`${month}-01T00:00:00+08:00`) + 40 * 86_400_000, asOfMs: nowMs, tz: 'Asia/Shanghai',
        air: { version: '2026', district: [], stations: [] }, wwtp: [], rivers: [], sea: [], pumps: [], gas: [], ports: [], ebike: [], alerts: [], events: withData ? [{ site: 'port-a', type: 'departure', count: 3, hazards: 0, failed: 0 }] : [],
      };
    },
  } as unknown as ReportSources;
  return { sources, gathered };
}

const log = { info: () => undefined, warn: () => undefined } as unknown as Logger;
const DISTRICT = { zh: '大连高新区', en: 'Dalian High-tech Zone' };

describe('ReportService', () => {
  it('archives last month by itself only once it is a day old, and only once', async () => {
    const db = fakePool();
    const { sources, gathered } = fakeSources();
    const svc = new ReportService(db.pool, sources, 'Asia/Shanghai', DISTRICT, null, log);
    // 2026-11-01 20:00 in Shanghai: October ended 20 hours ago.
    expect(await svc.archiveDue(Date.parse('2026-11-01T20:00:00+08:00'))).toBeNull();
    expect(db.archived.size).toBe(0);
    expect(await svc.archiveDue(Date.parse('2026-11-02T00:00:00+08:00'))).toBe('2026-10');
    expect([...db.archived.keys()]).toEqual(['2026-10']);
    expect(await svc.archiveDue(Date.parse('2026-11-02T01:00:00+08:00'))).toBeNull();
    expect(gathered).toEqual(['2026-10']);
    // January archives December of the year before.
    expect(await svc.archiveDue(Date.parse('2027-01-05T00:00:00+08:00'))).toBe('2026-12');
  });

  it('leaves a month without any data unarchived, so a later backfill still counts', async () => {
    const db = fakePool();
    const { sources, gathered } = fakeSources(false);
    const svc = new ReportService(db.pool, sources, 'Asia/Shanghai', DISTRICT, null, log);
    expect(await svc.archiveDue(Date.parse('2026-11-02T00:00:00+08:00'))).toBeNull();
    expect((await svc.figures('2026-09', Date.parse('2026-11-02T00:00:00+08:00'))).has_data).toBe(false);
    await svc.regenerate('2026-08', 'admin', Date.parse('2026-11-02T00:00:00+08:00'));
    expect(db.archived.size).toBe(0);
    expect(gathered).toEqual(['2026-10', '2026-09', '2026-08']);
  });

  it('computes the running month but does not archive it; serves an archived month without recomputing', async () => {
    const db = fakePool();
    const { sources, gathered } = fakeSources();
    const svc = new ReportService(db.pool, sources, 'Asia/Shanghai', DISTRICT, null, log);
    const now = Date.parse('2026-11-28T12:00:00+08:00');
    expect((await svc.figures('2026-11', now)).month).toBe('2026-11');
    expect(db.archived.size).toBe(0);
    await svc.figures('2026-09', now);
    expect(db.archived.has('2026-09')).toBe(true);
    const fresh = new ReportService(db.pool, sources, 'Asia/Shanghai', DISTRICT, null, log);
    await fresh.figures('2026-09', now);
    expect(gathered).toEqual(['2026-11', '2026-09']); // the second service read the archive
    // An admin's regeneration within the day after the month recomputes but does not archive yet.
    await svc.regenerate('2026-10', 'admin', Date.parse('2026-11-01T12:00:00+08:00'));
    expect(db.archived.has('2026-10')).toBe(false);
    await svc.regenerate('2026-10', 'admin', Date.parse('2026-11-02T12:00:00+08:00'));
    expect(db.archived.has('2026-10')).toBe(true);
    expect(svc.hasBegun('2026-11', now)).toBe(true);
    expect(svc.hasBegun('2026-12', now)).toBe(false);
  });

  it('renders every format but PDF without a font, and says why PDF cannot be made', async () => {
    const db = fakePool();
    const svc = new ReportService(db.pool, fakeSources().sources, 'Asia/Shanghai', DISTRICT, null, log);
    for (const f of ['json', 'html', 'csv', 'xlsx'] as const) expect((await svc.render('2026-09', f, 'zh')).filename).toBe(`tidewatch-report-2026-09-zh.${f}`);
    await expect(svc.render('2026-09', 'pdf', 'zh')).rejects.toThrow(NoReportFontError);
    await expect(svc.render('2026-09', 'pdf', 'zh')).rejects.toThrow(/fonts-noto-cjk or set REPORT_FONT/);
  });
});
