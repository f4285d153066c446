/**
 * LLM endpoints (LLMOps): each declared endpoint with the model it serves now (a promoted
 * candidate, else its configured model), its candidates and a running model rollout's split, and
 * today's calls and cost by endpoint and model from the usage records.
 */
import { read } from '../api';
import { type Html, html } from '../html';
import { type PageContext, table } from '../page';

export async function llmEndpointsPage(ctx: PageContext): Promise<Html> {
  const today = new Date().toISOString().slice(0, 10);
  const [endpoints, usage] = await Promise.all([
    read(ctx.client.GET('/llm/endpoints')),
    read(
      ctx.client.GET('/llm/usage', {
        params: { query: { from: today, to: today, groupBy: 'endpoint,model' } },
      }),
    ),
  ]);
  const rows = endpoints.items.map(
    (e) => html`<tr><td>${e.name}</td><td>${e.backend}</td><td>${e.servedModel}${
      e.promotion ? html` <span class="muted">(was ${e.promotion.previousModel})</span>` : ''
    }</td><td>${e.candidates.map((c) => html`<span class="chip">${c}</span>`)}</td>
      <td>${e.rollout ? `${e.rollout.candidate}: ${e.rollout.challengerPercent}%` : ''}</td>
      <td>${e.sageMakerEndpointName ?? ''}${e.instanceType ? ` (${e.instanceType})` : ''}</td></tr>`,
  );
  const spent = usage.groups.map(
    (g) => html`<tr><td>${g.key.endpoint ?? ''}</td><td>${g.key.model ?? ''}</td>
      <td class="num">${g.calls}</td><td class="num">${g.cacheHits}</td>
      <td class="num">${g.inputTokens}</td><td class="num">${g.outputTokens}</td>
      <td class="num">${(g.costMicroUsd / 1e6).toFixed(6)}</td></tr>`,
  );
  return html`<h1>LLM endpoints</h1>
    ${table(['Endpoint', 'Backend', 'Serves', 'Candidates', 'Rollout', 'SageMaker endpoint'], rows, 'No LLM endpoint declared.')}
    <h2>Usage today (${today}, UTC)</h2>
    ${table(['Endpoint', 'Model', 'Calls', 'Cache hits', 'Input tokens', 'Output tokens', 'Cost (USD)'], spent, 'No call today.')}`;
}
