import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { formatCell, type ReportDocument, type ReportTable } from './report-tables.js';

/** A font with Chinese glyphs: a file, and the face's PostScript name inside a collection (.ttc). */
export interface ReportFont {
  path: string;
  face?: string;
}

/** Where Debian (fonts-noto-cjk) and Arch (noto-fonts-cjk) keep Noto Sans CJK. */
const CANDIDATES: ReportFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', face: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf' },
];

/**
 * The font for PDF reports: REPORT_FONT (`path` or `path#PostScriptName`) when set, else the
 * first system font found; null when there is none (the PDF form then answers 503).
 */
export function resolveReportFont(setting: string | undefined): ReportFont | null {
  if (setting) {
    const [path, face] = setting.split('#');
    return existsSync(path!) ? { path: path!, face: face || (path!.endsWith('.ttc') ? 'NotoSansCJKsc-Regular' : undefined) } : null;
  }
  return CANDIDATES.find((c) => existsSync(c.path)) ?? null;
}

/** Why a font cannot be used for the reports (not a font, no such face, no Chinese glyphs); null when it can. */
export function reportFontProblem(font: ReportFont): string | null {
  try {
    const pdf = new PDFDocument();
    pdf.registerFont('probe', font.path, font.face);
    pdf.font('probe');
    // pdfkit keeps the parsed font (fontkit) on a private field; when it is there, ask it for a Chinese glyph.
    const parsed = (pdf as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font;
    if (parsed?.hasGlyphForCodePoint && !parsed.hasGlyphForCodePoint(0x62a5 /* 报 */)) return `${font.path} has no Chinese glyphs`;
    return null;
  } catch (err) {
    return `${font.path}${font.face ? `#${font.face}` : ''}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

const A4 = { width: 595.28, height: 841.89 };
const MARGIN = 40;
const BODY = 8.5;

function drawChart(pdf: PDFKit.PDFDocument, doc: ReportDocument): void {
  const days = doc.dailyAqi;
  const x0 = MARGIN + 22;
  const width = A4.width - 2 * MARGIN - 22 - 10;
  const height = 110;
  const top = pdf.y + 4;
  const max = Math.max(150, ...days.map((d) => d.aqi ?? 0));
  const y = (v: number): number => top + height - (v / max) * height;
  pdf.save().fontSize(7).fillColor('#666');
  for (const v of [50, 100, 150, 200, 300].filter((g) => g <= max)) {
    pdf.moveTo(x0, y(v)).lineTo(x0 + width, y(v)).dash(2, { space: 2 }).strokeColor('#bbbbbb').lineWidth(0.5).stroke().undash();
    pdf.text(String(v), MARGIN, y(v) - 3, { width: 20, align: 'right', lineBreak: false });
  }
  const bw = width / Math.max(days.length, 1);
  days.forEach((d, i) => {
    if (d.aqi !== null) {
      pdf.rect(x0 + i * bw + 0.8, y(d.aqi), bw - 1.6, top + height - y(d.aqi)).fillColor(d.colour ?? '#999999').strokeColor('#555555').lineWidth(0.3).fillAndStroke();
    }
    if (i % 5 === 0) pdf.fillColor('#666').text(d.date.slice(5), x0 + (i + 0.5) * bw - 15, top + height + 2, { width: 30, align: 'center', lineBreak: false });
  });
  pdf.restore();
  pdf.x = MARGIN;
  pdf.y = top + height + 14;
}

/** The pieces of a cell's text a line cannot break inside: a word, or one CJK character. */
const UNBREAKABLE = /[\u2e80-\uffff]|[^\s\u2e80-\uffff]+/g;

/**
 * Column widths in proportion to what each wants, filling `width`, but none under its least
 * width: columns that would fall short get their least, the rest share what is left (when
 * even the least widths do not fit, they are scaled down).
 */
export function columnWidths(want: readonly number[], least: readonly number[], width: number): number[] {
  const pinned = new Set<number>();
  for (;;) {
    const left = width - [...pinned].reduce((a, i) => a + least[i]!, 0);
    const free = want.reduce((a, w, i) => (pinned.has(i) ? a : a + w), 0);
    if (left <= 0 || free <= 0) break;
    const widths = want.map((w, i) => (pinned.has(i) ? least[i]! : (w / free) * left));
    const short = widths.findIndex((w, i) => !pinned.has(i) && w < least[i]!);
    if (short < 0) return widths;
    widths.forEach((w, i) => {
      if (!pinned.has(i) && w < least[i]!) pinned.add(i);
    });
  }
  const all = least.reduce((a, b) => a + b, 0);
  return least.map((l) => (l / all) * width);
}

function drawTable(pdf: PDFKit.PDFDocument, t: ReportTable): void {
  const width = A4.width - 2 * MARGIN;
  const text = (row: (string | number | null)[]): string[] => row.map((v, i) => formatCell(v, t.columns[i]!.type, t.columns[i]!.digits));
  const header = t.columns.map((c) => c.label);
  const body = t.rows.map(text);
  // Column widths in proportion to their longest text (CJK characters count double), within bounds.
  const weight = (s: string): number => [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const want = t.columns.map((_, i) => Math.min(40, Math.max(6, weight(header[i]!) * 0.7, ...body.map((r) => weight(r[i]!)))));
  const pad = 3;
  pdf.fontSize(BODY);
  // No column narrower than its widest word (a CJK character breaks anywhere), so that no word is split.
  const least = t.columns.map((_, i) => 2 * pad + 1 + Math.max(...[header[i]!, ...body.map((r) => r[i]!)].flatMap((c) => c.match(UNBREAKABLE) ?? []).map((w) => pdf.widthOfString(w)), 0));
  const widths = columnWidths(want, least, width);
  const rowHeight = (cells: string[]): number => Math.max(...cells.map((c, i) => pdf.heightOfString(c, { width: widths[i]! - 2 * pad }))) + 2 * pad;
  const drawRow = (cells: string[], isHeader: boolean, colours?: string | null): void => {
    const h = rowHeight(cells);
    if (pdf.y + h > A4.height - MARGIN) {
      pdf.addPage();
      if (!isHeader) drawRow(header, true);
    }
    const y = pdf.y;
    let x = MARGIN;
    cells.forEach((c, i) => {
      if (isHeader) pdf.rect(x, y, widths[i]!, h).fillColor('#eef3f7').fill();
      pdf.rect(x, y, widths[i]!, h).strokeColor('#cccccc').lineWidth(0.5).stroke();
      let tx = x + pad;
      if (colours && i === 2) {
        pdf.rect(tx, y + pad + 1, 6, 6).fillColor(colours).fill();
        tx += 9;
      }
      const numeric = !isHeader && t.columns[i]!.type !== 'text';
      pdf.fillColor('#222222').text(c, tx, y + pad, { width: widths[i]! - 2 * pad - (tx - x - pad), align: numeric ? 'right' : 'left' });
      x += widths[i]!;
    });
    pdf.x = MARGIN;
    pdf.y = y + h;
  };
  pdf.fontSize(BODY);
  drawRow(header, true);
  body.forEach((r, i) => drawRow(r, false, t.colours?.[i] ?? null));
}

/** The report as an A4 PDF with the Chinese font embedded (subset). */
export function renderPdf(doc: ReportDocument, font: ReportFont): Promise<Buffer> {
  const pdf = new PDFDocument({ size: 'A4', margin: MARGIN, info: { Title: `${doc.title} ${doc.subtitle}`, Creator: 'Tidewatch' }, lang: doc.lang === 'zh' ? 'zh-CN' : 'en' });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pdf.on('data', (c: Buffer) => chunks.push(c));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
  pdf.registerFont('body', font.path, font.face);
  pdf.font('body');
  pdf.fontSize(16).fillColor('#222222').text(doc.title);
  pdf.fontSize(12).fillColor('#1f5f8b').text(doc.subtitle).moveDown(0.4);
  if (doc.archive) {
    doc.archive.lines.forEach((line, i) => pdf.fontSize(i === 0 ? 9 : 10).fillColor(i === 0 ? '#1f5f8b' : '#b00020').text(line));
    pdf.moveDown(0.3);
  }
  pdf.fontSize(8).fillColor('#555555');
  for (const n of doc.notes) pdf.text(n);
  for (const t of doc.tables) {
    if (pdf.y > A4.height - MARGIN - 80) pdf.addPage();
    pdf.moveDown(0.8).fontSize(11).fillColor('#1f5f8b').text(t.title, MARGIN).moveDown(0.3);
    if (t.id === 'daily_aqi') {
      if (pdf.y > A4.height - MARGIN - 150) pdf.addPage();
      drawChart(pdf, doc);
    }
    drawTable(pdf, t);
  }
  pdf.end();
  return done;
}
