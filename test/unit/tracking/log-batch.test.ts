/**
 * What one logging call does to a run, before anything is written: params are immutable (the same
 * value again is fine, another is MLflow's INVALID_PARAMETER_VALUE), tags are set, and a metric's
 * latest point is the greatest by step, then timestamp, then value.
 */
import { toMlflowErrorBody } from '../../../lambdas/shared/mlflow-errors';
import type { RunRecord } from '../../../lambdas/tracking/domain/records';
import { applyBatch, checkBatch } from '../../../lambdas/tracking/domain/run-writes';

const run: RunRecord = {
  runId: 'r1',
  experimentId: '1',
  runName: 'first',
  userId: '',
  status: 'RUNNING',
  startTime: 1,
  artifactUri: 's3://b/mlflow/1/r1/artifacts',
  lifecycleStage: 'active',
  params: { lr: '0.1' },
  tags: {},
  metrics: { loss: { value: 0.5, timestamp: 10, step: 3 } },
  rev: 1,
};
const point = (value: number, timestamp: number, step: number) => ({ key: 'loss', value, timestamp, step });

describe('applyBatch', () => {
  it('accepts a param logged again with the same value', () => {
    // Act
    const change = applyBatch(run, { metrics: [], params: [{ key: 'lr', value: '0.1' }], tags: [] });
    // Assess
    expect(change.params).toEqual({ lr: '0.1' });
  });

  it("fails a param logged again with another value, as MLflow's 400 INVALID_PARAMETER_VALUE", () => {
    // Act
    let thrown: unknown;
    try {
      applyBatch(run, { metrics: [], params: [{ key: 'lr', value: '0.2' }], tags: [] });
    } catch (err) {
      thrown = err;
    }
    // Assess
    expect(toMlflowErrorBody(thrown)).toEqual({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining("Param with key='lr' was already logged with value='0.1'"),
      },
    });
  });

  it('fails a batch naming one param twice', () => {
    expect(() =>
      checkBatch({
        metrics: [],
        params: [
          { key: 'a', value: '1' },
          { key: 'a', value: '1' },
        ],
        tags: [],
      }),
    ).toThrow(/Duplicate parameter keys have been submitted: a/);
  });

  it.each([
    ['a later step', point(0.9, 1, 4), 0.9],
    ['the same step, a later timestamp', point(0.8, 11, 3), 0.8],
    ['the same step and time, a greater value', point(0.6, 10, 3), 0.6],
    ['an earlier step (kept as history only)', point(0.1, 99, 2), 0.5],
    ['the same step and time, a smaller value', point(0.4, 10, 3), 0.5],
  ])('moves the latest metric for %s', (_, p, latest) => {
    // Act
    const change = applyBatch(run, { metrics: [p], params: [], tags: [] });
    // Assess
    expect(change.metrics?.loss.value).toBe(latest);
  });

  it('keeps the run name and its mlflow.runName tag together', () => {
    // Act
    const change = applyBatch(run, {
      metrics: [],
      params: [],
      tags: [{ key: 'mlflow.runName', value: 'renamed' }],
    });
    // Assess
    expect(change).toMatchObject({ runName: 'renamed', tags: { 'mlflow.runName': 'renamed' } });
  });
});

describe('toMlflowErrorBody', () => {
  it('answers an unknown failure as 500 INTERNAL_ERROR without its message', () => {
    expect(toMlflowErrorBody(new Error('table Tracking-xyz is gone'))).toEqual({
      status: 500,
      body: { error_code: 'INTERNAL_ERROR', message: 'Internal error' },
    });
  });
});

describe('keys that name properties of plain objects', () => {
  it.each(['constructor', 'toString', '__proto__'])('logs, reads and searches a param named %s', (key) => {
    // Act
    const change = applyBatch(run, {
      metrics: [],
      params: [{ key, value: 'v' }],
      tags: [{ key, value: 't' }],
    });
    const again = applyBatch({ ...run, ...change }, { metrics: [], params: [{ key, value: 'v' }], tags: [] });
    // Assess
    expect(Object.entries(change.params ?? {})).toContainEqual([key, 'v']);
    expect(Object.entries(change.tags ?? {})).toContainEqual([key, 't']);
    expect(again.params).toEqual(change.params);
  });
});
