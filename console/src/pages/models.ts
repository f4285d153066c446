/**
 * Models: the registry's models, one model's versions (metrics, stage, aliases) and audit timeline,
 * and one version with its lineage graph. Each list is one request of the API's page size, the
 * page's token in the link: 10,000 versions are never fetched at once.
 */
import { type Ok, PAGE_SIZE, read, readOptional } from '../api';
import { badge, chips, type Html, href, html, num, when } from '../html';
import { type PageContext, pager, table } from '../page';
import { type LineageNode, lineageSvg } from '../svg';

/** Audit records shown under the versions; older ones are a page away. */
export const AUDIT_PAGE_SIZE = 25;
/** Parent versions the lineage graph follows back. */
const MAX_ANCESTORS = 4;
const PROMPT_TAG = 'mlops:kind';

export async function modelsPage(ctx: PageContext): Promise<Html> {
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/models', {
      params: { query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (m) => html`<tr>
      <td><a href="${href(m.tags[PROMPT_TAG] === 'prompt' ? ['prompts', m.name] : ['models', m.name])}">${m.name}</a></td>
      <td>${m.tags[PROMPT_TAG] ?? 'model'}</td>
      <td class="num">${m.latestVersion}</td>
      <td class="num">${m.productionVersions}</td>
      <td>${m.description}</td>
      <td>${chips(m.tags)}</td>
      <td>${when(m.updatedAt)}</td>
    </tr>`,
  );
  return html`<h1>Models</h1>
    ${table(['Model', 'Kind', 'Latest', 'In production', 'Description', 'Tags', 'Updated'], rows, 'No model is registered yet.')}
    ${pager(ctx, ['models'], page.nextToken)}`;
}

type Version = Ok<'ListVersions'>['items'][number];
type AuditRecord = Ok<'ListAudit'>['items'][number];

export async function modelPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const token = ctx.query.get('token') ?? undefined;
  const auditToken = ctx.query.get('auditToken') ?? undefined;
  const path = { name };
  const [model, aliases, versions, audit] = await Promise.all([
    read(ctx.client.GET('/models/{name}', { params: { path } })),
    readOptional(ctx.client.GET('/models/{name}/aliases', { params: { path } })),
    read(
      ctx.client.GET('/models/{name}/versions', {
        params: { path, query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
      }),
    ),
    read(
      ctx.client.GET('/models/{name}/audit', {
        params: { path, query: { limit: AUDIT_PAGE_SIZE, ...(auditToken ? { nextToken: auditToken } : {}) } },
      }),
    ),
  ]);
  const aliasesOf = new Map<number, string[]>();
  for (const a of aliases?.items ?? [])
    aliasesOf.set(a.version, [...(aliasesOf.get(a.version) ?? []), a.alias]);
  const metricNames = [...new Set(versions.items.flatMap((v) => Object.keys(v.metrics)))].slice(0, 6);
  const rows = versions.items.map((v: Version) =>
    versionRow(name, v, metricNames, aliasesOf.get(v.version) ?? []),
  );
  return html`<h1>${model.name}</h1>
    <p class="lead">${model.description || 'No description.'}</p>
    <dl class="facts">
      <dt>Latest version</dt><dd>${model.latestVersion}</dd>
      <dt>In production</dt><dd>${model.productionVersions}</dd>
      <dt>Aliases</dt><dd>${(aliases?.items ?? []).map((a) => html`<span class="chip alias">${a.alias} → v${a.version}</span>`)}</dd>
      <dt>Tags</dt><dd>${chips(model.tags)}</dd>
      <dt>Created</dt><dd>${when(model.createdAt)} by ${model.createdBy}</dd>
    </dl>
    <p class="links"><a href="${href(['deployments', name])}">Deployments</a> · <a href="${href(['monitoring', name])}">Monitoring</a> · <a href="${href(['batch', name])}">Batch jobs</a> · <a href="${href(['experiments', name])}">Experiments</a></p>
    <h2>Versions</h2>
    ${table(['Version', 'Status', 'Stage', 'Aliases', ...metricNames, 'Parent', 'Created'], rows, 'No version yet.')}
    ${pager(ctx, ['models', name], versions.nextToken)}
    <h2>Audit timeline</h2>
    ${auditTimeline(audit.items)}
    ${pager(ctx, ['models', name], audit.nextToken, 'auditToken')}`;
}

function versionRow(
  model: string,
  v: Version,
  metricNames: readonly string[],
  aliases: readonly string[],
): Html {
  return html`<tr class="version">
    <td><a href="${href(['models', model, 'versions', v.version])}">v${v.version}</a></td>
    <td>${badge(v.status)}</td>
    <td>${badge(v.stage)}</td>
    <td>${aliases.map((a) => html`<span class="chip alias">${a}</span>`)}</td>
    ${metricNames.map((m) => html`<td class="num">${num(v.metrics[m])}</td>`)}
    <td>${v.lineage.parentVersion ? `v${v.lineage.parentVersion}` : '-'}</td>
    <td>${when(v.createdAt)}</td>
  </tr>`;
}

/** What changed, newest first: the action, who, and the fields the change set. */
export function auditTimeline(items: readonly AuditRecord[]): Html {
  if (items.length === 0) return html`<p class="empty">No audit record yet.</p>`;
  return html`<ol class="timeline">${items.map(
    (r) => html`<li>
      <time>${when(r.at)}</time>
      <strong>${r.action}</strong>${r.version ? html` <span class="chip">v${r.version}</span>` : ''}${r.alias ? html` <span class="chip alias">${r.alias}</span>` : ''}
      <span class="muted">by ${r.actor}</span>
      ${summary(r.after)}
    </li>`,
  )}</ol>`;
}

/** The scalar fields of an audit record's `after`, as chips. */
function summary(after: unknown): Html {
  if (!after || typeof after !== 'object') return html``;
  const scalars = Object.entries(after as Record<string, unknown>)
    .filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v))
    .slice(0, 6);
  const nested = Object.entries(after as Record<string, unknown>).filter(
    ([k, v]) => k === 'weights' && v && typeof v === 'object',
  );
  return html`<div class="after">${scalars.map(([k, v]) => html`<span class="chip">${k}=${String(v)}</span>`)}${nested.map(
    ([, v]) => {
      const w = v as { champion?: number; challenger?: number };
      return html`<span class="chip">champion ${w.champion}% / challenger ${w.challenger}%</span>`;
    },
  )}</div>`;
}

export async function versionPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const version = Number(ctx.params.version);
  const v = await read(
    ctx.client.GET('/models/{name}/versions/{version}', { params: { path: { name, version } } }),
  );
  // The parents, newest first, as far as MAX_ANCESTORS: one request each.
  const ancestors: Version[] = [];
  let parent = v.lineage.parentVersion;
  while (parent !== undefined && ancestors.length < MAX_ANCESTORS) {
    const found = await readOptional(
      ctx.client.GET('/models/{name}/versions/{version}', { params: { path: { name, version: parent } } }),
    );
    if (!found) break;
    ancestors.push(found);
    parent = found.lineage.parentVersion;
  }
  const inputs: LineageNode[] = [];
  if (v.lineage.datasetUri) inputs.push({ id: 'dataset', kind: 'dataset', label: v.lineage.datasetUri });
  if (v.lineage.trainingRunId) inputs.push({ id: 'run', kind: 'run', label: v.lineage.trainingRunId });
  if (v.lineage.codeRevision) inputs.push({ id: 'code', kind: 'code', label: v.lineage.codeRevision });
  const ancestry: LineageNode[] = [
    ...ancestors.reverse().map((a) => ({
      id: `v${a.version}`,
      kind: 'version' as const,
      label: `v${a.version} ${a.stage}`,
      href: href(['models', name, 'versions', a.version]),
    })),
    { id: `v${v.version}`, kind: 'current', label: `${name} v${v.version}` },
  ];
  return html`<h1><a href="${href(['models', name])}">${name}</a> v${v.version}</h1>
    <p class="lead">${v.description || 'No description.'}</p>
    <dl class="facts">
      <dt>Status</dt><dd>${badge(v.status)} ${v.statusReason ?? ''}</dd>
      <dt>Stage</dt><dd>${badge(v.stage)}</dd>
      <dt>Metrics</dt><dd>${chips(v.metrics)}</dd>
      <dt>Parameters</dt><dd>${chips(v.params)}</dd>
      <dt>Tags</dt><dd>${chips(v.tags)}</dd>
      <dt>Artifact</dt><dd><code>s3://${v.artifact.bucket}/${v.artifact.key}</code> ${num(v.artifact.sizeBytes)} bytes, sha256 <code>${v.artifact.sha256.slice(0, 16)}…</code></dd>
      <dt>Governance</dt><dd>${chips(flat(v.governance))}</dd>
      <dt>Registered</dt><dd>${when(v.createdAt)} by ${v.createdBy}</dd>
    </dl>
    <h2>Lineage</h2>
    <div class="scroll">${lineageSvg(inputs, ancestry)}</div>`;
}

function flat(value: object): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => typeof v === 'string' || typeof v === 'number') as Array<
      [string, string | number]
    >,
  );
}
