/**
 * A drift report as one self-contained HTML page: the dataset verdict, then per feature its test,
 * statistic, score against threshold and verdict, beside the reference and current distributions
 * drawn as inline SVG bars. No scripts, no external styles or fonts: it opens from S3, a mail
 * attachment or disk alike, and a strict Content-Security-Policy cannot break it.
 */
import type { DriftReport, FeatureReport, Histogram } from './drift-report';

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const num = (x: number): string =>
  Number.isFinite(x)
    ? Math.abs(x) >= 1e-3 || x === 0
      ? Number(x.toPrecision(4)).toString()
      : x.toExponential(3)
    : String(x);

const REF_COLOUR = '#4c78a8';
const CUR_COLOUR = '#f58518';
const WIDTH = 520;
const HEIGHT = 160;

/** Grouped bars, reference then current per bin, scaled to the tallest bar. */
export function histogramSvg(h: Histogram, title: string): string {
  const n = h.labels.length;
  const max = Math.max(...h.reference, ...h.current, 1e-12);
  const slot = WIDTH / Math.max(n, 1);
  const bar = Math.max(1, (slot - 2) / 2);
  const plot = HEIGHT - 20;
  const rects: string[] = [];
  h.labels.forEach((label, i) => {
    const x = i * slot + 1;
    for (const [j, value, colour, side] of [
      [0, h.reference[i], REF_COLOUR, 'reference'],
      [1, h.current[i], CUR_COLOUR, 'current'],
    ] as const) {
      const height = (value / max) * plot;
      rects.push(
        `<rect x="${(x + j * bar).toFixed(1)}" y="${(plot - height).toFixed(1)}" width="${bar.toFixed(1)}" height="${height.toFixed(1)}" fill="${colour}"><title>${escapeHtml(label)} ${side}: ${(value * 100).toFixed(1)}%</title></rect>`,
      );
    }
  });
  const first = escapeHtml(h.labels[0] ?? '');
  const last = escapeHtml(h.labels[n - 1] ?? '');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}">`,
    `<line x1="0" y1="${plot}" x2="${WIDTH}" y2="${plot}" stroke="#999"/>`,
    ...rects,
    `<text x="0" y="${HEIGHT - 4}" font-size="10">${first}</text>`,
    `<text x="${WIDTH}" y="${HEIGHT - 4}" font-size="10" text-anchor="end">${last}</text>`,
    '</svg>',
  ].join('');
}

function featureSection(f: FeatureReport): string {
  const verdict = f.drifted ? '<strong class="drift">DRIFT</strong>' : '<span class="ok">no drift</span>';
  const rule =
    f.scoreKind === 'p-value'
      ? `p-value ${num(f.score)} &lt; ${num(f.threshold)}?`
      : `score ${num(f.score)} &ge; ${num(f.threshold)}?`;
  return `<section>
<h2>${escapeHtml(f.feature)} <small>(${f.type})</small> ${verdict}</h2>
<p>test <code>${f.test}</code>, statistic ${num(f.statistic)}, ${rule}
 &middot; reference n=${f.referenceSize}, current n=${f.currentSize}${f.missing ? `, ${f.missing} missing` : ''}${f.invalid ? `, ${f.invalid} invalid` : ''}</p>
${histogramSvg(f.histogram, `${f.feature}: reference vs current`)}
</section>`;
}

/** Renders the page. Every text from data is escaped. */
export function renderDriftReportHtml(report: DriftReport): string {
  const d = report.dataset;
  const headline = d
    ? `${d.drifted ? '<strong class="drift">Dataset drift</strong>' : '<span class="ok">No dataset drift</span>'}: ${d.numberOfDriftedFeatures} of ${d.numberOfFeatures} features drifted (share ${num(d.driftShare)}, threshold ${num(d.driftShareThreshold)})`
    : 'No feature could be tested';
  const version = report.modelVersion === undefined ? '' : ` version ${report.modelVersion}`;
  const skipped = report.skipped.length
    ? `<p>Not tested: ${report.skipped.map((s) => `${escapeHtml(s.feature)} (${escapeHtml(s.reason)})`).join(', ')}</p>`
    : '';
  const window = report.window
    ? `<p>Window: ${report.window.files} capture file(s)${report.window.lastKey ? `, up to <code>${escapeHtml(report.window.lastKey)}</code>` : ''}</p>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Drift report ${escapeHtml(report.modelName)}${version} ${escapeHtml(report.createdAt)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}.drift{color:#b00}.ok{color:#070}
.key span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 1rem}
</style></head><body>
<h1>Drift report: ${escapeHtml(report.modelName)}${version}</h1>
<p>${escapeHtml(report.kind)} check, ${escapeHtml(report.createdAt)}, report <code>${escapeHtml(report.reportId)}</code>;
 reference ${report.referenceRows} rows, current ${report.currentRows} rows.</p>
<p>${headline}</p>${window}${skipped}
<p class="key"><span style="background:${REF_COLOUR}"></span>reference<span style="background:${CUR_COLOUR}"></span>current (share of rows per bin)</p>
${report.features.map(featureSection).join('\n')}
</body></html>
`;
}
