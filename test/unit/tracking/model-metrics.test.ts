/**
 * A logged model's metrics, before anything is written: each series (key, dataset, run) keeps its
 * latest point by timestamp then step, as MLflow ranks them, and a model past its series limit is
 * refused with MLflow's INVALID_PARAMETER_VALUE.
 */
import { toMlflowErrorBody } from '../../../lambdas/shared/mlflow-errors';
import {
  MAX_LOGGED_MODEL_METRICS,
  mergeMetrics,
  modelPoints,
} from '../../../lambdas/tracking/domain/model-metrics';
import type { LoggedModelMetric, LoggedModelRecord } from '../../../lambdas/tracking/domain/records';

const model: LoggedModelRecord = {
  modelId: 'm-1',
  experimentId: '1',
  name: 'm',
  artifactLocation: 'mlflow-artifacts:/1/models/m-1/artifacts',
  creationTime: 1,
  lastUpdateTime: 1,
  status: 'LOGGED_MODEL_READY',
  params: {},
  tags: {},
  metrics: [{ key: 'acc', value: 0.7, timestamp: 20, step: 1, runId: 'r1', datasetName: 'eval' }],
  rev: 0,
};
const at = (value: number, timestamp: number, step: number, datasetName?: string): LoggedModelMetric => ({
  key: 'acc',
  value,
  timestamp,
  step,
  runId: 'r1',
  ...(datasetName ? { datasetName } : {}),
});

describe('mergeMetrics', () => {
  it.each([
    ['a later timestamp replaces, whatever the step', at(0.1, 30, 0, 'eval'), 0.1],
    ['an earlier timestamp does not', at(0.9, 10, 9, 'eval'), 0.7],
    ['the same timestamp and a greater step replaces', at(0.2, 20, 2, 'eval'), 0.2],
  ])('%s', (_label, point, expected) => {
    // Act
    const merged = mergeMetrics(model, [point]);
    // Assess
    expect(merged.map((m) => m.value)).toEqual([expected]);
  });

  it('keeps another dataset or run as a series of its own, and a point merged again changes nothing', () => {
    // Act
    const once = mergeMetrics(model, [at(0.5, 5, 0), { ...at(0.6, 5, 0, 'eval'), runId: 'r2' }]);
    const twice = mergeMetrics({ ...model, metrics: once }, [at(0.5, 5, 0)]);
    // Assess
    expect(once).toHaveLength(3);
    expect(twice).toEqual(once);
  });

  it('refuses a model past its series limit as INVALID_PARAMETER_VALUE', () => {
    // Prepare
    const points = Array.from({ length: MAX_LOGGED_MODEL_METRICS }, (_, i) => ({
      ...at(1, 1, 0),
      key: `k${i}`,
    }));
    let refusal: unknown;
    // Act
    try {
      mergeMetrics(model, points);
    } catch (err) {
      refusal = err;
    }
    // Assess
    expect(toMlflowErrorBody(refusal)).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining('at most 250 metrics'),
      },
    });
  });
});

describe('modelPoints', () => {
  it('groups the metrics naming a model by model, with the run and dataset, and leaves the others out', () => {
    // Act
    const grouped = modelPoints('r1', [
      {
        key: 'acc',
        value: 1,
        timestamp: 1,
        step: 0,
        model_id: 'm-a',
        dataset_name: 'eval',
        dataset_digest: 'd',
      },
      { key: 'loss', value: 2, timestamp: 1, step: 0 },
      { key: 'acc', value: 3, timestamp: 2, step: 0, model_id: 'm-a' },
    ]);
    // Assess
    expect([...grouped]).toEqual([
      [
        'm-a',
        [
          {
            key: 'acc',
            value: 1,
            timestamp: 1,
            step: 0,
            runId: 'r1',
            datasetName: 'eval',
            datasetDigest: 'd',
          },
          { key: 'acc', value: 3, timestamp: 2, step: 0, runId: 'r1' },
        ],
      ],
    ]);
  });
});
