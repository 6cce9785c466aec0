import type pg from 'pg';
import { addDays, dayStartMs, localDate } from '../common/district-time.js';
import type { Logger } from '../logging/logger.js';
import { buildMonthlyReport, type MonthlyReport } from './monthly-report.js';
import { daysOfMonth, type ReportSources } from './report-sources.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderPdf, type ReportFont } from './render-pdf.js';
import { renderXlsx } from './render-xlsx.js';
import { reportDocument, type Lang } from './report-tables.js';

export const REPORT_FORMATS = ['json', 'html', 'pdf', 'xlsx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  body: Buffer | string;
  contentType: string;
  filename: string;
}

/** Late device data (buffered batches) is taken in for a day after the month ends before it is archived. */
const ARCHIVE_AFTER_MS = 24 * 3_600_000;
/** The running month's figures are recomputed at most this often. */
const CACHE_MS = 60_000;

export class NoReportFontError extends Error {}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** Monthly reports: figures computed once per month (archived once the month is over), rendered per format. */
export class ReportService {
  private readonly cache = new Map<string, { at: number; report: MonthlyReport }>();
  private readonly inflight = new Map<string, Promise<MonthlyReport>>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly sources: ReportSources,
    private readonly tz: string,
    private readonly district: { zh: string; en: string },
    private readonly font: ReportFont | null,
    private readonly log: Logger,
  ) {}

  /** Whether the month has begun in the district's time. */
  hasBegun(month: string, nowMs = Date.now()): boolean {
    return month <= localDate(nowMs, this.tz).slice(0, 7);
  }

  async figures(month: string, nowMs = Date.now()): Promise<MonthlyReport> {
    const cached = this.cache.get(month);
    if (cached && nowMs - cached.at < CACHE_MS) return cached.report;
    let p = this.inflight.get(month);
    if (!p) {
      p = this.load(month, nowMs).finally(() => this.inflight.delete(month));
      this.inflight.set(month, p);
    }
    const report = await p;
    this.cache.set(month, { at: nowMs, report });
    if (this.cache.size > 24) this.cache.delete(this.cache.keys().next().value!);
    return report;
  }

  private async load(month: string, nowMs: number): Promise<MonthlyReport> {
    const { rows } = await this.pool.query<{ figures: MonthlyReport }>('SELECT figures FROM report WHERE month = $1', [month]);
    if (rows[0]) return rows[0].figures;
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    if (this.archivable(month, nowMs) && report.has_data) {
      await this.pool.query('INSERT INTO report (month, figures) VALUES ($1, $2) ON CONFLICT (month) DO NOTHING', [month, report]);
      this.log.info({ month }, 'monthly report archived');
    }
    return report;
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
    const { rowCount } = await this.pool.query('SELECT 1 FROM report WHERE month = $1', [month]);
    if (rowCount) return null;
    return (await this.figures(month, nowMs)).has_data ? month : null;
  }

  /** Recomputes a month's figures (an admin, after late data or a rule change) and archives them if the month is over. */
  async regenerate(month: string, by: string, nowMs = Date.now()): Promise<MonthlyReport> {
    const report = buildMonthlyReport(await this.sources.gather(month, nowMs));
    // Within the day after the month, late data is still coming: recomputed, but not archived yet.
    if (this.archivable(month, nowMs) && report.has_data) {
      await this.pool.query(
        `INSERT INTO report (month, figures, generated_by) VALUES ($1, $2, $3)
         ON CONFLICT (month) DO UPDATE SET figures = EXCLUDED.figures, generated_at = now(), generated_by = EXCLUDED.generated_by`,
        [month, report, by],
      );
    }
    this.cache.set(month, { at: nowMs, report });
    this.log.info({ month, by }, 'monthly report regenerated');
    return report;
  }

  async render(month: string, format: ReportFormat, lang: Lang): Promise<RenderedReport> {
    const report = await this.figures(month);
    const filename = `tidewatch-report-${month}-${lang}.${format}`;
    if (format === 'json') return { body: JSON.stringify(report), contentType: 'application/json; charset=utf-8', filename };
    const doc = reportDocument(report, lang, this.district);
    switch (format) {
      case 'html':
        return { body: renderHtml(doc), contentType: 'text/html; charset=utf-8', filename };
      case 'csv':
        return { body: renderCsv(doc), contentType: 'text/csv; charset=utf-8', filename };
      case 'xlsx':
        return { body: await renderXlsx(doc), contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', filename };
      case 'pdf':
        if (!this.font) throw new NoReportFontError('no font with Chinese glyphs for PDF reports: install fonts-noto-cjk or set REPORT_FONT');
        return { body: await renderPdf(doc, this.font), contentType: 'application/pdf', filename };
    }
  }

  private archivable(month: string, nowMs: number): boolean {
    return nowMs >= this.endMs(month) + ARCHIVE_AFTER_MS;
  }

  private endMs(month: string): number {
    const days = daysOfMonth(month);
    return dayStartMs(addDays(days[days.length - 1]!, 1), this.tz);
  }
}
