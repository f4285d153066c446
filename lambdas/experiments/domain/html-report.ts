/**
 * An experiment's results as one self-contained HTML page, like the drift report: the verdict and
 * sample-ratio status, a table per metric, the primary effect and its interval over time (from the
 * stored snapshots plus now) and the units per arm, drawn as inline SVG. No scripts, no external
 * styles or fonts.
 */
import type { ExperimentResults, MetricResult } from '../../../contracts/experiments';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (x: number | undefined): string =>
  x === undefined || !Number.isFinite(x)
    ? '-'
    : Math.abs(x) >= 1e-3 || x === 0
      ? Number(x.toPrecision(4)).toString()
      : x.toExponential(3);

const WIDTH = 560;
const HEIGHT = 200;

/** One point of the effect-over-time chart. */
export interface EffectPoint {
  readonly at: string;
  readonly relative: number;
  readonly lower: number;
  readonly upper: number;
}

/** The relative effect (line) and its interval (band) over time, with zero marked. */
export function effectOverTimeSvg(points: readonly EffectPoint[]): string {
  const finite = points.filter((p) => Number.isFinite(p.lower) && Number.isFinite(p.upper));
  if (finite.length === 0) return '<p>No effect yet: each arm needs two outcomes.</p>';
  const lo = Math.min(0, ...finite.map((p) => p.lower));
  const hi = Math.max(0, ...finite.map((p) => p.upper));
  const span = hi - lo || 1;
  const y = (v: number) => (HEIGHT - 10 - ((v - lo) / span) * (HEIGHT - 20)).toFixed(1);
  const x = (i: number) =>
    (finite.length === 1 ? WIDTH / 2 : 30 + (i * (WIDTH - 40)) / (finite.length - 1)).toFixed(1);
  const band = [
    ...finite.map((p, i) => `${x(i)},${y(p.upper)}`),
    ...finite.map((p, i) => `${x(i)},${y(p.lower)}`).reverse(),
  ].join(' ');
  const line = finite.map((p, i) => `${x(i)},${y(p.relative)}`).join(' ');
  const dots = finite
    .map(
      (p, i) =>
        `<circle cx="${x(i)}" cy="${y(p.relative)}" r="3" fill="#4c78a8"><title>${escapeHtml(p.at)}: ${num(p.relative * 100)}% [${num(p.lower * 100)}%, ${num(p.upper * 100)}%]</title></circle>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="relative effect over time">
<polygon points="${band}" fill="#4c78a8" fill-opacity="0.2"/>
<line x1="20" x2="${WIDTH}" y1="${y(0)}" y2="${y(0)}" stroke="#888" stroke-dasharray="4 3"/>
<polyline points="${line}" fill="none" stroke="#4c78a8" stroke-width="2"/>${dots}
<text x="2" y="12" font-size="11">${num(hi * 100)}%</text><text x="2" y="${HEIGHT - 2}" font-size="11">${num(lo * 100)}%</text>
</svg>`;
}

/** Horizontal bars of units per arm against the split's expectation. */
export function unitsSvg(units: Readonly<Record<string, number>>, expected: readonly number[]): string {
  const entries = Object.entries(units);
  const max = Math.max(1, ...entries.map(([, n]) => n), ...expected);
  const rows = entries
    .map(([arm, n], i) => {
      const w = ((n / max) * (WIDTH - 160)).toFixed(1);
      const e = (((expected[i] ?? 0) / max) * (WIDTH - 160)).toFixed(1);
      const top = 10 + i * 30;
      return `<text x="0" y="${top + 14}" font-size="12">${escapeHtml(arm)}</text><rect x="100" y="${top}" width="${w}" height="20" fill="${i === 0 ? '#4c78a8' : '#f58518'}"><title>${escapeHtml(arm)}: ${n} units</title></rect><line x1="${100 + Number(e)}" x2="${100 + Number(e)}" y1="${top - 2}" y2="${top + 22}" stroke="#000"/><text x="${110 + Number(w)}" y="${top + 14}" font-size="12">${n}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${20 + entries.length * 30}" role="img" aria-label="units per arm">${rows}</svg>`;
}

function metricTable(m: MetricResult): string {
  const arms = m.arms
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.arm)}</td><td>${a.n}</td><td>${num(a.mean)}</td><td>[${num(a.interval.lower)}, ${num(a.interval.upper)}]</td></tr>`,
    )
    .join('');
  const e = m.effect;
  const effect = e
    ? `<p>absolute ${num(e.absolute)} [${num(e.absoluteInterval.lower)}, ${num(e.absoluteInterval.upper)}]; relative ${num(e.relative * 100)}% [${num(e.relativeInterval.lower * 100)}%, ${num(e.relativeInterval.upper * 100)}%]; p = ${num(e.pValue)}${e.pValueHolm === undefined ? '' : `, Holm ${num(e.pValueHolm)}, BH ${num(e.pValueBenjaminiHochberg)}`}${m.breached ? ' <strong>guardrail breached</strong>' : ''}</p>`
    : '<p>No effect yet.</p>';
  return `<h3>${escapeHtml(m.metric)} (${m.role}, ${m.kind}, ${m.betterDirection} is better)</h3>
<table><tr><th>arm</th><th>n</th><th>${m.kind === 'proportion' ? 'rate' : 'mean'}</th><th>interval</th></tr>${arms}</table>${effect}`;
}

/** The whole page. */
export function resultsHtml(
  r: ExperimentResults,
  history: readonly EffectPoint[],
  expectedUnits: readonly number[],
): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Experiment ${escapeHtml(r.name)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}</style>
</head><body>
<h1>Experiment ${escapeHtml(r.name)}</h1>
<p>Status ${r.status}; ${r.analysis} analysis at alpha ${r.alpha}; verdict <strong>${r.verdict}</strong>.</p>
<p>Sample ratio: chi-square ${num(r.sampleRatio.statistic)}, p = ${num(r.sampleRatio.pValue)}${r.sampleRatio.mismatch ? ' <strong>MISMATCH: results hidden</strong>' : ''}. Sample size ${r.sampleSize.reached ? 'reached' : 'not reached'} (${Object.entries(
    r.sampleSize.required,
  )
    .map(([a, n]) => `${escapeHtml(a)} ${n}`)
    .join(', ')}).</p>
<h2>Primary effect over time</h2>
${effectOverTimeSvg(history)}
<h2>Units per arm</h2>
${unitsSvg(r.units, expectedUnits)}
<h2>Metrics</h2>
${r.metrics.map(metricTable).join('\n')}
<p>Computed ${escapeHtml(r.computedAt)}.</p>
</body></html>
`;
}
