import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import type { MonthlyInput, MonthlyReport } from './monthly-report.js';
import { daysOfMonth, type ReportSources } from './report-sources.js';
import { renderDocument, type RenderJob } from './render-document.js';
import type { ReportRenderer } from './report-renderer.js';
import type { ArchivedReport, ReportsRepository } from './reports.repository.js';
import type { VersionWhy } from './archive.js';
import { NoReportFontError, RENDER_QUEUE_MAX, RenderRefusedError, RENDERS_PER_USER, ReportService } from './report.service.js';

/** A stand-in for the reports repository: remembers every version of archived months and when each was generated. */
function fakeArchive(): { archive: ReportsRepository; archived: Map<string, MonthlyReport>; versions: Map<string, ArchivedReport[]> } {
  const archived = new Map<string, MonthlyReport>();
  const versions = new Map<string, ArchivedReport[]>();
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const store = (month: string, figures: MonthlyReport, why: VersionWhy): { generated_at: Date; version: number } => {
    archived.set(month, figures);
    const list = versions.get(month) ?? [];
    const v = { figures, generated_at: new Date((clock += 1000)), version: list.length + 1, why };
    list.push(v);
    versions.set(month, list);
    return { generated_at: v.generated_at, version: v.version };
  };
  const newest = (month: string): ArchivedReport | null => versions.get(month)?.at(-1) ?? null;
  const archive: Pick<ReportsRepository, 'find' | 'findVersion' | 'exists' | 'insertIfAbsent' | 'addVersion' | 'lastReviewedMs' | 'lateFacts' | 'versions' | 'nowMs'> = {
    find: async (month) => newest(month),
    findVersion: async (month, n) => versions.get(month)?.[n - 1] ?? null,
    exists: async (month) => archived.has(month),
    insertIfAbsent: async (month, figures) => (archived.has(month) ? null : store(month, figures, 'scheduled')),
    addVersion: async (month, figures, _by, why) => store(month, figures, why),
    lastReviewedMs: async () => null,
    nowMs: async () => clock,
    versions: async () => new Map(),
    lateFacts: async (month) =>
      [...versions]
        .filter(([m]) => month === undefined || m === month)
        .map(([m, list]) => ({ month: m, version: list.length, generatedAtMs: list.at(-1)!.generated_at!.getTime(), gatheredAtMs: list.at(-1)!.generated_at!.getTime(), why: list.at(-1)!.why!, late: [], reviewedMs: null })),
  };
  return { archive: archive as ReportsRepository, archived, versions };
}

/** Renders on the calling thread, counting renderings; `hold` keeps them pending until released. */
function inline(hold = false): ReportRenderer & { jobs: RenderJob[]; releaseAll: () => void } {
  const waiting: (() => void)[] = [];
  const r = {
    size: 1,
    jobs: [] as RenderJob[],
    render: async (job: RenderJob) => {
      r.jobs.push(job);
      if (hold) await new Promise<void>((resolve) => waiting.push(resolve));
      return renderDocument(job);
    },
    close: async () => undefined,
    releaseAll: () => waiting.splice(0).forEach((f) => f()),
  };
  return r;
}

function fakeSources(withData = true): { sources: ReportSources; gathered: string[] } {
  const gathered: string[] = [];
  const sources = {
    gather: async (month: string, nowMs: number): Promise<MonthlyInput> => {
      gathered.push(month);
      return {
        month, days: daysOfMonth(month), complete: nowMs >= Date.parse(`${month}-01T00:00:00+08:00`) + 40 * 86_400_000, asOfMs: nowMs, tz: 'Asia/Shanghai',
        air: { version: '2026', district: [], stations: [] }, wwtp: [], rivers: [], sea: [], pumps: [], gas: [], ports: [], ebike: [], alerts: [], reviews: [], events: withData ? [{ site: 'port-a', type: 'departure', count: 3, hazards: 0, failed: 0 }] : [],
      };
    },
  } as unknown as ReportSources;
  return { sources, gathered };
}

const log = { info: () => undefined, warn: () => undefined } as unknown as Logger;
const DISTRICT = { zh: '大连高新区', en: 'Dalian High-tech Zone' };

describe('ReportService', () => {
  it('archives last month by itself only once it is a day old, and only once', async () => {
    const db = fakeArchive();
    const { sources, gathered } = fakeSources();
    const svc = new ReportService(db.archive, sources, 'Asia/Shanghai', DISTRICT, null, log, inline());
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
    const db = fakeArchive();
    const { sources, gathered } = fakeSources(false);
    const svc = new ReportService(db.archive, sources, 'Asia/Shanghai', DISTRICT, null, log, inline());
    expect(await svc.archiveDue(Date.parse('2026-11-02T00:00:00+08:00'))).toBeNull();
    expect((await svc.figures('2026-09', Date.parse('2026-11-02T00:00:00+08:00'))).has_data).toBe(false);
    await svc.regenerate('2026-08', 'admin', 'admin', Date.parse('2026-11-02T00:00:00+08:00'));
    expect(db.archived.size).toBe(0);
    expect(gathered).toEqual(['2026-10', '2026-09', '2026-08']);
  });

  it('computes the running month but does not archive it; serves an archived month without recomputing', async () => {
    const db = fakeArchive();
    const { sources, gathered } = fakeSources();
    const svc = new ReportService(db.archive, sources, 'Asia/Shanghai', DISTRICT, null, log, inline());
    const now = Date.parse('2026-11-28T12:00:00+08:00');
    expect((await svc.figures('2026-11', now)).month).toBe('2026-11');
    expect(db.archived.size).toBe(0);
    await svc.figures('2026-09', now);
    expect(db.archived.has('2026-09')).toBe(true);
    const fresh = new ReportService(db.archive, sources, 'Asia/Shanghai', DISTRICT, null, log, inline());
    await fresh.figures('2026-09', now);
    expect(gathered).toEqual(['2026-11', '2026-09']); // the second service read the archive
    // An admin's regeneration within the day after the month recomputes but does not archive yet.
    await svc.regenerate('2026-10', 'admin', 'admin', Date.parse('2026-11-01T12:00:00+08:00'));
    expect(db.archived.has('2026-10')).toBe(false);
    await svc.regenerate('2026-10', 'admin', 'admin', Date.parse('2026-11-02T12:00:00+08:00'));
    expect(db.archived.has('2026-10')).toBe(true);
    expect(svc.hasBegun('2026-11', now)).toBe(true);
    expect(svc.hasBegun('2026-12', now)).toBe(false);
  });

  it('renders every format but PDF without a font, and says why PDF cannot be made', async () => {
    const db = fakeArchive();
    const svc = new ReportService(db.archive, fakeSources().sources, 'Asia/Shanghai', DISTRICT, null, log, inline());
    for (const f of ['json', 'html', 'csv', 'xlsx'] as const) expect((await svc.render('2026-09', f, 'zh', 1)).filename).toBe(`tidewatch-report-2026-09-zh.${f}`);
    await expect(svc.render('2026-09', 'pdf', 'zh', 1)).rejects.toThrow(NoReportFontError);
    await expect(svc.render('2026-09', 'pdf', 'zh', 1)).rejects.toThrow(/fonts-noto-cjk or set REPORT_FONT/);
  });

  it('serves a repeated document from the cache until the month is regenerated', async () => {
    const db = fakeArchive();
    const renderer = inline();
    const svc = new ReportService(db.archive, fakeSources().sources, 'Asia/Shanghai', DISTRICT, null, log, renderer);
    await svc.figures('2026-09', Date.parse('2026-11-28T12:00:00+08:00'));
    expect(db.archived.has('2026-09')).toBe(true);
    expect((await svc.render('2026-09', 'html', 'zh', 1)).cache).toBe('miss');
    expect((await svc.render('2026-09', 'html', 'zh', 2)).cache).toBe('hit');
    expect((await svc.render('2026-09', 'html', 'en', 1)).cache).toBe('miss');
    expect((await svc.render('2026-09', 'csv', 'zh', 1)).cache).toBe('miss');
    expect(renderer.jobs).toHaveLength(3);
    await svc.regenerate('2026-09', 'admin', 'admin', Date.parse('2026-11-28T12:00:00+08:00'));
    expect((await svc.render('2026-09', 'html', 'zh', 1)).cache).toBe('miss');
    expect((await svc.render('2026-09', 'html', 'zh', 1)).cache).toBe('hit');
    expect(renderer.jobs).toHaveLength(4);
    // JSON is the figures themselves: never rendered, never limited.
    expect((await svc.render('2026-09', 'json', 'zh', 1)).cache).toBeUndefined();
  });

  it('refuses a user’s third rendering in flight with 429 material, shares identical renderings, and frees the slots', async () => {
    const db = fakeArchive();
    const renderer = inline(true);
    const svc = new ReportService(db.archive, fakeSources().sources, 'Asia/Shanghai', DISTRICT, null, log, renderer);
    await svc.figures('2026-09', Date.parse('2026-11-28T12:00:00+08:00'));
    const first = svc.render('2026-09', 'html', 'zh', 7);
    const same = svc.render('2026-09', 'html', 'zh', 7);
    await expect(svc.render('2026-09', 'csv', 'zh', 7)).rejects.toThrow(RenderRefusedError);
    await expect(svc.render('2026-09', 'csv', 'zh', 7)).rejects.toThrow(`at most ${RENDERS_PER_USER} report documents`);
    const other = svc.render('2026-09', 'csv', 'zh', 8); // another user is not held back
    await new Promise((resolve) => setImmediate(resolve));
    expect(renderer.jobs.map((j) => j.format)).toEqual(['html', 'csv']); // the two html requests share one rendering
    renderer.releaseAll();
    expect((await first).body).toEqual((await same).body);
    await other;
    const again = svc.render('2026-09', 'xlsx', 'zh', 7);
    await new Promise((resolve) => setImmediate(resolve));
    renderer.releaseAll();
    expect((await again).cache).toBe('miss');
  });

  it('refuses a rendering past the workers plus the queue as busy, whoever asks', async () => {
    const renderer = inline(true);
    const svc = new ReportService(fakeArchive().archive, fakeSources().sources, 'Asia/Shanghai', DISTRICT, null, log, renderer);
    const months = Array.from({ length: 9 }, (_, i) => `2026-0${i + 1}`);
    const keys = months.flatMap((m) => (['zh', 'en'] as const).map((lang) => [m, lang] as const)).slice(0, renderer.size + RENDER_QUEUE_MAX);
    const admitted = keys.map(([m, lang], i) => svc.render(m, 'csv', lang, 100 + i));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(renderer.jobs).toHaveLength(renderer.size + RENDER_QUEUE_MAX);
    const refused = await svc.render('2026-09', 'html', 'zh', 999).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(RenderRefusedError);
    expect((refused as RenderRefusedError).refusal.reason).toBe('busy');
    renderer.releaseAll();
    const results = await Promise.allSettled(admitted);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(renderer.size + RENDER_QUEUE_MAX);
  });
});
