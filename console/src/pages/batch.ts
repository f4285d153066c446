/** Batch predictions: a model's jobs, their progress, counts and where their output lands. */
import { PAGE_SIZE, read } from '../api';
import { badge, type Html, href, html, when } from '../html';
import { modelPicker, type PageContext, pager, table } from '../page';

export async function batchPage(ctx: PageContext): Promise<Html> {
  const model = ctx.params.name;
  const picker = await modelPicker(ctx, 'batch', model);
  if (!model)
    return html`<h1>Batch jobs</h1>${picker}<p class="empty">Pick a model to see its batch jobs.</p>`;
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/models/{name}/batch-predictions', {
      params: { path: { name: model }, query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (j) => html`<tr>
      <td>${j.jobId.slice(0, 8)}</td><td>v${j.version}${j.alias ? ` (${j.alias})` : ''}</td><td>${j.engine}</td>
      <td>${badge(j.status)} ${j.statusReason ?? ''}</td>
      <td><progress max="100" value="${Math.round(j.progress * 100)}"></progress> ${Math.round(j.progress * 100)}%</td>
      <td class="num">${j.counts.read}</td><td class="num">${j.counts.predicted}</td><td class="num">${j.counts.failed}</td>
      <td>${badge(j.countsCheck)}</td>
      <td><code>${'uri' in j.input ? j.input.uri : `${j.input.featureView} ← ${j.input.entities}`}</code></td>
      <td><code>${j.output.uri}</code></td><td>${when(j.createdAt)}</td>
    </tr>`,
  );
  return html`<h1>Batch jobs of <a href="${href(['models', model])}">${model}</a></h1>${picker}
    ${table(['Job', 'Version', 'Engine', 'Status', 'Progress', 'Read', 'Predicted', 'Failed', 'Counts', 'Input', 'Output', 'Submitted'], rows, 'No batch job yet.')}
    ${pager(ctx, ['batch', model], page.nextToken)}`;
}
