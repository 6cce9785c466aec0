import { formatCell, type ReportDocument } from './report-tables.js';

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The district's daily AQI as bars coloured by category (inline SVG: no script, prints well). */
function aqiChart(doc: ReportDocument): string {
  const days = doc.dailyAqi;
  const w = 720;
  const h = 180;
  const pad = 28;
  const max = Math.max(150, ...days.map((d) => d.aqi ?? 0));
  const bw = (w - pad - 12) / Math.max(days.length, 1);
  const y = (v: number): number => h - pad - (v / max) * (h - 2 * pad);
  const bars = days
    .map((d, i) => {
      if (d.aqi === null) return '';
      const top = y(d.aqi);
      return `<rect x="${(pad + i * bw + 1).toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(h - pad - top).toFixed(1)}" fill="${escapeHtml(d.colour ?? '#999')}" stroke="#555" stroke-width="0.3"><title>${escapeHtml(`${d.date} AQI ${d.aqi}`)}</title></rect>`;
    })
    .join('');
  const grid = [50, 100, 150, 200, 300]
    .filter((v) => v <= max)
    .map((v) => `<line x1="${pad}" x2="${w}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#bbb" stroke-dasharray="3 3"/><text x="2" y="${(y(v) + 4).toFixed(1)}" font-size="10">${v}</text>`)
    .join('');
  const labels = days
    .map((d, i) => (i % 5 === 0 ? `<text x="${(pad + (i + 0.5) * bw).toFixed(1)}" y="${h - 10}" font-size="10" text-anchor="middle">${escapeHtml(d.date.slice(5))}</text>` : ''))
    .join('');
  return `<svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="AQI">${grid}${bars}${labels}</svg>`;
}

export function renderHtml(doc: ReportDocument): string {
  const tables = doc.tables
    .map((t) => {
      const head = t.columns.map((c) => `<th>${escapeHtml(c.label)}</th>`).join('');
      const body = t.rows
        .map((row, ri) => {
          const cells = row
            .map((v, i) => {
              const col = t.columns[i]!;
              const swatch = t.colours && i === 2 && t.colours[ri] ? `<span class="swatch" style="background:${escapeHtml(t.colours[ri]!)}"></span>` : '';
              return `<td class="${col.type}">${swatch}${escapeHtml(formatCell(v, col.type, col.digits))}</td>`;
            })
            .join('');
          return `<tr>${cells}</tr>`;
        })
        .join('\n');
      const chart = t.id === 'daily_aqi' ? aqiChart(doc) : '';
      return `<section id="${t.id}"><h2>${escapeHtml(t.title)}</h2>${chart}<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="${doc.lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`${doc.title} ${doc.subtitle}`)}</title>
<style>
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 60em; color: #222; padding: 0 1em; }
  h1 { font-size: 1.5em; margin-bottom: 0.2em; }
  h2 { font-size: 1.15em; border-bottom: 2px solid #1f5f8b; padding-bottom: 0.2em; margin-top: 1.6em; }
  .subtitle { font-size: 1.2em; color: #1f5f8b; margin: 0 0 0.6em; }
  .notes { color: #555; font-size: 0.9em; }
  .archive .version { color: #1f5f8b; margin: 0.2em 0; }
  .archive .warning { color: #b00020; font-weight: bold; border: 2px solid #b00020; padding: 0.4em 0.6em; margin: 0.4em 0; }
  table { border-collapse: collapse; width: 100%; font-size: 0.92em; }
  th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; }
  th { background: #eef3f7; text-align: left; }
  td.int, td.dec, td.pct { text-align: right; font-variant-numeric: tabular-nums; }
  .swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border: 1px solid #888; vertical-align: -0.1em; }
  .chart { width: 100%; max-width: 720px; height: auto; margin: 0.5em 0; }
  @media print { body { margin: 0; max-width: none; } section { break-inside: avoid; } }
</style>
</head>
<body>
<h1>${escapeHtml(doc.title)}</h1>
<p class="subtitle">${escapeHtml(doc.subtitle)}</p>
${doc.archive ? `<div class="archive" id="archive">${doc.archive.lines.map((l, i) => `<p class="${i === 0 ? 'version' : 'warning'}">${escapeHtml(l)}</p>`).join('')}</div>` : ''}
<div class="notes">${doc.notes.map((n) => `<p>${escapeHtml(n)}</p>`).join('')}</div>
${tables}
<p class="notes">Tidewatch</p>
</body>
</html>
`;
}
