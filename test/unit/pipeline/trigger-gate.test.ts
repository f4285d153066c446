import { RetrainingConfig } from '../../../contracts/pipeline';
import {
  normalizeTrigger,
  planGate,
  refusalByConfig,
  suppressionReason,
} from '../../../lambdas/pipeline/domain/trigger-gate';

const execution = { name: 'exec-1', startTime: '2026-11-02T10:15:42.123Z' };
const config = RetrainingConfig.parse({
  modelName: 'churn',
  trainingData: { uri: 's3://bucket/churn.parquet', label: 'y' },
});

describe('normalizeTrigger', () => {
  it("reads a DriftDetected event (its report's audit record) and keys it by report id", () => {
    // Prepare
    const event = {
      id: 'evt-1',
      source: 'cdk-mlops.monitoring',
      'detail-type': 'DriftDetected',
      time: '2026-11-02T10:15:00Z',
      detail: {
        id: 'r-9',
        action: 'DriftDetected',
        modelName: 'churn',
        after: { reportId: 'r-9', driftShare: 0.6 },
      },
    };

    // Act
    const trigger = normalizeTrigger(event, execution);

    // Assess
    expect(trigger).toEqual({
      modelName: 'churn',
      reason: 'drift',
      event: {
        id: 'r-9',
        source: 'cdk-mlops.monitoring',
        detailType: 'DriftDetected',
        time: '2026-11-02T10:15:00Z',
      },
      dedupKey: 'churn#drift#r-9',
      requestedBy: 'events:cdk-mlops.monitoring',
    });
  });

  it('gives a redelivered event the same dedup key', () => {
    // Prepare
    const event = {
      id: 'a',
      source: 'cdk-mlops.monitoring',
      'detail-type': 'QualityDegraded',
      detail: { id: 'q1', action: 'QualityDegraded', modelName: 'churn', after: { reportId: 'q1' } },
    };

    // Act
    const first = normalizeTrigger(event, execution);
    const again = normalizeTrigger({ ...event, id: 'b' }, { ...execution, name: 'exec-2' });

    // Assess
    expect(first.reason).toBe('quality');
    expect(again.dedupKey).toBe(first.dedupKey);
  });

  it('keys a schedule tick by model and minute', () => {
    // Act
    const trigger = normalizeTrigger({ modelName: 'churn', reason: 'schedule' }, execution);

    // Assess
    expect(trigger.reason).toBe('schedule');
    expect(trigger.dedupKey).toBe('churn#schedule#2026-11-02T10:15');
  });

  it('keys a data-volume event by its check id', () => {
    // Act
    const trigger = normalizeTrigger(
      {
        id: 'e',
        source: 'cdk-mlops.pipeline',
        'detail-type': 'TrainingDataAccumulated',
        detail: { modelName: 'churn', checkId: 'c7' },
      },
      execution,
    );

    // Assess
    expect(trigger).toMatchObject({ reason: 'data-volume', dedupKey: 'churn#data-volume#c7' });
  });

  it.each([
    [
      'an unknown event',
      { source: 'x', 'detail-type': 'Y', detail: { modelName: 'churn' } },
      /do not start retraining/,
    ],
    ['a bad model name', { modelName: '../etc', reason: 'manual' }, /modelName/],
    ['an unknown reason', { modelName: 'churn', reason: 'whim' }, /reason must be/],
  ])('fails for %s', (_name, input, message) => {
    // Act / Assess
    expect(() => normalizeTrigger(input, execution)).toThrow(message);
  });
});

describe('refusalByConfig', () => {
  it('admits an enabled reason', () => {
    // Act / Assess
    expect(
      refusalByConfig(normalizeTrigger({ modelName: 'churn', reason: 'manual' }, execution), config),
    ).toBeUndefined();
  });

  it('fails a model without config and a disabled reason', () => {
    // Prepare
    const trigger = normalizeTrigger({ modelName: 'churn', reason: 'schedule' }, execution);

    // Act / Assess
    expect(refusalByConfig(trigger, undefined)).toMatch(/no retraining config/);
    expect(refusalByConfig(trigger, { ...config, triggers: ['drift'] })).toBe(
      'schedule triggers are disabled for churn',
    );
  });
});

describe('planGate', () => {
  it('sets the cool-down from config, none for manual runs, and outlives training with the lock', () => {
    // Prepare
    const now = new Date('2026-11-02T10:00:00Z');
    const drift = normalizeTrigger(
      {
        source: 'cdk-mlops.monitoring',
        'detail-type': 'DriftDetected',
        detail: { modelName: 'churn', reportId: 'r' },
      },
      execution,
    );
    const manual = normalizeTrigger({ modelName: 'churn', reason: 'manual' }, execution);

    // Act
    const driftPlan = planGate(drift, config, now);
    const manualPlan = planGate(manual, config, now);

    // Assess
    const t0 = now.getTime() / 1000;
    expect(driftPlan.cooldownExpiresAt).toBe(t0 + 360 * 60);
    expect(manualPlan.cooldownExpiresAt).toBeUndefined();
    expect(driftPlan.lockExpiresAt).toBe(t0 + 24 * 3600);
    expect(driftPlan.dedupExpiresAt).toBe(t0 + 7 * 24 * 3600);
  });
});

describe('suppressionReason', () => {
  it.each([
    [
      { admitted: false as const, guard: 'dedup' as const },
      'trigger churn#manual#exec-1 was already handled',
    ],
    [{ admitted: false as const, guard: 'cooldown' as const }, 'manual retraining of churn is cooling down'],
    [
      { admitted: false as const, guard: 'lock' as const, holder: 'run-7' },
      'run run-7 is in progress for churn',
    ],
  ])('names the guard that held %#', (result, expected) => {
    // Act / Assess
    expect(
      suppressionReason(normalizeTrigger({ modelName: 'churn', reason: 'manual' }, execution), result),
    ).toBe(expected);
  });
});
