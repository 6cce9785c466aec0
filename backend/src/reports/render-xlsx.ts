import ExcelJS from 'exceljs';
import type { ColumnType, ReportDocument } from './report-tables.js';

const FORMAT: Record<ColumnType, string | undefined> = { text: undefined, int: '0', dec: '0.00', pct: '0.0%' };

/** Excel forbids these in sheet names and allows at most 31 characters. */
const sheetName = (s: string, used: Set<string>): string => {
  const base = s.replace(/[[\]:*?/\\]/g, ' ').slice(0, 28).trim() || 'Sheet';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base} ${i}`;
  used.add(name);
  return name;
};

/** A text's width in Excel's character units: a CJK character takes two. */
const textWidth = (s: string): number => [...s].reduce((a, ch) => a + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);

/** One worksheet per table; numbers as numbers with their formats (ratios as percentages). */
export async function renderXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Tidewatch';
  wb.title = `${doc.title} ${doc.subtitle}`;
  const used = new Set<string>();
  for (const t of doc.tables) {
    const archive = doc.archive?.lines ?? [];
    const ws = wb.addWorksheet(sheetName(t.title, used), { views: [{ state: 'frozen', ySplit: 3 + archive.length }] });
    ws.addRow([`${doc.title} ${doc.subtitle}`]).font = { bold: true, size: 13 };
    // Every sheet says which archived version it is, and whether it is superseded or stale.
    archive.forEach((line, i) => {
      ws.addRow([line]).font = { bold: i > 0, color: { argb: i > 0 ? 'FFB00020' : 'FF1F5F8B' } };
    });
    ws.addRow([t.title]).font = { bold: true };
    const header = ws.addRow(t.columns.map((c) => c.label));
    header.font = { bold: true };
    header.eachCell((c) => {
      c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEEF3F7' } };
    });
    for (const r of t.rows) ws.addRow(r.map((v) => (v === null ? null : v)));
    t.columns.forEach((c, i) => {
      const col = ws.getColumn(i + 1);
      const fmt = c.type === 'dec' ? `0.${'0'.repeat(c.digits ?? 2)}` : FORMAT[c.type];
      if (fmt) col.numFmt = fmt;
      const widest = Math.max(textWidth(c.label), ...t.rows.map((r) => textWidth(String(r[i] ?? ''))));
      col.width = Math.min(60, Math.max(8, widest * 1.1 + 2));
    });
  }
  const notes = wb.addWorksheet(sheetName(doc.lang === 'zh' ? '说明' : 'Notes', used));
  for (const n of [...(doc.archive?.lines ?? []), ...doc.notes]) notes.addRow([n]);
  notes.getColumn(1).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
