import { archiveLines, type ArchiveLine } from './archive.js';
import type { MonthlyReport } from './monthly-report.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderPdf, type ReportFont } from './render-pdf.js';
import { renderXlsx } from './render-xlsx.js';
import { reportDocument, type Lang } from './report-tables.js';

export type DocumentFormat = 'html' | 'pdf' | 'xlsx' | 'csv';

/** Everything a rendering needs, as plain data: it crosses to a worker thread by structured clone. */
export interface RenderJob {
  report: MonthlyReport;
  format: DocumentFormat;
  lang: Lang;
  district: { zh: string; en: string };
  font: ReportFont | null;
  /** An archived version: which one, and whether it is superseded or stale (absent or null: computed now). */
  archive?: ArchiveLine | null;
}

/** Renders computed figures as one document; no database, no shared state. */
export async function renderDocument(job: RenderJob): Promise<Buffer> {
  const doc = reportDocument(job.report, job.lang, job.district);
  if (job.archive) doc.archive = { lines: archiveLines(job.archive, job.lang) };
  switch (job.format) {
    case 'html':
      return Buffer.from(renderHtml(doc), 'utf8');
    case 'csv':
      return Buffer.from(renderCsv(doc), 'utf8');
    case 'xlsx':
      return renderXlsx(doc);
    case 'pdf':
      if (!job.font) throw new Error('no font for PDF reports');
      return renderPdf(doc, job.font);
  }
}
