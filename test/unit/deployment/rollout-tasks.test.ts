/**
 * The rollout's one task list against an in-memory `VariantBackend`: what each task asks the
 * backend, records and returns, whatever serves the model. Plain inputs, no I/O.
 */
import { ROLLOUT_TASK_NAMES } from '../../../contracts/deployment';
import { planRollout } from '../../../lambdas/deployment/domain/rollout';
import { rolloutMetrics } from '../../../lambdas/deployment/domain/rollout-metrics';
import { ROLLOUT_TASKS } from '../../../lambdas/deployment/domain/rollout-tasks';
import type { RolloutState } from '../../../lambdas/deployment/domain/state';
import { backendsByTarget, fixedTargets } from '../../../lambdas/deployment/domain/targets';
import { makeTaskHandler } from '../../../lambdas/deployment/tasks';
import type { MetricsDocument } from '../../../lambdas/shared/metrics';
import { artifact, FakeVariantBackend, fakeRolloutDeps } from '../../helpers/fake-rollout-deps';

const input: RolloutState = planRollout({
  deploymentId: 'dep-1',
  modelName: 'churn',
  version: 2,
  target: {
    endpointName: 'mlops-churn',
    backend: 'sagemaker',
    canarySteps: [5, 100],
    bakeMinutes: 1,
    alarmCheckSeconds: 60,
    alarmNames: ['mlops-churn-challenger-latency-p95'],
  },
  requestedBy: 'arn:aws:iam::123456789012:user/alice',
});

/** The state after a challenger was created and the given canary step is baking. */
const baking = (stepIndex: number): RolloutState => ({
  ...input,
  lock: { acquired: true },
  challenger: {
    created: true,
    modelName: 'challenger-model',
    previousChampionModel: 'champion-model',
    previousVersion: 1,
  },
  bake: { stepIndex, checksDone: 0 },
});

describe('the rollout task list', () => {
  it('has one task for every task name the definition invokes', () => {
    expect(Object.keys(ROLLOUT_TASKS).sort()).toEqual([...ROLLOUT_TASK_NAMES].sort());
  });
});

describe('acquireLock', () => {
  it('takes a free lock and starts the deployment record', async () => {
    // Prepare
    const { deps, store } = fakeRolloutDeps(new FakeVariantBackend());
    // Act
    const out = await ROLLOUT_TASKS.acquireLock(deps, input);
    // Assess
    expect(out.lock).toEqual({ acquired: true });
    expect(store.deployments.get('dep-1')).toMatchObject({ status: 'RUNNING', phase: 'STARTING' });
    expect(store.actions()).toEqual(['DeploymentStarted']);
  });

  it('refuses while another rollout holds the lock, touching neither backend nor record', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store } = fakeRolloutDeps(backend);
    store.locks.set('churn', 'dep-other');
    // Act
    const out = await ROLLOUT_TASKS.acquireLock(deps, input);
    // Assess
    expect(out.lock).toEqual({ acquired: false, holder: 'dep-other' });
    expect(store.deployments.size).toBe(0);
    expect(store.actions()).toEqual(['DeploymentRefused']);
    expect(backend.calls).toEqual([]);
  });
});

describe('createChallenger', () => {
  it("has the backend prepare the challenger on the version's package and records the previous version", async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.createChallenger(deps, input);
    // Assess
    expect(backend.packageUrl).toBe('s3://bucket/serving/packages/churn/2/model.tar.gz');
    expect(out.challenger).toEqual({
      created: true,
      modelName: 'challenger-model',
      previousChampionModel: 'champion-model',
      previousVersion: 1,
    });
    expect(out.progress).toEqual({ state: 'WAITING', polls: 0 });
    expect(store.deployments.get('dep-1')).toMatchObject({
      phase: 'CREATING_CHALLENGER',
      weights: { champion: 100, challenger: 0 },
      previousVersion: 1,
    });
  });

  it('records a first rollout that created the endpoint, with no previous version', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    backend.prepared = { challenger: { createdEndpoint: true, modelName: 'm-v2', endpointConfigName: 'c1' } };
    const { deps, store } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.createChallenger(deps, input);
    // Assess
    expect(out.challenger).toEqual({
      created: true,
      createdEndpoint: true,
      modelName: 'm-v2',
      endpointConfigName: 'c1',
    });
    expect(store.deployments.get('dep-1')?.phase).toBe('CREATING_ENDPOINT');
    expect(store.deployments.get('dep-1')?.previousVersion).toBeUndefined();
  });

  it.each([
    [
      'is not READY',
      { status: 'PENDING_UPLOAD' as const, stage: 'None' as const, artifact: artifact('a') },
      'churn version 2 is PENDING_UPLOAD',
    ],
    ['does not exist', undefined, 'churn has no version 2'],
  ])('refuses a version that %s without asking the backend', async (_case, version, reason) => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, registry, store } = fakeRolloutDeps(backend);
    if (version) registry.versions.set(2, version);
    else registry.versions.delete(2);
    // Act
    const out = await ROLLOUT_TASKS.createChallenger(deps, input);
    // Assess
    expect(out.challenger).toEqual({ created: false, reason });
    expect(backend.calls).toEqual([]);
    expect(store.deployments.get('dep-1')).toMatchObject({ phase: 'CHALLENGER_FAILED', reason });
  });

  it("passes the backend's refusal on as the rollback's reason", async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    backend.prepared = { refusal: 'version 2 is already the champion' };
    const { deps } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.createChallenger(deps, input);
    // Assess
    expect(out.challenger).toEqual({ created: false, reason: 'version 2 is already the champion' });
  });
});

describe('progress checks', () => {
  it.each([
    ['checkChallenger', 'challenger'],
    ['checkPromotion', 'promotion'],
    ['checkSettled', 'settled'],
    ['checkRestored', 'restore'],
  ] as const)('%s asks the backend about %s and counts the poll', async (task, check) => {
    // Prepare
    const backend = new FakeVariantBackend();
    backend.progressOf[check] = { progress: 'WAITING' };
    const { deps } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS[task](deps, { ...baking(0), progress: { state: 'WAITING', polls: 2 } });
    // Assess
    expect(backend.calls).toEqual([['progress', check, 3]]);
    expect(out.progress).toEqual({ state: 'WAITING', polls: 3 });
  });

  it('starts the first bake when the challenger is ready, and says so', async () => {
    // Prepare
    const { deps, store } = fakeRolloutDeps(new FakeVariantBackend());
    // Act
    const out = await ROLLOUT_TASKS.checkChallenger(deps, { ...baking(0), bake: undefined });
    // Assess
    expect(out.bake).toEqual({ stepIndex: 0, checksDone: 0 });
    expect(store.actions()).toEqual(['DeploymentChallengerReady']);
    expect(store.audit[0].after).toMatchObject({ challengerModel: 'challenger-model' });
  });

  it("keeps the backend's reason when a poll failed", async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    backend.progressOf.challenger = { progress: 'FAILED', reason: 'deployment failed' };
    const { deps } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.checkChallenger(deps, input);
    // Assess
    expect(out.progress).toEqual({ state: 'FAILED', polls: 1, reason: 'deployment failed' });
    expect(out.bake).toBeUndefined();
  });
});

describe('canary steps', () => {
  it.each([
    [0, { champion: 95, challenger: 5 }],
    [1, { champion: 0, challenger: 100 }],
  ])('step %i sets the weights %o through the backend and records the shift', async (step, weights) => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.shiftTraffic(deps, baking(step));
    // Assess
    expect(backend.calls).toEqual([['setWeights', weights]]);
    expect(out.bake).toEqual({ stepIndex: step, checksDone: 0 });
    expect(store.deployments.get('dep-1')).toMatchObject({ phase: `BAKING_STEP_${step + 1}`, weights });
    expect(store.actions()).toEqual(['DeploymentTrafficShifted']);
  });

  it('rolls back on a watched alarm in ALARM without touching the backend', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, alarms } = fakeRolloutDeps(backend);
    alarms.push({ name: 'mlops-churn-challenger-latency-p95', state: 'ALARM', reason: 'p95 250 ms' });
    // Act
    const out = await ROLLOUT_TASKS.checkAlarms(deps, baking(0));
    // Assess
    expect(out.bake?.decision).toBe('ALARM');
    expect(out.rollback).toEqual({ reason: 'p95 250 ms', alarm: 'mlops-churn-challenger-latency-p95' });
    expect(backend.calls).toEqual([]);
  });

  it('moves to the next step after a clean read, and completes after the last', async () => {
    // Prepare
    const { deps } = fakeRolloutDeps(new FakeVariantBackend());
    // Act
    const first = await ROLLOUT_TASKS.checkAlarms(deps, baking(0));
    const last = await ROLLOUT_TASKS.checkAlarms(deps, baking(1));
    // Assess
    expect(first.bake).toEqual({ stepIndex: 1, checksDone: 0, decision: 'NEXT_STEP' });
    expect(last.bake?.decision).toBe('COMPLETE');
  });
});

describe('promotion', () => {
  it('keeps what the backend made for the promotion and waits for it', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    backend.promotion = { taskDefinition: 'td:7' };
    const { deps, store } = fakeRolloutDeps(backend);
    // Act
    const out = await ROLLOUT_TASKS.promote(deps, baking(1));
    // Assess
    expect(backend.methods()).toEqual(['promote']);
    expect(out.promotion).toEqual({ taskDefinition: 'td:7' });
    expect(out.progress).toEqual({ state: 'WAITING', polls: 0 });
    expect(store.deployments.get('dep-1')?.phase).toBe('PROMOTING');
  });

  it('gives the champion all traffic, moves the registry, retires the previous champion, releases the lock', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store, registry } = fakeRolloutDeps(backend);
    store.locks.set('churn', 'dep-1');
    // Act
    const out = await ROLLOUT_TASKS.finishPromotion(deps, baking(1));
    // Assess
    expect(backend.methods()).toEqual(['championTakesAll', 'retirePrevious']);
    expect(registry.promoted).toEqual([2]);
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(store.deployments.get('dep-1')).toMatchObject({
      status: 'PROMOTED',
      weights: { champion: 100, challenger: 0 },
    });
    expect(store.audit.at(-1)?.after).toMatchObject({ retiredModel: 'champion-model', previousVersion: 1 });
    expect(store.locks.has('churn')).toBe(false);
  });

  it('ends PROMOTED when its final write committed but the answer was lost, rather than rolling back', async () => {
    // Prepare: the write commits, then the answer never comes (a cut connection, a timeout)
    const backend = new FakeVariantBackend();
    const { deps, store } = fakeRolloutDeps(backend);
    store.locks.set('churn', 'dep-1');
    const finish = store.finishDeployment.bind(store);
    store.finishDeployment = async (deployment, audit) => {
      await finish(deployment, audit);
      throw Object.assign(new Error('the answer was lost'), { name: 'TimeoutError' });
    };
    // Act
    const out = await ROLLOUT_TASKS.finishPromotion(deps, baking(1));
    // Assess
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(store.deployments.get('dep-1')).toMatchObject({ status: 'PROMOTED' });
  });

  it('goes on when the registry committed the promotion but its answer was lost', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store, registry } = fakeRolloutDeps(backend);
    store.locks.set('churn', 'dep-1');
    const promote = registry.promote.bind(registry);
    registry.promote = async (...args) => {
      await promote(...args);
      throw Object.assign(new Error('the answer was lost'), { name: 'TimeoutError' });
    };
    // Act
    const out = await ROLLOUT_TASKS.finishPromotion(deps, baking(1));
    // Assess
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(registry.promoted).toEqual([2]);
  });

  it('still fails when its final write did not commit', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps, store } = fakeRolloutDeps(backend);
    store.finishDeployment = async () => {
      throw new Error('DynamoDB is unavailable');
    };
    // Act, Assess
    await expect(ROLLOUT_TASKS.finishPromotion(deps, baking(1))).rejects.toThrow('DynamoDB is unavailable');
  });
});

describe('rollback', () => {
  it('runs the backend back to the champion, step by step, and reports the cause', async () => {
    // Prepare: the challenger's alarm fired while baking
    const backend = new FakeVariantBackend();
    const { deps, store, registry } = fakeRolloutDeps(backend);
    store.locks.set('churn', 'dep-1');
    let state: RolloutState = { ...baking(0), rollback: { reason: 'p95 250 ms', alarm: 'latency' } };
    // Act
    for (const task of [
      'restoreWeights',
      'checkSettled',
      'restoreConfig',
      'checkRestored',
      'finishRollback',
    ] as const) {
      state = await ROLLOUT_TASKS[task](deps, state);
    }
    // Assess
    expect(backend.methods()).toEqual([
      'restoreWeights',
      'progress',
      'restoreVariants',
      'progress',
      'removeChallenger',
    ]);
    expect(state.outcome).toEqual({ status: 'ROLLED_BACK', reason: 'p95 250 ms', alarm: 'latency' });
    expect(registry.promoted).toEqual([]);
    expect(store.deployments.get('dep-1')).toMatchObject({ status: 'ROLLED_BACK', alarm: 'latency' });
    expect(store.audit.at(-1)).toMatchObject({ action: 'DeploymentRolledBack', after: { step: 1 } });
    expect(store.locks.has('churn')).toBe(false);
  });

  it.each([
    ['a failed task', { error: { Error: 'Boom', Cause: 'broken' } }, 'Boom: broken'],
    [
      'a failed poll',
      { progress: { state: 'FAILED' as const, polls: 3, reason: 'did not take' } },
      'did not take',
    ],
    ['no challenger', { challenger: { created: false, reason: 'busy endpoint' } }, 'busy endpoint'],
  ])('names %s as the cause', async (_case, found, reason) => {
    // Prepare
    const { deps } = fakeRolloutDeps(new FakeVariantBackend());
    // Act
    const out = await ROLLOUT_TASKS.restoreWeights(deps, { ...input, ...found });
    // Assess
    expect(out.rollback).toEqual({ reason });
  });
});

describe('choosing the backend', () => {
  it("takes each model's backend from its target's kind, SageMaker without one", async () => {
    // Prepare
    const made: string[] = [];
    const target = {
      endpointName: 'e',
      canarySteps: [100],
      bakeMinutes: 1,
      alarmCheckSeconds: 60,
      alarmNames: [],
    };
    const backends = backendsByTarget(
      fixedTargets({ a: { ...target, backend: 'ecs' }, b: { ...target, backend: 'sagemaker' } }),
      {
        sagemaker: (model) => {
          made.push(`sagemaker:${model}`);
          return new FakeVariantBackend();
        },
        ecs: (model) => {
          made.push(`ecs:${model}`);
          return new FakeVariantBackend();
        },
      },
    );
    // Act
    for (const model of ['a', 'b', 'c']) await backends(model);
    // Assess
    expect(made).toEqual(['ecs:a', 'sagemaker:b', 'sagemaker:c']);
  });

  it('chooses the backend once per task, by the model the task runs for', async () => {
    // Prepare
    const backend = new FakeVariantBackend();
    const { deps } = fakeRolloutDeps(backend);
    const asked: string[] = [];
    const { backend: _unused, ...rest } = deps;
    const handler = makeTaskHandler(
      {
        ...rest,
        backends: async (model) => {
          asked.push(model);
          return backend;
        },
      },
      async () => {},
    );
    // Act
    const out = await handler({ task: 'shiftTraffic', state: baking(0) });
    // Assess
    expect(asked).toEqual(['churn']);
    expect(backend.calls).toEqual([['setWeights', { champion: 95, challenger: 5 }]]);
    expect(out.bake?.stepIndex).toBe(0);
  });

  it('fails on a task the list does not have', async () => {
    const { deps } = fakeRolloutDeps(new FakeVariantBackend());
    const { backend, ...rest } = deps;
    const handler = makeTaskHandler({ ...rest, backends: async () => backend });
    await expect(handler({ task: 'dance' as never, state: input })).rejects.toThrow(
      'unknown deployment task dance',
    );
  });
});

describe('rollout markers', () => {
  it("reports the challenger's weight at each shift, and a 1 under the outcome with the weight back to 0", async () => {
    // Prepare
    const { deps } = fakeRolloutDeps(new FakeVariantBackend());
    const { backend, ...rest } = deps;
    const emitted: MetricsDocument[] = [];
    const handler = makeTaskHandler({ ...rest, backends: async () => backend }, async (doc) => {
      emitted.push(doc);
    });
    // Act
    await handler({ task: 'shiftTraffic', state: baking(0) });
    await handler({ task: 'checkAlarms', state: baking(0) });
    // Assess
    const shift = emitted.map((d) => [d.dimensions, d.metrics]);
    expect(shift).toEqual([
      [{ ModelName: 'churn' }, [{ name: 'ChallengerWeightPercent', unit: 'Percent', value: 5 }]],
    ]);
    const ended = rolloutMetrics(
      'finishRollback',
      { ...input, outcome: { status: 'ROLLED_BACK' } } as RolloutState,
      1,
    );
    expect(ended.map((d) => [d.dimensions, d.metrics[0].name, d.metrics[0].value])).toEqual([
      [{ ModelName: 'churn' }, 'ChallengerWeightPercent', 0],
      [{ ModelName: 'churn', Outcome: 'ROLLED_BACK' }, 'RolloutOutcome', 1],
    ]);
  });
});
