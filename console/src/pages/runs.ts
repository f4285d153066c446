/**
 * Tracking runs, over the platform's MLflow REST API: the experiments (MLflow's, of tracking), and
 * one experiment's runs with their metrics and parameters, a page of `max_results` at a time.
 */
import { PAGE_SIZE, read } from '../api';
import { badge, type Html, href, html, num, when } from '../html';
import { type PageContext, pager, table } from '../page';

export async function trackingExperimentsPage(ctx: PageContext): Promise<Html> {
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/api/2.0/mlflow/experiments/search', {
      params: { query: { max_results: PAGE_SIZE, ...(token ? { page_token: token } : {}) } },
    }),
  );
  const rows = (page.experiments ?? []).map(
    (
      e,
    ) => html`<tr><td><a href="${href(['runs', e.experiment_id])}">${e.name}</a></td><td>${e.experiment_id}</td>
      <td>${e.lifecycle_stage}</td><td>${when(e.creation_time)}</td><td>${when(e.last_update_time)}</td></tr>`,
  );
  return html`<h1>Tracking</h1>
    ${table(['Experiment', 'Id', 'Lifecycle', 'Created', 'Updated'], rows, 'No tracking experiment yet.')}
    ${pager(ctx, ['runs'], page.next_page_token)}`;
}

export async function runsPage(ctx: PageContext): Promise<Html> {
  const experimentId = ctx.params.experimentId!;
  const token = ctx.query.get('token') ?? undefined;
  const [experiment, page] = await Promise.all([
    read(
      ctx.client.GET('/api/2.0/mlflow/experiments/get', {
        params: { query: { experiment_id: experimentId } },
      }),
    ),
    read(
      ctx.client.POST('/api/2.0/mlflow/runs/search', {
        body: {
          experiment_ids: [experimentId],
          max_results: PAGE_SIZE,
          order_by: ['attributes.start_time DESC'],
          ...(token ? { page_token: token } : {}),
        },
      }),
    ),
  ]);
  const runs = page.runs ?? [];
  const metricNames = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))].slice(0, 5);
  const paramNames = [...new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)))].slice(0, 4);
  const rows = runs.map((r) => {
    const metric = (key: string) => r.data.metrics.find((m) => m.key === key)?.value;
    return html`<tr><td>${r.info.run_name}</td><td>${badge(r.info.status)}</td><td>${when(r.info.start_time)}</td>
      ${metricNames.map((k) => {
        const v = metric(k);
        return html`<td class="num">${typeof v === 'number' ? num(v) : (v ?? '')}</td>`;
      })}
      ${paramNames.map((k) => html`<td>${r.data.params.find((p) => p.key === k)?.value ?? ''}</td>`)}
      <td class="muted">${r.info.user_id}</td></tr>`;
  });
  return html`<h1>Runs of <a href="#/runs">${experiment.experiment.name}</a></h1>
    ${table(['Run', 'Status', 'Started', ...metricNames, ...paramNames, 'User'], rows, 'No run yet.')}
    ${pager(ctx, ['runs', experimentId], page.next_page_token)}`;
}
