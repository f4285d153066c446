/**
 * Model quality from predictions joined with ground truth, computed in sklearn 1.2's order of
 * operations so the numbers equal `sklearn.metrics` (fixtures from scripts/fixtures/quality_fixtures.py):
 * accuracy, precision, recall, F1 (binary for two classes, macro for more) and ROC AUC (binary,
 * from scores); RMSE and MAE for regression. Then the comparison with the version's registered
 * baseline: degraded when the relative drop passes `maxRelativeDrop` (5% by default).
 * @see https://scikit-learn.org/1.2/modules/model_evaluation.html
 */
import type { ProblemType, QualitySettings } from '../../../contracts/monitoring';
import type { QualityComparison, QualityMetrics } from '../../../contracts/monitoring-reports';
import { BadRequestError } from '../../shared/errors';
import { numpySum } from '../../shared/numeric';
import type { Prediction } from './capture';

/** One prediction with its ground truth. */
export interface LabelledPrediction {
  readonly label: number | string;
  readonly prediction: Prediction;
}

/** Metric name to value, e.g. `{ accuracy: 0.93, roc_auc: 0.97 }`. */
export type { QualityComparison, QualityMetrics };

/** Metrics where lower is better; every other metric is higher-is-better. */
export const LOWER_IS_BETTER = new Set(['rmse', 'mae']);

/** The default baseline metric of a problem type. */
export const defaultBaselineMetric = (type: ProblemType): string =>
  type === 'regression' ? 'rmse' : 'accuracy';

const argmax = (v: readonly number[]): number => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

/** Computes the metrics of a problem type. @throws BadRequestError `NO_LABELLED_PREDICTIONS`, `INVALID_PREDICTION` */
export function qualityMetrics(
  pairs: readonly LabelledPrediction[],
  settings: Pick<QualitySettings, 'problemType' | 'decisionThreshold' | 'positiveLabel'>,
): QualityMetrics {
  if (pairs.length === 0)
    throw new BadRequestError('NO_LABELLED_PREDICTIONS', 'no prediction has a ground-truth label');
  if (settings.problemType === 'regression') {
    const yTrue = pairs.map((p) => toNumber(p.label, 'label'));
    const yPred = pairs.map((p) => toNumber(p.prediction, 'prediction'));
    return { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), count: pairs.length };
  }
  if (settings.problemType === 'binary-classification') {
    const positive = String(settings.positiveLabel);
    const yTrue = pairs.map((p) => (String(p.label) === positive ? 1 : 0));
    const scores: number[] = [];
    const yPred = pairs.map((p) => {
      const pred = p.prediction;
      const score = Array.isArray(pred) ? pred[pred.length - 1] : typeof pred === 'number' ? pred : undefined;
      if (score === undefined) return String(pred) === positive ? 1 : 0;
      scores.push(score);
      return score >= settings.decisionThreshold ? 1 : 0;
    });
    const metrics: QualityMetrics = { ...binaryCounts(yTrue, yPred), count: pairs.length };
    if (scores.length === pairs.length && new Set(yTrue).size === 2) metrics.roc_auc = rocAuc(yTrue, scores);
    return metrics;
  }
  const yTrue = pairs.map((p) => String(p.label));
  const yPred = pairs.map((p) => String(Array.isArray(p.prediction) ? argmax(p.prediction) : p.prediction));
  return { ...macroCounts(yTrue, yPred), count: pairs.length };
}

function toNumber(v: unknown, what: string): number {
  const n = typeof v === 'string' ? Number(v) : Array.isArray(v) ? v[0] : v;
  if (typeof n !== 'number' || !Number.isFinite(n)) {
    throw new BadRequestError(
      'INVALID_PREDICTION',
      `regression ${what} ${JSON.stringify(v)} is not a number`,
    );
  }
  return n;
}

/** sklearn's `_prf_divide` with zero_division="warn": 0 where the denominator is 0. */
const divide = (a: number, b: number): number => (b === 0 ? 0 : a / b);
/** sklearn 1.2 F-score: `(1 + beta2) * precision * recall / denom`, denom 0 replaced by 1. */
const fScore = (p: number, r: number): number => {
  const denom = p + r;
  return (2 * p * r) / (denom === 0 ? 1 : denom);
};

function binaryCounts(yTrue: readonly number[], yPred: readonly number[]): QualityMetrics {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) {
    if (yTrue[i] === yPred[i]) correct++;
    if (yPred[i] === 1 && yTrue[i] === 1) tp++;
    else if (yPred[i] === 1) fp++;
    else if (yTrue[i] === 1) fn++;
  }
  const precision = divide(tp, tp + fp);
  const recall = divide(tp, tp + fn);
  return { accuracy: correct / yTrue.length, precision, recall, f1: fScore(precision, recall) };
}

function macroCounts(yTrue: readonly string[], yPred: readonly string[]): QualityMetrics {
  // sklearn's labels: the sorted union of true and predicted labels.
  const labels = [...new Set([...yTrue, ...yPred])].sort();
  const precision: number[] = [];
  const recall: number[] = [];
  const f1: number[] = [];
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  for (const label of labels) {
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < yTrue.length; i++) {
      if (yPred[i] === label) predicted++;
      if (yTrue[i] === label) actual++;
      if (yPred[i] === label && yTrue[i] === label) tp++;
    }
    const p = divide(tp, predicted);
    const r = divide(tp, actual);
    precision.push(p);
    recall.push(r);
    f1.push(fScore(p, r));
  }
  const mean = (v: number[]) => numpySum(v) / v.length;
  return { accuracy: correct / yTrue.length, precision: mean(precision), recall: mean(recall), f1: mean(f1) };
}

/**
 * `roc_auc_score` for two classes: sklearn's `_binary_clf_curve` (scores descending, stable),
 * `roc_curve` with `drop_intermediate`, then `auc` by numpy's trapezoid rule.
 * @see https://scikit-learn.org/1.2/modules/generated/sklearn.metrics.roc_auc_score.html
 */
export function rocAuc(yTrue: readonly number[], scores: readonly number[]): number {
  const n = scores.length;
  // argsort(mergesort)[::-1]: ascending stable, then reversed.
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => scores[a] - scores[b] || a - b)
    .reverse();
  const s = order.map((i) => scores[i]);
  const y = order.map((i) => yTrue[i]);
  let tps: number[] = [];
  let fps: number[] = [];
  let cum = 0;
  for (let i = 0; i < n; i++) {
    cum += y[i];
    if (i === n - 1 || s[i] !== s[i + 1]) {
      tps.push(cum);
      fps.push(1 + i - cum);
    }
  }
  if (fps.length > 2) {
    const keep = (i: number) =>
      i === 0 ||
      i === fps.length - 1 ||
      fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 ||
      tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0;
    const idx = fps.map((_, i) => i).filter(keep);
    tps = idx.map((i) => tps[i]);
    fps = idx.map((i) => fps[i]);
  }
  tps.unshift(0);
  fps.unshift(0);
  const fpr = fps.map((f) => f / fps[fps.length - 1]);
  const tpr = tps.map((t) => t / tps[tps.length - 1]);
  const terms = new Float64Array(fpr.length - 1);
  for (let i = 0; i < terms.length; i++) terms[i] = ((fpr[i + 1] - fpr[i]) * (tpr[i + 1] + tpr[i])) / 2.0;
  return numpySum(terms);
}

/** `mean_squared_error(squared=False)`. */
export function rmse(yTrue: readonly number[], yPred: readonly number[]): number {
  const sq = yTrue.map((t, i) => (t - yPred[i]) ** 2);
  return Math.sqrt(numpySum(sq) / sq.length);
}

/** `mean_absolute_error`. */
export function mae(yTrue: readonly number[], yPred: readonly number[]): number {
  const abs = yTrue.map((t, i) => Math.abs(yPred[i] - t));
  return numpySum(abs) / abs.length;
}

/** Compares a metric with the registered baseline. @throws BadRequestError `UNKNOWN_METRIC` */
export function compareWithBaseline(
  metrics: QualityMetrics,
  metric: string,
  baseline: number | undefined,
  maxRelativeDrop: number,
): QualityComparison {
  const current = metrics[metric];
  if (current === undefined) {
    throw new BadRequestError(
      'UNKNOWN_METRIC',
      `metric ${metric} is not computed; have ${Object.keys(metrics).join(', ')}`,
    );
  }
  if (baseline === undefined || baseline === 0)
    return { metric, current, maxRelativeDrop, degraded: false, ...(baseline === 0 ? { baseline } : {}) };
  const drop = (baseline - current) / Math.abs(baseline);
  const relativeDrop = LOWER_IS_BETTER.has(metric) ? -drop : drop;
  return {
    metric,
    current,
    baseline,
    relativeDrop,
    maxRelativeDrop,
    degraded: relativeDrop > maxRelativeDrop,
  };
}
