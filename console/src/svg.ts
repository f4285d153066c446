/**
 * The console's charts as inline SVG strings: no chart library, nothing fetched, and the same
 * markup in the browser and in a unit test. Every text is escaped.
 */
import { escapeHtml, type Html, num, raw } from './html';

const REFERENCE = '#7b8794';
const CURRENT = '#d9480f';
const CHAMPION = '#2b8a3e';
const CHALLENGER = '#1c7ed6';

const t = (value: string | number) => escapeHtml(String(value));

/** One feature's reference and current distributions over the same bins, as proportions. */
export function histogramSvg(h: {
  readonly labels: readonly string[];
  readonly reference: readonly number[];
  readonly current: readonly number[];
}): Html {
  const width = 420;
  const height = 170;
  const top = 18;
  const bottom = 40;
  const left = 34;
  const plot = height - top - bottom;
  const max = Math.max(0.0001, ...h.reference, ...h.current);
  const slot = (width - left - 6) / Math.max(1, h.labels.length);
  const bar = Math.max(1, slot / 2 - 2);
  const parts: string[] = [];
  h.labels.forEach((label, i) => {
    const x = left + i * slot;
    for (const [j, value, colour] of [
      [0, h.reference[i] ?? 0, REFERENCE],
      [1, h.current[i] ?? 0, CURRENT],
    ] as const) {
      const barHeight = (value / max) * plot;
      parts.push(
        `<rect x="${(x + 1 + j * bar).toFixed(1)}" y="${(top + plot - barHeight).toFixed(1)}" width="${bar.toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${colour}"><title>${t(label)}: ${j ? 'current' : 'reference'} ${t(num(value))}</title></rect>`,
      );
    }
    if (h.labels.length <= 12 || i % Math.ceil(h.labels.length / 12) === 0) {
      parts.push(
        `<text x="${(x + slot / 2).toFixed(1)}" y="${height - bottom + 12}" font-size="9" text-anchor="end" transform="rotate(-30 ${(x + slot / 2).toFixed(1)} ${height - bottom + 12})">${t(label.length > 14 ? `${label.slice(0, 13)}…` : label)}</text>`,
      );
    }
  });
  return raw(
    `<svg class="chart histogram" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="reference and current distribution">` +
      `<line x1="${left}" y1="${top + plot}" x2="${width - 4}" y2="${top + plot}" stroke="#adb5bd"/>` +
      `<text x="2" y="${top + 4}" font-size="9">${t(num(max))}</text><text x="2" y="${top + plot}" font-size="9">0</text>` +
      parts.join('') +
      `<rect x="${width - 150}" y="2" width="9" height="9" fill="${REFERENCE}"/><text x="${width - 138}" y="10" font-size="10">reference</text>` +
      `<rect x="${width - 78}" y="2" width="9" height="9" fill="${CURRENT}"/><text x="${width - 66}" y="10" font-size="10">current</text>` +
      '</svg>',
  );
}

export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<{ readonly x: number; readonly y: number }>;
}

const PALETTE = ['#1c7ed6', '#d9480f', '#2b8a3e', '#ae3ec9', '#f08c00', '#0c8599'];

/** Metrics over time (x in epoch ms), one line per series, with the points marked. */
export function lineChartSvg(series: readonly Series[]): Html {
  const width = 640;
  const height = 200;
  const left = 44;
  const right = 120;
  const top = 12;
  const bottom = 28;
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) return raw('');
  const xs = all.map((p) => p.x);
  const ys = all.map((p) => p.y);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [y0, y1] = [Math.min(0, ...ys), Math.max(...ys, 0.0001)];
  const sx = (x: number) => left + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (width - left - right);
  const sy = (y: number) => top + (1 - (y - y0) / (y1 - y0)) * (height - top - bottom);
  const parts = series.map((s, i) => {
    const colour = PALETTE[i % PALETTE.length];
    const sorted = [...s.points].sort((a, b) => a.x - b.x);
    const path = sorted.map((p, j) => `${j ? 'L' : 'M'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join('');
    const dots = sorted
      .map(
        (p) =>
          `<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.y).toFixed(1)}" r="3" fill="${colour}"><title>${t(s.name)} ${t(num(p.y))} at ${t(new Date(p.x).toISOString())}</title></circle>`,
      )
      .join('');
    return (
      `<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>${dots}` +
      `<text x="${width - right + 8}" y="${top + 12 + i * 14}" font-size="11" fill="${colour}">${t(s.name)}</text>`
    );
  });
  return raw(
    `<svg class="chart line" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="metrics over time">` +
      `<line x1="${left}" y1="${height - bottom}" x2="${width - right}" y2="${height - bottom}" stroke="#adb5bd"/>` +
      `<line x1="${left}" y1="${top}" x2="${left}" y2="${height - bottom}" stroke="#adb5bd"/>` +
      `<text x="4" y="${top + 8}" font-size="10">${t(num(y1))}</text><text x="4" y="${height - bottom}" font-size="10">${t(num(y0))}</text>` +
      `<text x="${left}" y="${height - 8}" font-size="10">${t(new Date(x0).toISOString().slice(0, 16))}</text>` +
      `<text x="${width - right}" y="${height - 8}" font-size="10" text-anchor="end">${t(new Date(x1).toISOString().slice(0, 16))}</text>` +
      parts.join('') +
      '</svg>',
  );
}

/** A canary step as the timeline draws it. */
export interface RolloutStep {
  readonly challengerPercent: number;
  /** `OK`: its bake passed with every alarm OK; `ALARM`: an alarm fired during it. */
  readonly state: 'OK' | 'ALARM' | 'BAKING' | 'PENDING';
  readonly detail?: string;
}

/** The rollout's steps left to right: the champion/challenger split and the alarms' state at each. */
export function rolloutSvg(steps: readonly RolloutStep[]): Html {
  const stepWidth = 130;
  const width = 20 + steps.length * stepWidth;
  const height = 150;
  const barTop = 26;
  const barHeight = 80;
  const tone = { OK: CHAMPION, ALARM: '#e03131', BAKING: '#f08c00', PENDING: '#adb5bd' } as const;
  const parts = steps.map((step, i) => {
    const x = 10 + i * stepWidth;
    const challenger = (step.challengerPercent / 100) * barHeight;
    return (
      `<g class="step" data-state="${step.state}">` +
      `<text x="${x}" y="16" font-size="11" font-weight="600">step ${i + 1}</text>` +
      `<rect x="${x}" y="${barTop}" width="40" height="${(barHeight - challenger).toFixed(1)}" fill="${CHAMPION}" opacity="${step.state === 'PENDING' ? 0.35 : 1}"><title>champion ${100 - step.challengerPercent}%</title></rect>` +
      `<rect x="${x}" y="${(barTop + barHeight - challenger).toFixed(1)}" width="40" height="${challenger.toFixed(1)}" fill="${CHALLENGER}" opacity="${step.state === 'PENDING' ? 0.35 : 1}"><title>challenger ${step.challengerPercent}%</title></rect>` +
      `<text x="${x + 46}" y="${barTop + 12}" font-size="10" fill="${CHAMPION}">champion ${100 - step.challengerPercent}%</text>` +
      `<text x="${x + 46}" y="${barTop + barHeight}" font-size="10" fill="${CHALLENGER}">challenger ${step.challengerPercent}%</text>` +
      `<circle cx="${x + 6}" cy="${barTop + barHeight + 18}" r="6" fill="${tone[step.state]}"/>` +
      `<text x="${x + 16}" y="${barTop + barHeight + 22}" font-size="10">alarms ${t(step.state)}</text>` +
      (step.detail
        ? `<text x="${x}" y="${barTop + barHeight + 38}" font-size="9" fill="#495057">${t(step.detail.length > 24 ? `${step.detail.slice(0, 23)}…` : step.detail)}<title>${t(step.detail)}</title></text>`
        : '') +
      (i < steps.length - 1
        ? `<path d="M${x + 112},${barTop + barHeight / 2} l12,0" stroke="#868e96" marker-end="url(#arrow)"/>`
        : '') +
      '</g>'
    );
  });
  return raw(
    `<svg class="chart rollout" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="rollout steps">` +
      ARROW_MARKER +
      parts.join('') +
      '</svg>',
  );
}

const ARROW_MARKER =
  '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#868e96"/></marker></defs>';

export interface LineageNode {
  readonly id: string;
  readonly label: string;
  readonly kind: 'version' | 'dataset' | 'run' | 'code' | 'current';
  readonly href?: string;
}

/**
 * Where a version came from: its inputs (dataset, training run, code) in the first column, its
 * ancestors (parent versions, oldest first) along the bottom, each arrow pointing to what it made.
 */
export function lineageSvg(inputs: readonly LineageNode[], ancestry: readonly LineageNode[]): Html {
  const boxWidth = 170;
  const boxHeight = 34;
  const gap = 46;
  const width = Math.max(inputs.length, ancestry.length) * (boxWidth + gap) + 20;
  const height = 150;
  const colour = {
    version: '#e7f5ff',
    dataset: '#fff4e6',
    run: '#f3f0ff',
    code: '#f1f3f5',
    current: '#d3f9d8',
  };
  const box = (node: LineageNode, x: number, y: number) => {
    const label = node.label.length > 26 ? `${node.label.slice(0, 25)}…` : node.label;
    const body =
      `<rect x="${x}" y="${y}" width="${boxWidth}" height="${boxHeight}" rx="6" fill="${colour[node.kind]}" stroke="#868e96"/>` +
      `<text x="${x + 8}" y="${y + 14}" font-size="9" fill="#495057">${t(node.kind === 'current' ? 'this version' : node.kind)}</text>` +
      `<text x="${x + 8}" y="${y + 27}" font-size="11">${t(label)}<title>${t(node.label)}</title></text>`;
    return node.href ? `<a href="${t(node.href)}">${body}</a>` : body;
  };
  const parts: string[] = [];
  const current = ancestry[ancestry.length - 1];
  const lowY = 100;
  const currentX = 10 + (ancestry.length - 1) * (boxWidth + gap);
  ancestry.forEach((node, i) => {
    const x = 10 + i * (boxWidth + gap);
    parts.push(box(node, x, lowY));
    if (i > 0)
      parts.push(
        `<path d="M${x - gap},${lowY + boxHeight / 2} L${x - 2},${lowY + boxHeight / 2}" stroke="#495057" marker-end="url(#arrow)"/>`,
      );
  });
  inputs.forEach((node, i) => {
    const x = 10 + i * (boxWidth + gap);
    parts.push(box(node, x, 10));
    if (current)
      parts.push(
        `<path d="M${x + boxWidth / 2},${10 + boxHeight} L${currentX + boxWidth / 2},${lowY - 2}" stroke="#495057" marker-end="url(#arrow)"/>`,
      );
  });
  return raw(
    `<svg class="chart lineage" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="lineage graph">` +
      ARROW_MARKER +
      parts.join('') +
      '</svg>',
  );
}
