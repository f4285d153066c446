/**
 * The template's CloudWatch dashboards as one static HTML page over the local metrics: each
 * `AWS::CloudWatch::Dashboard` body (the JSON CloudWatch renders) laid out on its 24-column grid,
 * each graph an inline SVG of its metrics and metric math from the local CloudWatch, each text
 * widget its markdown source, horizontal annotations (alarm thresholds) as dashed lines. Metrics
 * nothing local emits (Lambda's, DynamoDB's) show as "no data locally"; the local API server writes
 * API Gateway's.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import type { CfnTemplate } from '../cdk-template';
import { resolveIntrinsics } from '../state-machines/intrinsics';
import type { MetricStore } from './alarms';
import { evaluateExpression, type Series } from './metric-math';

export interface LocalDashboard {
  readonly name: string;
  readonly widgets: readonly Widget[];
}

interface Widget {
  readonly type: string;
  readonly x?: number;
  readonly y?: number;
  readonly width?: number;
  readonly height?: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly metrics?: ReadonlyArray<readonly unknown[]>;
    readonly period?: number;
    readonly annotations?: { readonly horizontal?: readonly HorizontalAnnotation[] };
  };
}

/** A threshold line across a graph (an alarm's threshold, a limit). */
interface HorizontalAnnotation {
  readonly value: number;
  readonly label?: string;
  readonly color?: string;
}

/** The dashboards of a template, bodies resolved as CloudFormation would. */
export function dashboardsFromTemplate(template: CfnTemplate): LocalDashboard[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Dashboard')
    .map(([id, r]) => {
      const props = resolveIntrinsics(r.Properties ?? {}, template) as {
        DashboardName?: string;
        DashboardBody: string;
      };
      return {
        name: props.DashboardName ?? id,
        widgets: (JSON.parse(props.DashboardBody) as { widgets: Widget[] }).widgets,
      };
    });
}

/** Where and how the page samples the local metrics. */
export interface RenderOptions {
  readonly now: number;
  /** @default 30 minutes */
  readonly windowMs?: number;
  /** @default 60 slots over the window */
  readonly slots?: number;
}

interface Options {
  readonly expression?: string;
  readonly id?: string;
  readonly label?: string;
  readonly stat?: string;
  readonly visible?: boolean;
}

interface Line {
  readonly label: string;
  readonly values: Series;
}

/** The series a metric widget draws: each visible metric or expression, over the window. */
export function widgetLines(widget: Widget, store: MetricStore, options: RenderOptions): Line[] {
  const slots = options.slots ?? 60;
  const periodMs = (options.windowMs ?? 30 * 60_000) / slots;
  const byId: Record<string, Series> = {};
  type Parsed = { opts: Options; entry: readonly unknown[]; index: number };
  const parsed: Parsed[] = (widget.properties.metrics ?? []).map((entry, index) => {
    const last = entry[entry.length - 1];
    return { entry, index, opts: (last && typeof last === 'object' ? last : {}) as Options };
  });
  const drawn = new Map<number, Line[]>();
  // Metrics first: CDK lists an expression before the metrics it uses.
  for (const { entry, index, opts } of parsed.filter((p) => !p.opts.expression)) {
    const [namespace, metricName, ...rest] = entry.filter((e) => typeof e === 'string') as string[];
    const dimensions = [];
    for (let d = 0; d + 1 < rest.length; d += 2) dimensions.push({ Name: rest[d], Value: rest[d + 1] });
    const values = store.series(
      { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
      opts.stat ?? 'Average',
      periodMs,
      options.now,
      slots,
    );
    byId[opts.id ?? `m${index}`] = values;
    const label = opts.label ?? `${metricName} ${dimensions.map((d) => d.Value).join(' ')}`;
    if (opts.visible !== false) drawn.set(index, [{ label, values }]);
  }
  const evaluate = ({ index, opts }: Parsed) => {
    const expression = opts.expression as string;
    const search = /^SEARCH\('\{([^,}]+)[^}]*\}\s*MetricName="([^"]+)"\s*(.*)',\s*'(\w+)'/.exec(expression);
    if (search) {
      drawn.set(
        index,
        store.search(search[1], search[2], parseFilters(search[3])).map((s) => ({
          label: s.label,
          values: store.series(s.metric, search[4], periodMs, options.now, slots),
        })),
      );
      return;
    }
    try {
      const values = evaluateExpression(expression, byId, slots);
      byId[opts.id ?? `e${index}`] = values;
      if (opts.visible !== false) drawn.set(index, [{ label: opts.label || `e${index}`, values }]);
    } catch {
      // An expression local mode cannot evaluate is left out of the picture.
    }
  };
  // Expressions once the expressions they use are evaluated: CDK lists a user before its inputs.
  let pending = parsed.filter((p) => p.opts.expression);
  const uses = (p: Parsed, ids: Set<string | undefined>) =>
    [...(p.opts.expression as string).matchAll(/\b([A-Za-z_]\w*)\b(?!\s*\()/g)].some((m) => ids.has(m[1]));
  while (pending.length > 0) {
    const waitingIds = new Set(pending.map((p) => p.opts.id));
    const ready = pending.filter((p) => !uses(p, waitingIds));
    if (ready.length === 0) break;
    for (const p of ready) evaluate(p);
    pending = pending.filter((p) => !ready.includes(p));
  }
  const lines = [...drawn.entries()].sort(([a], [b]) => a - b).flatMap(([, l]) => l);
  return lines;
}

const parseFilters = (text: string): Record<string, string> =>
  Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function svg(
  lines: readonly Line[],
  slots: number,
  annotations: readonly HorizontalAnnotation[] = [],
): string {
  const present = lines.flatMap((l) => l.values.filter((v): v is number => v !== undefined));
  if (present.length === 0) return '<p class="empty">no data locally</p>';
  const levels = annotations.map((a) => a.value);
  const max = Math.max(...present, ...levels, 0);
  const min = Math.min(...present, ...levels, 0);
  const span = max - min || 1;
  const [w, h] = [400, 120];
  const x = (i: number) => (i / Math.max(1, slots - 1)) * w;
  const y = (v: number) => h - ((v - min) / span) * h;
  const paths = lines.map((l, k) => {
    const color = COLORS[k % COLORS.length];
    const points = l.values.map((v, i) =>
      v === undefined ? undefined : `${x(i).toFixed(1)},${y(v).toFixed(1)}`,
    );
    const dots = points
      .filter((p): p is string => p !== undefined)
      .map((p) => `<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="1.8" fill="${color}"/>`)
      .join('');
    return `<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${points.filter(Boolean).join(' ')}"/>${dots}`;
  });
  const thresholds = annotations.map((a) => {
    const color = escapeHtml(a.color ?? '#d62728');
    const label = a.label
      ? `<text x="${w - 2}" y="${(y(a.value) - 2).toFixed(1)}" font-size="8" text-anchor="end" fill="${color}">${escapeHtml(a.label)}</text>`
      : '';
    return `<line class="annotation" x1="0" x2="${w}" y1="${y(a.value).toFixed(1)}" y2="${y(a.value).toFixed(1)}" stroke="${color}" stroke-dasharray="4 3"/>${label}`;
  });
  const legend = lines
    .map((l, k) => {
      const last = [...l.values].reverse().find((v) => v !== undefined);
      return `<span style="color:${COLORS[k % COLORS.length]}">&#9632; ${escapeHtml(l.label)}${last === undefined ? '' : ` (${Number(last.toPrecision(4))})`}</span>`;
    })
    .join(' ');
  return `<svg viewBox="0 -4 ${w} ${h + 8}" preserveAspectRatio="none"><text x="2" y="8" font-size="8">${Number(max.toPrecision(4))}</text><text x="2" y="${h}" font-size="8">${Number(min.toPrecision(4))}</text>${paths.join('')}${thresholds.join('')}</svg><div class="legend">${legend}</div>`;
}

/** The page: every dashboard, its widgets on CloudWatch's grid. */
export function renderDashboardPage(
  dashboards: readonly LocalDashboard[],
  store: MetricStore,
  options: RenderOptions,
): string {
  const slots = options.slots ?? 60;
  const sections = dashboards.map((d) => {
    const widgets = d.widgets.map((w) => {
      const style = `grid-column:${(w.x ?? 0) + 1} / span ${w.width ?? 6};grid-row:${(w.y ?? 0) + 1} / span ${w.height ?? 6}`;
      const body =
        w.type === 'text'
          ? `<pre>${escapeHtml(w.properties.markdown ?? '')}</pre>`
          : `<h3>${escapeHtml(w.properties.title ?? '')}</h3>${svg(widgetLines(w, store, options), slots, w.properties.annotations?.horizontal)}`;
      return `<div class="widget" style="${style}">${body}</div>`;
    });
    return `<section><h2>${escapeHtml(d.name)}</h2><div class="grid">${widgets.join('')}</div></section>`;
  });
  const minutes = Math.round((options.windowMs ?? 30 * 60_000) / 60_000);
  return `<!doctype html><html><head><meta charset="utf-8"><title>cdk-mlops dashboards (local)</title>
<style>body{font:13px sans-serif;margin:16px}.grid{display:grid;grid-template-columns:repeat(24,1fr);grid-auto-rows:28px;gap:6px}
.widget{border:1px solid #ddd;padding:4px;overflow:hidden}h3{font-size:12px;margin:0 0 4px}svg{width:100%;height:60%}
.legend{font-size:11px}.empty{color:#999}pre{white-space:pre-wrap;margin:0}</style></head>
<body><h1>cdk-mlops dashboards</h1><p>Local metrics, last ${minutes} minutes, generated ${new Date(options.now).toISOString()}.</p>${sections.join('')}</body></html>`;
}
