/** A goal's figure as the boards show it: ratios in per cent, minutes, counts and days whole. */
export function showFigure(f: { value: number | null; unit: string }, lang: string): string {
  if (f.value === null) return '—';
  if (f.unit === 'ratio') return `${(f.value * 100).toFixed(1)}%`;
  if (f.unit === 'min') return `${f.value.toFixed(1)} ${lang === 'zh' ? '分钟' : 'min'}`;
  if (f.unit === 'count' || f.unit === 'days') return String(Math.round(f.value));
  return f.value.toFixed(2);
}
