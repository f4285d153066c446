/**
 * Prompts (LLMOps): prompts are registered models tagged as prompts, so the list is the registry's
 * filtered by MLflow's prompt tag; one prompt shows its aliases and its latest versions' templates.
 */
import { PAGE_SIZE, read, readOptional } from '../api';
import { chips, type Html, href, html, when } from '../html';
import { type PageContext, pager, table } from '../page';

/** Versions of a prompt shown, newest first. */
const PROMPT_VERSIONS_SHOWN = 5;
/** The tag the platform sets on every prompt (MLflow's), as the model list's filter. */
const PROMPT_FILTER = { tag: 'mlflow.prompt.is_prompt', tagValue: 'true' };

export async function promptsPage(ctx: PageContext): Promise<Html> {
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/models', {
      params: { query: { ...PROMPT_FILTER, limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (
      p,
    ) => html`<tr><td><a href="${href(['prompts', p.name])}">${p.name}</a></td><td class="num">${p.latestVersion}</td>
      <td>${p.description}</td><td>${when(p.updatedAt)}</td></tr>`,
  );
  return html`<h1>Prompts</h1>
    ${table(['Prompt', 'Latest version', 'Description', 'Updated'], rows, 'No prompt yet.')}
    ${pager(ctx, ['prompts'], page.nextToken)}`;
}

export async function promptPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const [prompt, aliases] = await Promise.all([
    read(ctx.client.GET('/llm/prompts/{name}', { params: { path: { name } } })),
    readOptional(ctx.client.GET('/models/{name}/aliases', { params: { path: { name } } })),
  ]);
  const numbers = Array.from(
    { length: Math.min(PROMPT_VERSIONS_SHOWN, prompt.latestVersion) },
    (_, i) => prompt.latestVersion - i,
  );
  const versions = await Promise.all(
    numbers.map((version) =>
      read(ctx.client.GET('/llm/prompts/{name}/versions/{version}', { params: { path: { name, version } } })),
    ),
  );
  return html`<h1>Prompt ${prompt.name}</h1>
    <p class="lead">${prompt.description || 'No description.'}</p>
    <dl class="facts">
      <dt>Aliases</dt><dd>${(aliases?.items ?? []).map((a) => html`<span class="chip alias">${a.alias} → v${a.version}</span>`)}</dd>
      <dt>Created</dt><dd>${when(prompt.createdAt)} by ${prompt.createdBy}</dd>
    </dl>
    <h2>Versions</h2>
    ${versions.map(
      (
        v,
      ) => html`<section class="prompt-version"><h3>v${v.version} <span class="muted">${v.commitMessage}</span></h3>
        <pre>${typeof v.template === 'string' ? v.template : v.template.map((m) => `${m.role}: ${m.content}`).join('\n')}</pre>
        <p>Variables: ${v.variables.map((x) => html`<span class="chip">${x}</span>`)} Parameters: ${chips(v.modelParameters as Record<string, number>)}</p>
        <p class="muted">Evaluation: ${chips(v.tags)} · ${when(v.createdAt)} by ${v.createdBy}</p>
      </section>`,
    )}`;
}
