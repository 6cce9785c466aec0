import { stringify } from 'csv-stringify/sync';
import type { Cell, ColumnType, ReportDocument } from './report-tables.js';

/** Numbers stay numbers (percentages as percent values), so the file sums and sorts in a spreadsheet. */
function csvValue(v: Cell, type: ColumnType): string | number {
  if (v === null) return '';
  if (typeof v === 'number' && type === 'pct') return Math.round(v * 1000) / 10;
  return v;
}

/**
 * The report's tables one after another, each under a title row and separated by a blank
 * line; UTF-8 with a byte-order mark so spreadsheet programs read the Chinese text.
 */
export function renderCsv(doc: ReportDocument): string {
  const rows: (string | number)[][] = [[doc.title, doc.subtitle], ...(doc.archive?.lines ?? []).map((l) => [l]), ...doc.notes.map((n) => [n]), []];
  for (const t of doc.tables) {
    rows.push([`# ${t.title}`]);
    rows.push(t.columns.map((c) => (c.type === 'pct' ? `${c.label} (%)` : c.label)));
    for (const r of t.rows) rows.push(r.map((v, i) => csvValue(v, t.columns[i]!.type)));
    rows.push([]);
  }
  return `\uFEFF${stringify(rows, { record_delimiter: 'windows' })}`;
}
