/**
 * A/B experiments. The API has no list of experiments: a model's are found in its latest audit page
 * (their `Experiment*` records name them), and any is opened by name. One experiment shows its arms,
 * sample size and, once it runs, the results per metric and arm.
 */
import { PAGE_SIZE, read, readOptional } from '../api';
import { badge, type Html, href, html, num, when } from '../html';
import { modelPicker, type PageContext, table } from '../page';

export async function experimentsPage(ctx: PageContext): Promise<Html> {
  const model = ctx.params.name;
  const picker = await modelPicker(ctx, 'experiments', model);
  const byName = html`<form class="picker" data-go="#/experiment/{experiment}">
    <label>Experiment <input name="experiment" placeholder="experiment name" required></label><button type="submit">Open</button></form>`;
  if (!model)
    return html`<h1>Experiments</h1>${picker}${byName}<p class="empty">Pick a model to see its experiments.</p>`;
  const audit = await read(
    ctx.client.GET('/models/{name}/audit', {
      params: { path: { name: model }, query: { limit: PAGE_SIZE } },
    }),
  );
  const names = [
    ...new Set(
      audit.items
        .filter((r) => r.action.startsWith('Experiment'))
        .map((r) => (r.after as { experiment?: string } | undefined)?.experiment)
        .filter((n): n is string => Boolean(n)),
    ),
  ];
  const experiments = await Promise.all(
    names.map((name) => readOptional(ctx.client.GET('/experiments/{name}', { params: { path: { name } } }))),
  );
  const rows = experiments
    .filter((e) => e !== undefined)
    .map(
      (e) => html`<tr>
        <td><a href="${href(['experiment', e.name])}">${e.name}</a></td><td>${badge(e.status)}</td>
        <td>${e.arms.map((a) => html`<span class="chip">${a.name} v${a.version} ${a.trafficPercent}%</span>`)}</td>
        <td>${e.primaryMetric.name}</td><td>${e.analysis}</td><td>${e.winner ?? ''}</td><td>${when(e.createdAt)}</td>
      </tr>`,
    );
  return html`<h1>Experiments on <a href="${href(['models', model])}">${model}</a></h1>${picker}${byName}
    ${table(['Experiment', 'Status', 'Arms', 'Primary metric', 'Analysis', 'Winner', 'Created'], rows, 'No experiment in the latest audit records.')}`;
}

export async function experimentPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const path = { name };
  const [e, results] = await Promise.all([
    read(ctx.client.GET('/experiments/{name}', { params: { path } })),
    readOptional(ctx.client.GET('/experiments/{name}/results', { params: { path } })),
  ]);
  const metricRows = (results?.metrics ?? []).flatMap((m) =>
    m.arms.map(
      (a) => html`<tr><td>${m.metric}</td><td>${m.role}</td><td>${a.arm}</td><td class="num">${a.n}</td>
        <td class="num">${num(a.mean)}</td><td>[${num(a.interval.lower)}, ${num(a.interval.upper)}]</td>
        <td class="num">${m.effect ? num(m.effect.relative) : ''}</td><td class="num">${m.effect ? num(m.effect.pValue) : ''}</td></tr>`,
    ),
  );
  return html`<h1>Experiment ${e.name}</h1>
    <p class="lead">${e.description ?? ''}</p>
    <dl class="facts">
      <dt>Model</dt><dd><a href="${href(['models', e.modelName])}">${e.modelName}</a></dd>
      <dt>Status</dt><dd>${badge(e.status)} ${e.reason ?? ''}</dd>
      <dt>Arms</dt><dd>${e.arms.map((a) => html`<span class="chip">${a.name}${a.name === e.control ? ' (control)' : ''}: v${a.version}, ${a.trafficPercent}%</span>`)}</dd>
      <dt>Primary metric</dt><dd>${e.primaryMetric.name} (${e.primaryMetric.kind}, ${e.primaryMetric.betterDirection} is better)</dd>
      <dt>Design</dt><dd>${e.analysis}, alpha ${num(e.alpha)}, power ${num(e.power)}, minimum detectable effect ${num(e.minimumDetectableEffect)}</dd>
      <dt>Sample size per arm</dt><dd>${Object.entries(e.sampleSize.perArm).map(([arm, n]) => html`<span class="chip">${arm} ${n}</span>`)}</dd>
      ${e.winner ? html`<dt>Winner</dt><dd>${e.winner}</dd>` : ''}
      <dt>Created</dt><dd>${when(e.createdAt)}${e.startedAt ? `, started ${when(e.startedAt)}` : ''}${e.endedAt ? `, ended ${when(e.endedAt)}` : ''}</dd>
    </dl>
    <h2>Results</h2>
    ${
      results
        ? html`<p>${badge(results.verdict)} units ${Object.entries(results.units)
            .map(([arm, n]) => `${arm} ${n}`)
            .join(
              ', ',
            )}; sample ratio ${results.sampleRatio.mismatch ? badge('MISMATCH') : 'ok'} (p ${num(results.sampleRatio.pValue)})</p>`
        : ''
    }
    ${table(['Metric', 'Role', 'Arm', 'n', 'Mean', 'Interval', 'Relative effect', 'p-value'], metricRows, 'No result yet: the experiment has not run.')}`;
}
