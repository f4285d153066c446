/**
 * HTML as escaped text: every page renders to a string (so it can be checked without a browser)
 * and `main.ts` puts it in the document once. A value interpolated into `html` is escaped unless it
 * is itself `Html`; arrays are joined; `undefined`, `null` and `false` render nothing.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** Markup from a trusted source (this code's own SVG), inserted as is. */
export const raw = (text: string): Html => new Html(text);

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function fragment(value: unknown): string {
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(fragment).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += fragment(value) + strings[i + 1]!;
  });
  return new Html(out);
}

/** A hash link's target: path segments encoded, then the query. */
export function href(
  segments: ReadonlyArray<string | number>,
  query: Record<string, string | undefined> = {},
): string {
  const path = segments.map((s) => encodeURIComponent(String(s))).join('/');
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
  const search = params.toString();
  return `#/${path}${search ? `?${search}` : ''}`;
}

/** A number for reading: at most 4 significant digits after the point. */
export function num(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '-';
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : String(Number(value.toPrecision(4)));
}

/** `2026-12-06 22:41:07` in UTC, for tables (the API's times are ISO 8601 in UTC). */
export function when(iso: string | number | undefined): string {
  if (iso === undefined) return '-';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso) : date.toISOString().replace('T', ' ').slice(0, 19);
}

/** A status as a coloured badge; the class follows what the word means. */
export function badge(status: string | undefined): Html {
  if (!status) return html``;
  // "No drift" is good news, though it names drift.
  const tone = /^NO[ _]DRIFT$/i.test(status)
    ? 'good'
    : /FAIL|ROLLED_BACK|ALARM|DRIFT|DEGRADED|REJECT|CANCEL|KILLED|MISMATCH/i.test(status)
      ? 'bad'
      : /READY|PROMOTED|SUCCEEDED|InService|Production|OK|FINISHED|ACTIVE|CONCLUDED|PASSED|MATCHED/i.test(
            status,
          )
        ? 'good'
        : /RUNNING|BAKING|PENDING|Staging|SUBMITTED|Creating|Updating|DRAFT/i.test(status)
          ? 'busy'
          : 'plain';
  return html`<span class="badge ${tone}">${status}</span>`;
}

/** key=value chips of a string or number map. */
export function chips(map: Record<string, string | number> | undefined): Html {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return html`<span class="muted">-</span>`;
  return html`${entries.map(([k, v]) => html`<span class="chip">${k}=${typeof v === 'number' ? num(v) : v}</span>`)}`;
}
