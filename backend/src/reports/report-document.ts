/** The shape every report format renders: tables of cells in one language. */
export type Lang = 'zh' | 'en';
/** How a column's numbers read: ratios are fractions shown as percentages. */
export type ColumnType = 'text' | 'int' | 'dec' | 'pct';
export type Cell = string | number | null;

export interface ReportTable {
  id: string;
  title: string;
  columns: { label: string; type: ColumnType; digits?: number }[];
  rows: Cell[][];
  /** A table of daily AQI carries each day's category colour, for the charts. */
  colours?: (string | null)[];
}

export interface ReportDocument {
  lang: Lang;
  title: string;
  subtitle: string;
  notes: string[];
  /** An archived version's lines (which version, when; then whether superseded or stale), shown at the top of every format. */
  archive?: { lines: string[] };
  tables: ReportTable[];
  /** The district's daily AQI, for the chart. */
  dailyAqi: { date: string; aqi: number | null; colour: string | null }[];
}

export type Bi = { zh: string; en: string };
