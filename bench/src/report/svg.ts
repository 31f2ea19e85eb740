/** A series of a line chart: points (x, y) joined in x order; missing points leave a gap. */
export interface Series {
  readonly name: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
}

const WIDTH = 420;
const HEIGHT = 300;
const M = { left: 62, right: 26, top: 30, bottom: 44 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function fmt(v: number): string {
  if (v >= 1e6) return `${+(v / 1e6).toPrecision(2)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toPrecision(2)}k`;
  return `${+v.toPrecision(2)}`;
}

/** Powers of ten covering [lo, hi] (log axes). */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/** One log-log line chart as an SVG group at (ox, oy). */
function chartGroup(chart: LineChart, ox: number, oy: number, colorOf: (name: string) => string): string {
  const pts = chart.series.flatMap((s) => s.points).filter(([x, y]) => x > 0 && y > 0);
  if (pts.length === 0)
    return `<g transform="translate(${ox},${oy})"><text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">${esc(chart.title)}: no data</text></g>`;
  const xs = decades(Math.min(...pts.map((p) => p[0])), Math.max(...pts.map((p) => p[0])));
  const ys = decades(Math.min(...pts.map((p) => p[1])), Math.max(...pts.map((p) => p[1])));
  const [x0, x1] = [Math.log10(xs[0]!), Math.log10(xs[xs.length - 1]!)];
  const [y0, y1] = [Math.log10(ys[0]!), Math.log10(ys[ys.length - 1]!)];
  const w = WIDTH - M.left - M.right;
  const h = HEIGHT - M.top - M.bottom;
  const px = (x: number) => M.left + (x1 === x0 ? w / 2 : ((Math.log10(x) - x0) / (x1 - x0)) * w);
  const py = (y: number) => M.top + h - (y1 === y0 ? h / 2 : ((Math.log10(y) - y0) / (y1 - y0)) * h);
  const parts: string[] = [];
  parts.push(
    `<text x="${WIDTH / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(chart.title)}</text>`,
  );
  for (const y of ys) {
    parts.push(`<line x1="${M.left}" x2="${M.left + w}" y1="${py(y)}" y2="${py(y)}" stroke="#ddd"/>`);
    parts.push(`<text x="${M.left - 6}" y="${py(y) + 4}" text-anchor="end">${fmt(y)}</text>`);
  }
  for (const x of xs) {
    parts.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${M.top}" y2="${M.top + h}" stroke="#eee"/>`);
    parts.push(`<text x="${px(x)}" y="${M.top + h + 16}" text-anchor="middle">${fmt(x)}</text>`);
  }
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${w}" height="${h}" fill="none" stroke="#888"/>`);
  parts.push(
    `<text x="${M.left + w / 2}" y="${HEIGHT - 8}" text-anchor="middle">${esc(chart.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14,${M.top + h / 2}) rotate(-90)" text-anchor="middle">${esc(chart.yLabel)}</text>`,
  );
  for (const s of chart.series) {
    const sorted = s.points.filter(([x, y]) => x > 0 && y > 0).sort((a, b) => a[0] - b[0]);
    if (sorted.length === 0) continue;
    const color = colorOf(s.name);
    parts.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2" points="${sorted.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ')}"/>`,
    );
    for (const [x, y] of sorted)
      parts.push(
        `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.name)}: ${fmt(y)} at ${fmt(x)}</title></circle>`,
      );
  }
  return `<g transform="translate(${ox},${oy})">${parts.join('')}</g>`;
}

/**
 * Log-log line charts side by side, sharing one legend (a series keeps its color in every chart).
 * Plain SVG 1.1, no script, no external font.
 */
export function renderCharts(charts: readonly LineChart[], caption: string): string {
  const names = [...new Set(charts.flatMap((c) => c.series.map((s) => s.name)))];
  const colorOf = (name: string) => COLORS[names.indexOf(name) % COLORS.length]!;
  const legendHeight = 26;
  const width = WIDTH * charts.length;
  const height = HEIGHT + legendHeight + 22;
  const legend = names.map(
    (name, i) =>
      `<g transform="translate(${12 + i * 150},${HEIGHT + 14})"><rect width="12" height="12" fill="${colorOf(name)}"/><text x="18" y="11">${esc(name)}</text></g>`,
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11" role="img">`,
    `<title>${esc(charts.map((c) => c.title).join('; '))}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...charts.map((c, i) => chartGroup(c, i * WIDTH, 0, colorOf)),
    ...legend,
    `<text x="12" y="${height - 6}" fill="#555">${esc(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
