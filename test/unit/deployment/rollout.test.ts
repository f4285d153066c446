import { bakeDecision, planRollout, weightsAt } from '../../../lambdas/deployment/domain/rollout';

const target = {
  endpointName: 'mlops-churn',
  backend: 'sagemaker' as const,
  canarySteps: [5, 100],
  bakeMinutes: 10,
  alarmCheckSeconds: 60,
  alarmNames: ['a', 'b'],
};
const alarms = (states: Record<string, 'OK' | 'ALARM' | 'INSUFFICIENT_DATA'>) =>
  Object.entries(states).map(([name, state]) => ({ name, state }));

describe('planRollout', () => {
  it('reads the alarms once a minute for the whole bake, per step', () => {
    const plan = planRollout({
      deploymentId: 'd',
      modelName: 'churn',
      version: 2,
      target,
      requestedBy: 'me',
    });
    expect(plan).toMatchObject({
      steps: [5, 100],
      checksPerStep: 10,
      checkIntervalSeconds: 60,
      alarmNames: ['a', 'b'],
    });
  });

  it('takes the request overrides, and reads at least once for a zero bake', () => {
    const plan = planRollout({
      deploymentId: 'd',
      modelName: 'c',
      version: 2,
      target,
      canarySteps: [1, 10, 100],
      bakeMinutes: 0,
      requestedBy: 'me',
    });
    expect(plan).toMatchObject({ steps: [1, 10, 100], checksPerStep: 1 });
  });
});

describe('weightsAt', () => {
  it.each([
    [0, { champion: 100, challenger: 0 }],
    [5, { champion: 95, challenger: 5 }],
    [100, { champion: 0, challenger: 100 }],
  ])('gives the challenger %i%%', (percent, weights) => {
    expect(weightsAt(percent)).toEqual(weights);
  });

  it('fails outside 0..100', () => {
    expect(() => weightsAt(101)).toThrow('canary weight must be an integer 0..100, got 101');
  });
});

describe('bakeDecision', () => {
  const base = { watched: ['a', 'b'], steps: [5, 100], checksPerStep: 3 };

  it('keeps baking until the step has its clean reads, then moves on, then completes', () => {
    const clean = alarms({ a: 'OK', b: 'INSUFFICIENT_DATA' });
    expect(bakeDecision({ ...base, alarms: clean, stepIndex: 0, checksDone: 0 })).toEqual({
      decision: 'BAKING',
      checksDone: 1,
    });
    expect(bakeDecision({ ...base, alarms: clean, stepIndex: 0, checksDone: 2 })).toEqual({
      decision: 'NEXT_STEP',
      checksDone: 3,
    });
    expect(bakeDecision({ ...base, alarms: clean, stepIndex: 1, checksDone: 2 })).toEqual({
      decision: 'COMPLETE',
      checksDone: 3,
    });
  });

  it('rolls back on any watched alarm in ALARM, naming it', () => {
    const out = bakeDecision({
      ...base,
      alarms: alarms({ a: 'OK', b: 'ALARM' }),
      stepIndex: 1,
      checksDone: 2,
    });
    expect(out).toMatchObject({ decision: 'ALARM', alarm: 'b' });
  });

  it('rolls back when a watched alarm does not exist (never bakes blind)', () => {
    const out = bakeDecision({ ...base, alarms: alarms({ a: 'OK' }), stepIndex: 0, checksDone: 0 });
    expect(out).toMatchObject({ decision: 'ALARM', alarm: 'b', reason: 'watched alarm(s) not found: b' });
  });
});
