/**
 * The challenger-versus-champion decision on the primary metric, direction-aware: accuracy, AUC
 * and F1 are better higher, RMSE and MAE lower. The challenger must win by the configured margin
 * (absolute, in the metric's unit) so noise between two equal models does not start a canary.
 */
import type { PrimaryMetric } from '../../../contracts/pipeline';
import { LOWER_IS_BETTER } from '../../monitoring';

export type Direction = 'higher' | 'lower';

/** The direction of a metric: as configured, else lower for error metrics, higher for the rest. */
export const directionOf = (metric: Pick<PrimaryMetric, 'name' | 'direction'>): Direction =>
  metric.direction ?? (LOWER_IS_BETTER.has(metric.name) ? 'lower' : 'higher');

export interface Comparison {
  readonly improved: boolean;
  readonly metric: string;
  readonly direction: Direction;
  readonly margin: number;
  readonly challenger: number;
  /** Absent when there is no champion yet: the first model only has to be evaluable. */
  readonly champion?: number;
  /** challenger - champion, sign flipped for lower-is-better: > 0 means better. */
  readonly improvement?: number;
  readonly reason: string;
}

/**
 * Compares on one metric.
 * @throws Error when the challenger lacks the metric (an evaluation bug, not a data problem)
 */
export function compareWithChampion(
  metric: PrimaryMetric,
  challenger: Readonly<Record<string, number>>,
  champion: Readonly<Record<string, number>> | undefined,
): Comparison {
  const direction = directionOf(metric);
  const c = challenger[metric.name];
  if (c === undefined || !Number.isFinite(c)) {
    throw new Error(
      `the challenger's evaluation has no ${metric.name}; it has ${Object.keys(challenger).join(', ')}`,
    );
  }
  const base = { metric: metric.name, direction, margin: metric.margin, challenger: c };
  const champ = champion?.[metric.name];
  if (champ === undefined || !Number.isFinite(champ)) {
    return {
      ...base,
      improved: true,
      reason: `no champion ${metric.name} to beat; challenger ${metric.name} is ${fmt(c)}`,
    };
  }
  const improvement = direction === 'higher' ? c - champ : champ - c;
  // Compare with a relative epsilon so a margin met exactly (0.9 - 0.85 vs 0.05) counts as met.
  const improved = improvement - metric.margin >= -1e-12 * Math.max(1, Math.abs(c), Math.abs(champ));
  const better = direction === 'higher' ? 'higher' : 'lower';
  const reason = improved
    ? `challenger ${metric.name} ${fmt(c)} beats champion ${fmt(champ)} by ${fmt(improvement)} (margin ${fmt(metric.margin)}, ${better} is better)`
    : `challenger ${metric.name} ${fmt(c)} does not beat champion ${fmt(champ)} by the margin ${fmt(metric.margin)} (${better} is better; difference ${fmt(improvement)})`;
  return { ...base, champion: champ, improvement, improved, reason };
}

const fmt = (v: number) =>
  Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/0+$/, '').replace(/\.$/, '');
