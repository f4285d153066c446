/**
 * Feature views: the declared views with their freshness policy, and one view's schema. The API
 * serves definitions; the age of a view's newest row is a CloudWatch metric (`FeatureFreshnessSeconds`)
 * the API does not expose, so the page shows what freshness is expected and when the view last changed.
 */
import { PAGE_SIZE, read } from '../api';
import { chips, type Html, href, html, when } from '../html';
import { type PageContext, pager, table } from '../page';

export function duration(seconds: number | undefined): string {
  if (!seconds) return 'none';
  const units: Array<[number, string]> = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
  ];
  for (const [size, unit] of units) if (seconds % size === 0) return `${seconds / size} ${unit}`;
  return `${seconds} s`;
}

export async function featureViewsPage(ctx: PageContext): Promise<Html> {
  const token = ctx.query.get('token') ?? undefined;
  const page = await read(
    ctx.client.GET('/feature-views', {
      params: { query: { limit: PAGE_SIZE, ...(token ? { nextToken: token } : {}) } },
    }),
  );
  const rows = page.items.map(
    (v) => html`<tr>
      <td><a href="${href(['feature-views', v.name])}">${v.name}</a></td><td class="num">${v.version}</td>
      <td>${v.entities.map((e) => e.name).join(', ')}</td><td class="num">${v.features.length}</td>
      <td>${v.source.type}</td><td>${duration(v.ttlSeconds)}</td><td>${duration(v.expectedIntervalSeconds)}</td>
      <td>${v.owner}</td><td>${when(v.updatedAt)}</td>
    </tr>`,
  );
  return html`<h1>Feature views</h1>
    ${table(['View', 'Version', 'Entities', 'Features', 'Source', 'TTL', 'Fresh every', 'Owner', 'Updated'], rows, 'No feature view yet.')}
    ${pager(ctx, ['feature-views'], page.nextToken)}`;
}

export async function featureViewPage(ctx: PageContext): Promise<Html> {
  const name = ctx.params.name!;
  const v = await read(ctx.client.GET('/feature-views/{name}', { params: { path: { name } } }));
  const rows = [
    ...v.entities.map(
      (e) => html`<tr><td>${e.name}</td><td>entity</td><td>${e.valueType}</td><td></td></tr>`,
    ),
    ...v.features.map(
      (f) =>
        html`<tr><td>${f.name}</td><td>feature</td><td>${f.dtype}</td><td>${constraints(f as Record<string, unknown>)}</td></tr>`,
    ),
  ];
  return html`<h1>${v.name} <span class="muted">v${v.version}</span></h1>
    <p class="lead">${v.description || 'No description.'}</p>
    <dl class="facts">
      <dt>Source</dt><dd>${v.source.type}${'uri' in v.source ? html` <code>${v.source.uri}</code>` : ''}</dd>
      <dt>Freshness</dt><dd>new rows expected every ${duration(v.expectedIntervalSeconds)}; online values live ${duration(v.ttlSeconds)}</dd>
      <dt>Owner</dt><dd>${v.owner || '-'}</dd>
      <dt>Tags</dt><dd>${chips(v.tags)}</dd>
      <dt>Created</dt><dd>${when(v.createdAt)}</dd>
      <dt>Last changed</dt><dd>${when(v.updatedAt)}</dd>
    </dl>
    <h2>Schema</h2>
    ${table(['Name', 'Role', 'Type', 'Constraints'], rows, 'No column.')}`;
}

function constraints(f: Record<string, unknown>): string {
  const parts: string[] = [];
  if (f.min !== undefined) parts.push(`min ${f.min}`);
  if (f.max !== undefined) parts.push(`max ${f.max}`);
  if (Array.isArray(f.allowedValues)) parts.push(`one of ${f.allowedValues.join(', ')}`);
  if (f.required === true) parts.push('required');
  if (typeof f.description === 'string' && f.description) parts.push(f.description);
  return parts.join('; ');
}
