/**
 * Monitoring: a model's drift and quality reports, quality metrics over time (the quality reports of
 * the page, one read each), and one drift report with each feature's reference and current
 * distributions drawn as inline SVG.
 */
import { type Ok, read } from '../api';
import { badge, type Html, href, html, num, when } from '../html';
import { modelPicker, type PageContext, pager, table } from '../page';
import { histogramSvg, lineChartSvg, type Series } from '../svg';

/** Reports per page: each quality report on it is read for the chart, so fewer than a list's 100. */
export const REPORTS_PAGE_SIZE = 30;

const COUNT_METRICS = new Set(['count', 'n', 'support']);

type QualityReport = {
  kind: 'quality';
  createdAt: string;
  metrics: Record<string, number>;
  reportId: string;
};

export async function monitoringPage(ctx: PageContext): Promise<Html> {
  const model = ctx.params.name;
  const picker = await modelPicker(ctx, 'monitoring', model);
  if (!model)
    return html`<h1>Monitoring</h1>${picker}<p class="empty">Pick a model to see its drift and quality reports.</p>`;
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/monitoring/models/{name}/reports', {
      params: {
        path: { name: model },
        query: { limit: REPORTS_PAGE_SIZE, ...(token ? { nextToken: token } : {}) },
      },
    }),
  );
  const quality = (await Promise.all(
    page.items
      .filter((r) => r.kind === 'quality')
      .map((r) =>
        read(
          ctx.client.GET('/monitoring/models/{name}/reports/{reportId}', {
            params: { path: { name: model, reportId: r.reportId } },
          }),
        ),
      ),
  )) as unknown as QualityReport[];
  const rows = page.items.map(
    (r) => html`<tr>
      <td>${when(r.createdAt)}</td><td>${r.kind}</td>
      <td>${r.kind === 'quality' ? badge(r.degraded ? 'DEGRADED' : 'OK') : badge(r.drifted ? 'DRIFTED' : 'NO DRIFT')}</td>
      <td class="num">${r.driftShare === undefined ? '' : num(r.driftShare)}</td>
      <td>${r.kind === 'quality' ? '' : html`<a href="${href(['monitoring', model, 'reports', r.reportId])}">features</a>`}</td>
    </tr>`,
  );
  return html`<h1>Monitoring of <a href="${href(['models', model])}">${model}</a></h1>${picker}
    <h2>Quality over time</h2>
    ${quality.length ? qualityChart(quality) : html`<p class="empty">No quality report on this page.</p>`}
    <h2>Reports</h2>
    ${table(['Created', 'Kind', 'Verdict', 'Drift share', 'Details'], rows, 'No report yet.')}
    ${pager(ctx, ['monitoring', model], page.nextToken)}`;
}

function qualityChart(reports: readonly QualityReport[]): Html {
  const byMetric = new Map<string, Array<{ x: number; y: number }>>();
  for (const r of reports) {
    for (const [metric, value] of Object.entries(r.metrics)) {
      // A count is not a quality, and its scale would flatten the others.
      if (COUNT_METRICS.has(metric)) continue;
      byMetric.set(metric, [...(byMetric.get(metric) ?? []), { x: Date.parse(r.createdAt), y: value }]);
    }
  }
  const series: Series[] = [...byMetric].map(([name, points]) => ({ name, points }));
  return html`<div class="scroll">${lineChartSvg(series)}</div>`;
}

type DriftReport = Ok<'GetMonitoringReport'> & {
  features?: Array<{
    feature: string;
    drifted: boolean;
    type: string;
    test: string;
    score: number;
    threshold: number;
    scoreKind: string;
    histogram: { labels: string[]; reference: number[]; current: number[] };
  }>;
  dataset?: {
    drifted: boolean;
    driftShare: number;
    numberOfFeatures: number;
    numberOfDriftedFeatures: number;
  };
  skipped?: Array<{ feature: string; reason: string }>;
};

export async function reportPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const reportId = ctx.params.reportId!;
  const report = (await read(
    ctx.client.GET('/monitoring/models/{name}/reports/{reportId}', { params: { path: { name, reportId } } }),
  )) as DriftReport;
  const features = report.features ?? [];
  return html`<h1>Drift report of <a href="${href(['monitoring', name])}">${name}</a></h1>
    <dl class="facts">
      <dt>Created</dt><dd>${when(report.createdAt)} (${report.kind})</dd>
      <dt>Verdict</dt><dd>${report.dataset ? html`${badge(report.dataset.drifted ? 'DRIFTED' : 'NO DRIFT')} ${report.dataset.numberOfDriftedFeatures} of ${report.dataset.numberOfFeatures} features drifted (share ${num(report.dataset.driftShare)})` : 'no feature could be tested'}</dd>
    </dl>
    <div class="features">${features.map(
      (f) => html`<section class="feature ${f.drifted ? 'drifted' : ''}">
        <h3>${f.feature} ${badge(f.drifted ? 'DRIFTED' : 'OK')}</h3>
        <p class="muted">${f.type}, ${f.test}: ${f.scoreKind} ${num(f.score)} (threshold ${num(f.threshold)})</p>
        ${histogramSvg(f.histogram)}
      </section>`,
    )}</div>
    ${(report.skipped ?? []).map((s) => html`<p class="muted">${s.feature} skipped: ${s.reason}</p>`)}`;
}
