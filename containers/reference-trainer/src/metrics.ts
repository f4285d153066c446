/**
 * Binary classification metrics, defined as sklearn.metrics defines them (the test oracle):
 * precision/recall/F1 of the positive class at a threshold, ROC AUC as the Mann-Whitney
 * statistic with ties counted half.
 * @see https://scikit-learn.org/1.2/modules/model_evaluation.html
 */
import { meanLogLoss } from './logistic-regression';

export interface BinaryMetrics {
  readonly accuracy: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly auc: number;
  readonly logLoss: number;
  readonly count: number;
}

/** Metrics of probabilities against 0/1 labels; a zero denominator gives 0, as sklearn does. */
export function binaryMetrics(
  labels: readonly number[],
  probabilities: readonly number[],
  threshold = 0.5,
): BinaryMetrics {
  if (labels.length !== probabilities.length) throw new Error('labels and probabilities differ in length');
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  labels.forEach((y, i) => {
    const predicted = probabilities[i] >= threshold ? 1 : 0;
    if (predicted === 1) y === 1 ? tp++ : fp++;
    else y === 1 ? fn++ : tn++;
  });
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: ratio(tp + tn, labels.length),
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    auc: rocAuc(labels, probabilities),
    logLoss: meanLogLoss(labels, probabilities),
    count: labels.length,
  };
}

/** ROC AUC via average ranks; NaN when only one class is present (undefined, as in sklearn). */
export function rocAuc(labels: readonly number[], scores: readonly number[]): number {
  const order = scores.map((s, i) => ({ s, i })).sort((a, b) => a.s - b.s);
  const ranks = new Array<number>(scores.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].s === order[start].s) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k].i] = rank;
    start = end + 1;
  }
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  const rankSum = labels.reduce((acc, y, i) => (y === 1 ? acc + ranks[i] : acc), 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
