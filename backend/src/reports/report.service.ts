import { addDays, dayStartMs, localDate } from '../common/district-time.js';
import type { Logger } from '../logging/logger.js';
import { DocumentCache } from './document-cache.js';
import { buildMonthlyReport, type MonthlyReport } from './monthly-report.js';
import type { DocumentFormat } from './render-document.js';
import { isRefusal, RenderLimiter, type Refusal } from './render-limiter.js';
import type { ReportFont } from './render-pdf.js';
import type { ReportRenderer } from './report-renderer.js';
import { daysOfMonth, type ReportSources } from './report-sources.js';
import type { Lang } from './report-tables.js';
import type { ReportsRepository } from './reports.repository.js';

export const REPORT_FORMATS = ['json', 'html', 'pdf', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  body: Buffer | string;
  contentType: string;
  filename: string;
  /** Rendered documents: whether this one came from the cache. */
  cache?: 'hit' | 'miss';
}

/** Late device data (buffered batches) is taken in for a day after the month ends before it is archived. */
const ARCHIVE_AFTER_MS = 24 * 3_600_000;
/** The running month's figures are recomputed at most this often. */
const CACHE_MS = 60_000;
/** Renderings one user may have in flight; past that, 429. */
export const RENDERS_PER_USER = 2;
/** Renderings waiting for a worker; past that, 503. */
export const RENDER_QUEUE_MAX = 16;
/** Rendered documents kept for repeated requests. */
export const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;

export class NoReportFontError extends Error {}

/** Too many renderings in flight, for this user (`reason: 'user'`) or for the hub (`'busy'`). */
export class RenderRefusedError extends Error {
  constructor(readonly refusal: Refusal) {
    super(
      refusal.reason === 'user'
        ? `at most ${RENDERS_PER_USER} report documents are rendered at a time per user; retry in ${refusal.retryAfterS} s`
        : `the hub is rendering too many report documents; retry in ${refusal.retryAfterS} s`,
    );
  }
}

/** A month's figures and what identifies them: the archived version, or the computation they came from. */
interface Figures {
  report: MonthlyReport;
  version: string;
  /** When the archived figures were generated; null for figures computed now. */
  archivedAtMs: number | null;
}

/** Whether a month's archive predates a data review of the month (then it is stale until regenerated). */
export interface ArchiveState {
  archived_at: string | null;
  reviewed_at: string | null;
  stale: boolean;
}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Monthly reports: figures computed once per month (archived once the month is over), rendered per format. */
export class ReportService {
  private readonly cache = new Map<string, { at: number } & Figures>();
  private readonly inflight = new Map<string, Promise<Figures>>();
  private readonly documents = new DocumentCache(DOCUMENT_CACHE_BYTES);
  private readonly rendering = new Map<string, Promise<Buffer>>();
  private readonly limiter: RenderLimiter;

  constructor(
    private readonly archive: Pick<ReportsRepository, 'find' | 'exists' | 'insertIfAbsent' | 'upsert' | 'lastReviewedMs'>,
    private readonly sources: ReportSources,
    private readonly tz: string,
    private readonly district: { zh: string; en: string },
    private readonly font: ReportFont | null,
    private readonly log: Logger,
    private readonly renderer: ReportRenderer,
  ) {
    this.limiter = new RenderLimiter({ perUser: RENDERS_PER_USER, total: renderer.size + RENDER_QUEUE_MAX });
  }

  /** Whether the month has begun in the district's time. */
  hasBegun(month: string, nowMs = Date.now()): boolean {
    return month <= localDate(nowMs, this.tz).slice(0, 7);
  }

  async figures(month: string, nowMs = Date.now()): Promise<MonthlyReport> {
    return (await this.current(month, nowMs)).report;
  }

  private async current(month: string, nowMs = Date.now()): Promise<Figures> {
    const cached = this.cache.get(month);
    if (cached && nowMs - cached.at < CACHE_MS) return cached;
    let p = this.inflight.get(month);
    if (!p) {
      p = this.load(month, nowMs).finally(() => this.inflight.delete(month));
      this.inflight.set(month, p);
    }
    const figures = await p;
    this.cache.set(month, { at: nowMs, ...figures });
    if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value!);
    return figures;
  }

  private async load(month: string, nowMs: number): Promise<Figures> {
    const archived = await this.archive.find(month);
    if (archived) return { report: archived.figures, ...archivedVersion(archived.generated_at, nowMs) };
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    let figures: Figures = { report, version: `computed ${nowMs}`, archivedAtMs: null };
    if (this.archivable(month, nowMs) && report.has_data) {
      const inserted = await this.archive.insertIfAbsent(month, report);
      if (inserted) figures = { report, ...archivedVersion(inserted.generated_at, nowMs) };
      this.log.info({ month }, 'monthly report archived');
    }
    return figures;
  }

  /**
   * Archives last month once it is a day old, so the published report exists without anyone
   * asking first (the hub checks at start and hourly; several hubs may race: the first insert wins).
   * A month without any data is left unarchived, so that a later backfill still counts.
   * Returns the month archived now, if any.
   */
  async archiveDue(nowMs = Date.now()): Promise<string | null> {
    const month = previousMonth(localDate(nowMs, this.tz).slice(0, 7));
    if (!this.archivable(month, nowMs)) return null;
    if (await this.archive.exists(month)) return null;
    return (await this.figures(month, nowMs)).has_data ? month : null;
  }

  /** Recomputes a month's figures (an admin, after late data or a rule change) and archives them if the month is over. */
  async regenerate(month: string, by: string, nowMs = Date.now()): Promise<MonthlyReport> {
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    let figures: Figures = { report, version: `computed ${nowMs}`, archivedAtMs: null };
    // Within the day after the month, late data is still coming: recomputed, but not archived yet.
    if (this.archivable(month, nowMs) && report.has_data) {
      const stored = await this.archive.upsert(month, report, by);
      if (stored) figures = { report, ...archivedVersion(stored.generated_at, nowMs) };
    }
    this.cache.set(month, { at: nowMs, ...figures });
    this.documents.deletePrefix(`${month}|`);
    this.log.info({ month, by }, 'monthly report regenerated');
    return report;
  }

  /**
   * The month's report in one format, for user `userId`. Documents are rendered by the
   * renderer (worker threads), at most RENDERS_PER_USER at a time per user, and kept in a
   * cache keyed by the figures' version; identical renderings in flight are shared.
   */
  async render(month: string, format: ReportFormat, lang: Lang, userId: number): Promise<RenderedReport> {
    const { report, version, archivedAtMs } = await this.current(month);
    const filename = `tidewatch-report-${month}-${lang}.${format}`;
    if (format === 'json') {
      const archive = await this.archiveState(month, archivedAtMs);
      return { body: JSON.stringify({ ...report, archive }), contentType: 'application/json; charset=utf-8', filename };
    }
    if (format === 'pdf' && !this.font) throw new NoReportFontError('no font with Chinese glyphs for PDF reports: install fonts-noto-cjk or set REPORT_FONT');
    const contentType = CONTENT_TYPES[format];
    const key = `${month}|${format}|${lang}|${version}`;
    const cached = this.documents.get(key);
    if (cached) return { body: cached, contentType, filename, cache: 'hit' };
    const releaseUser = this.limiter.user(userId);
    if (isRefusal(releaseUser)) throw new RenderRefusedError(releaseUser);
    try {
      return { body: await this.renderOnce(key, report, format, lang), contentType, filename, cache: 'miss' };
    } finally {
      releaseUser();
    }
  }

  /** An archive is stale when data of its month were reviewed (marked or withdrawn) after it was generated. */
  private async archiveState(month: string, archivedAtMs: number | null): Promise<ArchiveState> {
    const reviewedMs = await this.archive.lastReviewedMs(dayStartMs(`${month}-01`, this.tz), this.endMs(month));
    return {
      archived_at: archivedAtMs === null ? null : new Date(archivedAtMs).toISOString(),
      reviewed_at: reviewedMs === null ? null : new Date(reviewedMs).toISOString(),
      stale: archivedAtMs !== null && reviewedMs !== null && reviewedMs > archivedAtMs,
    };
  }

  /** Stops the render workers (the hub is stopping). */
  async close(): Promise<void> {
    await this.renderer.close();
  }

  private renderOnce(key: string, report: MonthlyReport, format: DocumentFormat, lang: Lang): Promise<Buffer> {
    const shared = this.rendering.get(key);
    if (shared) return shared;
    const release = this.limiter.render();
    if (isRefusal(release)) throw new RenderRefusedError(release);
    const p = this.renderer
      .render({ report, format, lang, district: this.district, font: this.font })
      .then((body) => {
        this.documents.set(key, body);
        return body;
      })
      .finally(() => {
        release();
        this.rendering.delete(key);
      });
    this.rendering.set(key, p);
    return p;
  }

  private archivable(month: string, nowMs: number): boolean {
    return nowMs >= this.endMs(month) + ARCHIVE_AFTER_MS;
  }

  private endMs(month: string): number {
    const days = daysOfMonth(month);
    return dayStartMs(addDays(days[days.length - 1]!, 1), this.tz);
  }
}

const CONTENT_TYPES: Record<DocumentFormat, string> = {
  html: 'text/html; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** An archived report is identified by when it was generated (a regeneration, on any hub, changes it). */
function archivedVersion(generatedAt: Date | undefined, nowMs: number): Omit<Figures, 'report'> {
  if (!generatedAt) return { version: `computed ${nowMs}`, archivedAtMs: null };
  const ms = new Date(generatedAt).getTime();
  return { version: `archived ${new Date(ms).toISOString()}`, archivedAtMs: ms };
}
