/**
 * What an answer says of the model's behaviour, as two distributions per model and variant: the
 * prediction value and the output confidence. Both are read from the answer's first
 * floating-point output (FP16, FP32 or FP64; an integer or string label output is skipped, so
 * sklearn-onnx's `label` gives way to its `probabilities`), of shape `[N]` or `[N, K]`, one row
 * per prediction:
 * - `K = 1`: the row's value is the prediction (a regression or a score). A value in [0, 1] is
 *   read as a binary classifier's positive-class probability `p` (the reference model's
 *   `probability`), whose confidence is `max(p, 1 - p)`; outside [0, 1], no confidence.
 * - `2 <= K <= 64`: the row is a classifier's class scores and has no single prediction value.
 *   Its confidence is the largest class probability: the largest score when every score is in
 *   [0, 1] (probabilities), else the largest softmax of the scores (logits).
 * - `K > 64`, other ranks, or a value that is not a finite number: nothing (an embedding, an
 *   image, a malformed answer).
 * At most `MAX_REPORTED_ROWS` rows of a batch are reported, so one answer stays one small EMF line.
 */

import type { InferenceResponse } from '../../../contracts/inference-protocol';
import { PREDICTION_METRICS } from '../../../contracts/serving';
import type { MetricsDocument } from '../../shared/metrics';

/** Rows reported per answer: Powertools flushes on its own at 100 values of one metric. */
export const MAX_REPORTED_ROWS = 50;
const MAX_CLASSES = 64;
const FLOAT_TYPES = new Set(['FP16', 'FP32', 'FP64']);

export interface OutputSummary {
  /** Each reported row's prediction value (`K = 1` only). */
  readonly values: readonly number[];
  /** Each reported row's confidence, in [0, 1]. */
  readonly confidences: readonly number[];
}

/** The largest class probability of a row of class scores (probabilities or logits). */
export function classConfidence(scores: readonly number[]): number {
  const max = Math.max(...scores);
  if (scores.every((s) => s >= 0 && s <= 1)) return max;
  // max softmax = e^max / sum e^s = 1 / sum e^(s - max), stable for large logits.
  return 1 / scores.reduce((sum, s) => sum + Math.exp(s - max), 0);
}

/** The prediction values and confidences of an answer's outputs (see the module's rule). */
export function summarizeOutputs(outputs: InferenceResponse['outputs']): OutputSummary {
  const none = { values: [], confidences: [] };
  const output = outputs.find((o) => FLOAT_TYPES.has(o.datatype));
  if (!output || !Array.isArray(output.shape) || !Array.isArray(output.data)) return none;
  const [rows, width = 1] = output.shape;
  if (output.shape.length < 1 || output.shape.length > 2 || !(rows >= 1) || !(width >= 1)) return none;
  if (width > MAX_CLASSES || output.data.length !== rows * width) return none;
  const data = output.data as unknown[];
  if (!data.every((v) => typeof v === 'number' && Number.isFinite(v))) return none;
  const numbers = data as number[];
  const values: number[] = [];
  const confidences: number[] = [];
  for (let row = 0; row < Math.min(rows, MAX_REPORTED_ROWS); row++) {
    if (width === 1) {
      const v = numbers[row];
      values.push(v);
      if (v >= 0 && v <= 1) confidences.push(Math.max(v, 1 - v));
    } else {
      confidences.push(classConfidence(numbers.slice(row * width, (row + 1) * width)));
    }
  }
  return { values, confidences };
}

/** The answer's metrics for the model and variant that served it; no metric when it has none. */
export function predictionMetrics(
  modelName: string,
  variant: string,
  outputs: InferenceResponse['outputs'],
  at: number,
): MetricsDocument {
  const { values, confidences } = summarizeOutputs(outputs);
  return {
    namespace: PREDICTION_METRICS.namespace,
    dimensions: {
      [PREDICTION_METRICS.modelDimension]: modelName,
      [PREDICTION_METRICS.variantDimension]: variant,
    },
    metrics: [
      ...values.map((value) => ({ name: PREDICTION_METRICS.value, unit: 'None' as const, value })),
      ...confidences.map((value) => ({ name: PREDICTION_METRICS.confidence, unit: 'None' as const, value })),
    ],
    timestamp: at,
  };
}
