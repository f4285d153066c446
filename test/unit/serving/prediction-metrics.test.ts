/**
 * Output confidence and prediction value of an answer (the rule in
 * `lambdas/serving/domain/prediction-metrics.ts`), softmax checked against scipy.
 */

import {
  classConfidence,
  MAX_REPORTED_ROWS,
  predictionMetrics,
  summarizeOutputs,
} from '../../../lambdas/serving/domain/prediction-metrics';
import oracle from '../../fixtures/serving/confidence-oracle.json';

const tensor = (datatype: string, shape: number[], data: unknown[]) =>
  ({ name: 'out', datatype, shape, data }) as never;

describe('output confidence', () => {
  it.each(oracle.cases)('is the largest class probability, scipy case %#', ({ scores, confidence }) => {
    expect(classConfidence(scores)).toBeCloseTo(confidence, 12);
  });

  it("reads one value per row as the prediction and, in [0, 1], a binary probability's max(p, 1 - p)", () => {
    // Prepare: a regression value outside [0, 1] has no confidence
    const outputs = [tensor('FP32', [3, 1], [0.9, 0.2, 7.5])];
    // Act
    const summary = summarizeOutputs(outputs);
    // Assess
    expect(summary.values).toEqual([0.9, 0.2, 7.5]);
    expect(summary.confidences.map((c) => Number(c.toFixed(6)))).toEqual([0.9, 0.8]);
  });

  it('skips integer labels for the first floating-point output, and reports class rows by confidence only', () => {
    const summary = summarizeOutputs([
      tensor('INT64', [2], [1, 0]),
      tensor('FP32', [2, 3], [0.1, 0.7, 0.2, 0.6, 0.3, 0.1]),
    ]);
    expect(summary).toEqual({ values: [], confidences: [0.7, 0.6] });
  });

  it('reports nothing for embeddings, strings, malformed answers; at most MAX_REPORTED_ROWS rows', () => {
    expect(summarizeOutputs([tensor('FP32', [1, 65], Array(65).fill(0.1))]).confidences).toEqual([]);
    expect(summarizeOutputs([tensor('BYTES', [1], ['cat'])]).values).toEqual([]);
    expect(summarizeOutputs([tensor('FP32', [2, 1], [0.5])]).values).toEqual([]);
    expect(summarizeOutputs([tensor('FP64', [1, 2], [Number.NaN, 1])]).values).toEqual([]);
    const batch = summarizeOutputs([tensor('FP32', [120], Array(120).fill(0.5))]);
    expect(batch.values).toHaveLength(MAX_REPORTED_ROWS);
  });

  it('is one metrics document per answer under model and variant', () => {
    const doc = predictionMetrics('churn', 'champion', [tensor('FP32', [1, 1], [0.3])], 1000);
    expect(doc).toEqual({
      namespace: 'cdk-mlops/Serving',
      dimensions: { ModelName: 'churn', VariantName: 'champion' },
      metrics: [
        { name: 'PredictionValue', unit: 'None', value: 0.3 },
        { name: 'PredictionConfidence', unit: 'None', value: 0.7 },
      ],
      timestamp: 1000,
    });
  });
});
