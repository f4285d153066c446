/**
 * What a page is: a title and a render from the route's parameters to HTML, reading the API through
 * the typed client. Pages share the pager (the API's `nextToken`, carried in the link) and the
 * model picker of the sections that are per model.
 */
import { type ConsoleClient, PAGE_SIZE, read } from './api';
import { type Html, href, html } from './html';

export interface PageContext {
  readonly client: ConsoleClient;
  /** Decoded path parameters of the route (`name`, `version`...). */
  readonly params: Readonly<Record<string, string>>;
  /** The hash's query: `token` is the page's `nextToken`. */
  readonly query: URLSearchParams;
}

export type Render = (ctx: PageContext) => Promise<Html>;

/** Links to the first page and the next one; the API's token rides in the link. */
export function pager(
  ctx: PageContext,
  segments: ReadonlyArray<string | number>,
  nextToken: string | undefined,
  param = 'token',
): Html {
  const others = Object.fromEntries([...ctx.query].filter(([k]) => k !== param));
  const first = ctx.query.get(param)
    ? html`<a class="page-link" href="${href(segments, others)}">First page</a>`
    : '';
  const next = nextToken
    ? html`<a class="page-link next" href="${href(segments, { ...others, [param]: nextToken })}">Next page</a>`
    : '';
  return first || next ? html`<nav class="pager">${first} ${next}</nav>` : html``;
}

/**
 * A form that opens `#/<section>/<model>`: a name typed in, or picked from the first page of
 * models (one request; more are a `prefix` away).
 */
export async function modelPicker(ctx: PageContext, section: string, selected?: string): Promise<Html> {
  const models = await read(ctx.client.GET('/models', { params: { query: { limit: PAGE_SIZE } } }));
  return html`<form class="picker" data-go="#/${section}/{model}">
    <label>Model <input name="model" list="models-${section}" value="${selected ?? ''}" placeholder="model name" required></label>
    <datalist id="models-${section}">${models.items.map((m) => html`<option value="${m.name}">`)}</datalist>
    <button type="submit">Open</button>
  </form>`;
}

/** A table, or a line saying there is nothing yet. */
export function table(headers: readonly string[], rows: readonly Html[], empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows}</tbody></table>`;
}
