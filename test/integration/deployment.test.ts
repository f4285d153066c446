/**
 * Every branch of the canary rollout, executed locally from the SYNTHESIZED state machine
 * definition: promoted, rolled back on the latency alarm, rolled back on the error-rate alarm,
 * challenger never InService, concurrent rollout refused. At rest an endpoint has the champion
 * alone; the rollout adds the challenger and leaves one variant again, its autoscaling registered
 * only while it exists (the fake SageMaker refuses to remove a variant still scaled). Registry, deployments and audit run on
 * DynamoDB Local; alarms are the template's, evaluated by the local CloudWatch over metrics sent
 * with the CloudWatch SDK. SageMaker is a port implementation (test/helpers/fake-sagemaker.ts)
 * over the same interface as the SDK adapter.
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { STACK_UPDATE_LOCK_PREFIX } from '../../contracts/deployment';
import { EXPERIMENT_LOCK_PREFIX } from '../../contracts/experiments';
import { endpointName, sagemakerModelName } from '../../contracts/serving';
import { IDEMPOTENCY_TABLE } from '../../contracts/tables';
import { StepFunctionsExecutions } from '../../lambdas/deployment/adapters/step-functions-executions';
import { fixedTargets } from '../../lambdas/deployment/domain/targets';
import { makeHandler, onApprovalDecided } from '../../lambdas/deployment/handler';
import { makeTaskHandler } from '../../lambdas/deployment/tasks';
import { LocalStepFunctions } from '../../local/state-machines/server';
import {
  type DeploymentHarness,
  PROMOTION_ACTIONS,
  startDeploymentHarness,
} from '../helpers/deployment-harness';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { FakeScaling, TEST_SCALING } from '../helpers/fake-scaling';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { crashLeftRequestsInProgress } from '../helpers/idempotency-records';
import { ALICE } from '../helpers/registry-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';
import { useStandIns } from '../helpers/stand-ins';

const BOB = 'arn:aws:iam::123456789012:user/bob';
const MODELS = [
  'promote',
  'slow',
  'failing',
  'broken',
  'busy',
  'routed',
  'fresh',
  'upgraded',
  'stale',
  'stopped',
  'halted',
  'unrecorded',
  'refused',
  'crashed',
];
const standIns = useStandIns({ tables: true });
const sagemaker = new FakeSageMaker();
const scaling = new FakeScaling();
sagemaker.scaling = scaling;
let h: DeploymentHarness;

beforeAll(async () => {
  h = await startDeploymentHarness({
    models: MODELS.map((modelName) => ({ modelName, canarySteps: [5, 100], bakeMinutes: 2 })),
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    endpoints: sagemaker,
    bucket: 'test-artifacts',
    scaling,
  });
  for (const model of MODELS) {
    await h.seedModel(model);
    sagemaker.seed(
      endpointName('dev', model),
      sagemakerModelName(endpointName('dev', model), 1),
      `${endpointName('dev', model)}-iseed`,
    );
  }
  // 'fresh' has the stack's initial model and config but no endpoint yet (local mode's start).
  sagemaker.endpoints.delete(endpointName('dev', 'fresh'));
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const run = (modelName: string, deploymentId: string, initialEndpointConfigName?: string) =>
  h.runRollout(modelName, deploymentId, {
    extra: { ...(initialEndpointConfigName ? { initialEndpointConfigName } : {}), scaling: TEST_SCALING },
  });

/** Polls `check` every 10 ms until it holds (the test's own timeout bounds it). */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 10));
}

/** The variants an endpoint has, read while the challenger gets traffic (two during a rollout). */
const variantsDuringRollout = (endpoint: string) => {
  const seen: string[][] = [];
  const previous = sagemaker.onWeights;
  sagemaker.onWeights = async (name, w) => {
    if (name === endpoint) seen.push(Object.keys(sagemaker.variantModels(endpoint)));
    await previous(name, w);
  };
  return seen;
};

/** The challenger answers in 20 ms without errors whenever it gets traffic. */
const challengerAnswersWell = (endpoint: string) => {
  sagemaker.onWeights = (name, w) =>
    name === endpoint && w.challenger > 0
      ? h.sendMetrics(endpoint, 'challenger', { invocations: 200, latencyMicros: 20_000 })
      : undefined;
};

describe('deployment state machine (synthesized definition, local executor)', () => {
  it('promotes a healthy challenger: traffic 5% then 100%, alias and stage moved, old champion retired', async () => {
    // Prepare: the challenger answers fast and without errors at every step
    const endpoint = endpointName('dev', 'promote');
    challengerAnswersWell(endpoint);
    const during = variantsDuringRollout(endpoint);
    scaling.calls.length = 0;
    // Act
    const out = await run('promote', 'dep-promote-1');
    // Assess: two variants while it shifted, the champion alone on the version after
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(during).toEqual([
      ['champion', 'challenger'],
      ['champion', 'challenger'],
    ]);
    expect(sagemaker.variantModels(endpoint)).toEqual({
      champion: sagemakerModelName(endpointName('dev', 'promote'), 2),
    });
    expect((await sagemaker.describeEndpoint(endpoint))?.weights).toEqual({ champion: 100 });
    // The challenger scaled while it existed and left autoscaling before the promotion removed it.
    expect(scaling.calls).toEqual([
      `apply ${endpoint}/challenger`,
      `apply ${endpoint}/challenger`,
      `remove ${endpoint}/challenger`,
      `apply ${endpoint}/champion`,
    ]);
    expect(scaling.registered.has(`${endpoint}/challenger`)).toBe(false);
    expect(sagemaker.models.has(sagemakerModelName(endpointName('dev', 'promote'), 1))).toBe(false);
    expect(await h.deps.registry.aliasVersion('promote', 'champion')).toBe(2);
    expect((await h.registry.getVersion('promote', 2))?.stage).toBe('Production');
    expect((await h.registry.getVersion('promote', 1))?.stage).toBe('Archived');
    const record = await h.deps.store.getDeployment('promote', 'dep-promote-1');
    expect(record).toMatchObject({ status: 'PROMOTED', weights: { champion: 100, challenger: 0 } });
    expect(await h.rolloutActions('promote')).toEqual(expect.arrayContaining(PROMOTION_ACTIONS));
    expect(await h.trafficShifts('promote')).toEqual([
      { champion: 95, challenger: 5 },
      { champion: 0, challenger: 100 },
    ]);
  });

  it("makes the challenger's model like the stack's initial model (a Triton upgrade reaches it)", async () => {
    // Prepare: a deploy moved the stack to a new initial model (new image); the champion is older
    const endpoint = endpointName('dev', 'upgraded');
    const initial = 'mlops-upgraded-i0badcafe';
    const base = await sagemaker.describeEndpointConfig(`${endpoint}-iseed`);
    sagemaker.models.set(initial, {
      dataUrl: 's3://test-artifacts/serving/packages/upgraded/initial/model.tar.gz',
    });
    sagemaker.configs.set(`${endpoint}-inew`, {
      ...base,
      name: `${endpoint}-inew`,
      variants: base.variants.map((v) => ({ ...v, modelName: initial })),
    });
    challengerAnswersWell(endpoint);
    // Act
    const out = await run('upgraded', 'dep-upgraded-1', `${endpoint}-inew`);
    // Assess
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(sagemaker.models.get(sagemakerModelName(endpointName('dev', 'upgraded'), 2))?.template).toBe(
      initial,
    );
  });

  it("copies the champion's model when the stack's config named by the target is gone (a deploy just replaced it)", async () => {
    const endpoint = endpointName('dev', 'stale');
    challengerAnswersWell(endpoint);
    const out = await run('stale', 'dep-stale-1', `${endpoint}-ireplaced`);
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(sagemaker.models.get(sagemakerModelName(endpointName('dev', 'stale'), 2))?.template).toBe(
      sagemakerModelName(endpointName('dev', 'stale'), 1),
    );
  });

  it('rolls back on the challenger p95 latency alarm (microseconds), leaving registry and alias untouched', async () => {
    // Prepare: 250 ms at p95, above the 100 ms (100000 us) threshold
    const endpoint = endpointName('dev', 'slow');
    sagemaker.onWeights = (name, w) =>
      name === endpoint && w.challenger > 0
        ? h.sendMetrics(endpoint, 'challenger', { invocations: 50, latencyMicros: 250_000 })
        : undefined;
    const variants = variantsDuringRollout(endpoint);
    // Act
    const out = await run('slow', 'dep-slow-1');
    // Assess: back to the champion alone, on the old version, the challenger unscaled
    expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: `${endpoint}-challenger-latency-p95` });
    expect(variants[0]).toEqual(['champion', 'challenger']);
    expect(sagemaker.variantModels(endpoint)).toEqual({
      champion: sagemakerModelName(endpointName('dev', 'slow'), 1),
    });
    expect((await sagemaker.describeEndpoint(endpoint))?.weights).toEqual({ champion: 100 });
    expect(scaling.registered.has(`${endpoint}/challenger`)).toBe(false);
    expect(sagemaker.models.has(sagemakerModelName(endpointName('dev', 'slow'), 2))).toBe(false);
    expect(await h.deps.registry.aliasVersion('slow', 'champion')).toBe(1);
    expect((await h.registry.getVersion('slow', 2))?.stage).toBe('None');
    const rolledBack = (await h.audit('slow')).find((a) => a.action === 'DeploymentRolledBack');
    expect(rolledBack?.after).toMatchObject({ alarm: `${endpoint}-challenger-latency-p95`, step: 1 });
    const during = await h.rolloutActions('slow');
    expect(during).not.toContain('ModelAliasSet');
    expect(during).not.toContain('ModelVersionStageChanged');
    expect(await h.deps.store.getDeployment('slow', 'dep-slow-1')).toMatchObject({ status: 'ROLLED_BACK' });
  });

  it('rolls back on the 5XX error-rate alarm (0.5% > 0.1%)', async () => {
    // Prepare: fast, but 1 in 200 requests fails
    const endpoint = endpointName('dev', 'failing');
    sagemaker.onWeights = (name, w) =>
      name === endpoint && w.challenger > 0
        ? h.sendMetrics(endpoint, 'challenger', { invocations: 200, errors5xx: 1, latencyMicros: 10_000 })
        : undefined;
    // Act
    const out = await run('failing', 'dep-failing-1');
    // Assess
    expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: `${endpoint}-challenger-error-rate` });
    expect(await h.deps.registry.aliasVersion('failing', 'champion')).toBe(1);
    expect(sagemaker.variantModels(endpoint)).toEqual({
      champion: sagemakerModelName(endpointName('dev', 'failing'), 1),
    });
  });

  it('rolls back when the challenger never reaches InService (the update does not take)', async () => {
    // Prepare: the version's package fails its health check
    const modelName = 'broken';
    sagemaker.failingModels.add(sagemakerModelName(endpointName('dev', modelName), 2));
    sagemaker.onWeights = () => undefined;
    // Act
    const out = await run(modelName, 'dep-broken-1');
    // Assess
    expect(out.outcome?.status).toBe('ROLLED_BACK');
    expect(out.outcome?.reason).toMatch(/did not take: model mlops-dev-broken-v2 failed its health check/);
    expect(await h.rolloutActions(modelName)).not.toContain('DeploymentTrafficShifted');
    expect(sagemaker.variantModels(endpointName('dev', modelName))).toEqual({
      champion: sagemakerModelName(endpointName('dev', modelName), 1),
    });
    expect(await h.deps.registry.aliasVersion(modelName, 'champion')).toBe(1);
    expect(await h.deps.store.getDeployment(modelName, 'dep-broken-1')).toMatchObject({
      status: 'ROLLED_BACK',
    });
  });

  it("creates a model's missing endpoint from the initial config on its first rollout, then promotes", async () => {
    const endpoint = endpointName('dev', 'fresh');
    sagemaker.onWeights = () => undefined;
    // Act
    const out = await h.runRollout('fresh', 'dep-fresh-1', {
      extra: { initialEndpointConfigName: `${endpoint}-iseed`, scaling: TEST_SCALING },
    });
    // Assess
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    // The endpoint the rollout created has the one variant, autoscaled once promoted.
    expect(scaling.registered.get(`${endpoint}/champion`)).toEqual(TEST_SCALING);
    expect(scaling.registered.has(`${endpoint}/challenger`)).toBe(false);
    expect(sagemaker.variantModels(endpoint)).toEqual({
      champion: sagemakerModelName(endpointName('dev', 'fresh'), 2),
    });
    // The stack's initial config belongs to CloudFormation: kept.
    expect(sagemaker.configs.has(`${endpoint}-iseed`)).toBe(true);
    expect(await h.deps.registry.aliasVersion('fresh', 'champion')).toBe(2);
  });

  it('removes a challenger it made but could not record, rolling back to the champion alone', async () => {
    // Prepare: the write after the endpoint moved to the challenger's config fails once
    const endpoint = endpointName('dev', 'unrecorded');
    const store = h.deps.store;
    const update = store.updateDeployment;
    store.updateDeployment = async (deployment, audit) => {
      if (deployment.modelName === 'unrecorded' && deployment.phase === 'CREATING_CHALLENGER') {
        store.updateDeployment = update;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return update.call(store, deployment, audit);
    };
    try {
      // Act
      const out = await run('unrecorded', 'dep-unrecorded-1');
      // Assess: rolled back with the cause, the endpoint on the champion alone, registry untouched
      expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK' });
      expect(out.outcome?.reason).toMatch(/^the challenger could not be recorded: ProvisionedThroughput/);
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: sagemakerModelName(endpoint, 1) });
      expect(await h.deps.registry.aliasVersion('unrecorded', 'champion')).toBe(1);
      expect(await h.deps.store.getDeployment('unrecorded', 'dep-unrecorded-1')).toMatchObject({
        status: 'ROLLED_BACK',
      });
    } finally {
      store.updateDeployment = update;
    }
  });

  it('undoes a rollout whose execution was stopped mid-bake: challenger removed, FAILED, lock released, once', async () => {
    // Prepare: the synthesized machine over the local Step Functions API, its end reported to the
    // template's rule; a person stops the execution once the challenger has traffic
    const endpoint = endpointName('dev', 'stopped');
    const ended: Promise<unknown[]>[] = [];
    const sfn = new LocalStepFunctions(h.template, h.invoke, {
      runOptions: { waitMs: 0, waitTimeOverrides: { Bake: 60_000 } },
      onExecutionEnded: (execution) => ended.push(h.executionEnded(execution)),
    });
    const input = { ...h.plan('stopped', 'dep-stopped-1'), scaling: TEST_SCALING };
    sagemaker.onWeights = () => undefined;
    // The first delivery of the report dies before the challenger's model is deleted.
    const deleteModel = sagemaker.deleteModel;
    sagemaker.deleteModel = async () => {
      sagemaker.deleteModel = deleteModel;
      throw new Error('ThrottlingException');
    };
    try {
      const { executionArn } = sfn.startExecution({
        stateMachineArn: h.machine.arn,
        name: 'dep-stopped-1',
        input: JSON.stringify(input),
      });
      await until(async () => (await sagemaker.describeEndpoint(endpoint))?.weights.challenger === 5);
      // Act
      sfn.stopExecution({ executionArn, error: 'Stopped', cause: 'stopped by an operator' });
      await sfn.settled();
      await expect(Promise.all(ended)).rejects.toThrow('ThrottlingException');
      // Assess: the record is out of RUNNING, the lock still held, until a delivery finishes the undo
      expect(await h.deps.store.getDeployment('stopped', 'dep-stopped-1')).toMatchObject({
        status: 'FAILED',
        phase: 'STOPPING',
      });
      expect(await h.deps.store.lockHolder('stopped')).toBe('dep-stopped-1');
      const described = { ...(await sfn.describeExecution({ executionArn })), executionArn } as never;
      expect(await h.executionEnded(described)).toEqual([
        { recorded: true, modelName: 'stopped', deploymentId: 'dep-stopped-1' },
      ]);
      const record = await h.deps.store.getDeployment('stopped', 'dep-stopped-1');
      expect(record).toMatchObject({
        status: 'FAILED',
        phase: 'DONE',
        weights: { champion: 100, challenger: 0 },
      });
      expect(record?.reason).toBe('execution ABORTED (Stopped): stopped by an operator');
      // What the rollout made is gone: the pre-rollout config, one variant, no challenger to pay for.
      expect(await sagemaker.describeEndpoint(endpoint)).toMatchObject({
        status: 'InService',
        endpointConfigName: `${endpoint}-iseed`,
        weights: { champion: 100 },
      });
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: sagemakerModelName(endpoint, 1) });
      expect(sagemaker.models.has(sagemakerModelName(endpoint, 2))).toBe(false);
      expect([...sagemaker.configs.keys()].filter((c) => c.startsWith(endpoint))).toEqual([
        `${endpoint}-iseed`,
      ]);
      expect(scaling.registered.has(`${endpoint}/challenger`)).toBe(false);
      expect(await h.deps.store.lockHolder('stopped')).toBeUndefined();
      expect(await h.deps.registry.aliasVersion('stopped', 'champion')).toBe(1);
      expect((await h.audit('stopped'))[0]).toMatchObject({ action: 'DeploymentRolledBack' });
      const ends = (await h.audit('stopped')).filter((a) => a.action === 'DeploymentRolledBack');
      expect(ends).toHaveLength(1);
      // A redelivered report changes nothing.
      expect(await h.executionEnded(described)).toEqual([
        { recorded: false, why: 'deployment dep-stopped-1 already ended FAILED' },
      ]);
      // A task still running when the execution stopped does not move the traffic again.
      const late = makeTaskHandler(h.deps);
      await expect(
        late({ task: 'shiftTraffic', state: { ...input, bake: { stepIndex: 0, checksDone: 0 } } }),
      ).rejects.toThrow('deployment dep-stopped-1 has ended FAILED');
      expect((await sagemaker.describeEndpoint(endpoint))?.weights).toEqual({ champion: 100 });
    } finally {
      sagemaker.deleteModel = deleteModel;
      await sfn.close();
    }
  });

  it('finishes the promotion of a rollout stopped while promoting: registry and endpoint both on the version', async () => {
    // Prepare: the execution is stopped once the promoted config's update was sent
    const endpoint = endpointName('dev', 'halted');
    challengerAnswersWell(endpoint);
    const ended: Promise<unknown[]>[] = [];
    const sfn = new LocalStepFunctions(h.template, h.invoke, {
      runOptions: { waitMs: 0, waitTimeOverrides: { WaitForPromotion: 60_000 } },
      onExecutionEnded: (execution) => ended.push(h.executionEnded(execution)),
    });
    const input = { ...h.plan('halted', 'dep-halted-1'), scaling: TEST_SCALING };
    try {
      const { executionArn } = sfn.startExecution({
        stateMachineArn: h.machine.arn,
        name: 'dep-halted-1',
        input: JSON.stringify(input),
      });
      await until(
        async () =>
          sagemaker.endpoints.get(endpoint)?.status === 'Updating' &&
          sagemaker.configs.has(`${endpoint}-pdephalted1`),
      );
      // Act
      sfn.stopExecution({ executionArn, error: 'Stopped', cause: 'stopped by an operator' });
      await sfn.settled();
      const [answers] = await Promise.all(ended);
      // Assess: the promotion finished, so what serves and the registry agree
      expect(answers).toEqual([{ recorded: true, modelName: 'halted', deploymentId: 'dep-halted-1' }]);
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: sagemakerModelName(endpoint, 2) });
      expect(await sagemaker.describeEndpoint(endpoint)).toMatchObject({
        status: 'InService',
        endpointConfigName: `${endpoint}-pdephalted1`,
        weights: { champion: 100 },
      });
      expect(await h.deps.registry.aliasVersion('halted', 'champion')).toBe(2);
      expect(sagemaker.models.has(sagemakerModelName(endpoint, 1))).toBe(false);
      expect([...sagemaker.configs.keys()].filter((c) => c.startsWith(endpoint)).sort()).toEqual([
        `${endpoint}-iseed`,
        `${endpoint}-pdephalted1`,
      ]);
      const record = await h.deps.store.getDeployment('halted', 'dep-halted-1');
      expect(record).toMatchObject({ status: 'PROMOTED', phase: 'DONE' });
      expect(record?.reason).toBe(
        'execution ABORTED (Stopped): stopped by an operator; stopped while promoting: the promotion to version 2 was finished',
      );
      expect(await h.deps.store.lockHolder('halted')).toBeUndefined();
      const promoted = (await h.audit('halted')).filter((a) => a.action === 'DeploymentPromoted');
      expect(promoted).toHaveLength(1);
    } finally {
      await sfn.close();
    }
  });

  it('undoes a promotion the endpoint did not take once, even when the undo is resumed by a second delivery', async () => {
    // Prepare: Promote's update is sent but its resources are not kept (the write is lost); the
    // version then fails its health check on the promoted config; the execution is stopped meanwhile,
    // and the first delivery of the report dies before the challenger's model is deleted.
    const endpoint = endpointName('dev', 'refused');
    challengerAnswersWell(endpoint);
    const ended: Promise<unknown[]>[] = [];
    const sfn = new LocalStepFunctions(h.template, h.invoke, {
      runOptions: { waitMs: 0, waitTimeOverrides: { WaitForPromotion: 60_000 } },
      onExecutionEnded: (execution) => ended.push(h.executionEnded(execution)),
    });
    const input = { ...h.plan('refused', 'dep-refused-1'), scaling: TEST_SCALING };
    const store = h.deps.store;
    const updateDeployment = store.updateDeployment.bind(store);
    store.updateDeployment = async (deployment, audit, resources) => {
      if (deployment.deploymentId === 'dep-refused-1' && resources?.promotion)
        throw new Error('the write was lost');
      return updateDeployment(deployment, audit, resources);
    };
    const promoted = `${endpoint}-pdeprefused1`;
    const updates: string[] = [];
    const update = sagemaker.updateEndpoint;
    sagemaker.updateEndpoint = async (name, config) => {
      if (name === endpoint) updates.push(config);
      return update.call(sagemaker, name, config);
    };
    const deleteModel = sagemaker.deleteModel;
    try {
      const { executionArn } = sfn.startExecution({
        stateMachineArn: h.machine.arn,
        name: 'dep-refused-1',
        input: JSON.stringify(input),
      });
      await until(
        async () => sagemaker.endpoints.get(endpoint)?.status === 'Updating' && updates.includes(promoted),
      );
      sagemaker.failingModels.add(sagemakerModelName(endpoint, 2));
      sagemaker.deleteModel = async () => {
        sagemaker.deleteModel = deleteModel;
        throw new Error('ThrottlingException');
      };
      // Act
      sfn.stopExecution({ executionArn, error: 'Stopped', cause: 'stopped by an operator' });
      await sfn.settled();
      await expect(Promise.all(ended)).rejects.toThrow('ThrottlingException');
      const described = { ...(await sfn.describeExecution({ executionArn })), executionArn } as never;
      const resumed = await h.executionEnded(described);
      // Assess: the resumed undo did not ask for the promotion again; all is back on the champion
      expect(resumed).toEqual([{ recorded: true, modelName: 'refused', deploymentId: 'dep-refused-1' }]);
      expect(updates.filter((c) => c === promoted)).toHaveLength(1);
      expect(await sagemaker.describeEndpoint(endpoint)).toMatchObject({
        status: 'InService',
        endpointConfigName: `${endpoint}-iseed`,
      });
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: sagemakerModelName(endpoint, 1) });
      expect(await h.deps.store.getDeployment('refused', 'dep-refused-1')).toMatchObject({
        status: 'FAILED',
        phase: 'DONE',
      });
      expect(await h.deps.registry.aliasVersion('refused', 'champion')).toBe(1);
      expect(await h.deps.store.lockHolder('refused')).toBeUndefined();
    } finally {
      store.updateDeployment = updateDeployment;
      sagemaker.updateEndpoint = update;
      sagemaker.deleteModel = deleteModel;
      sagemaker.failingModels.delete(sagemakerModelName(endpoint, 2));
      await sfn.close();
    }
  });

  it('carries on when CreateChallenger and Promote are retried after their UpdateEndpoint was sent', async () => {
    // Prepare: each first UpdateEndpoint is sent, then the task dies before it answers
    const endpoint = endpointName('dev', 'crashed');
    challengerAnswersWell(endpoint);
    const update = sagemaker.updateEndpoint;
    const crashed: string[] = [];
    sagemaker.updateEndpoint = async (name, config) => {
      await update.call(sagemaker, name, config);
      if (name === endpoint && !crashed.includes(config)) {
        crashed.push(config);
        throw Object.assign(new Error('the function crashed'), { name: 'Lambda.ServiceException' });
      }
    };
    try {
      // Act
      const out = await run('crashed', 'dep-crashed-1');
      // Assess: the retries took the updates as their own, and the rollout promoted
      expect(crashed).toEqual([`${endpoint}-cdepcrashed1`, `${endpoint}-pdepcrashed1`]);
      expect(out.outcome).toEqual({ status: 'PROMOTED' });
      expect(sagemaker.variantModels(endpoint)).toEqual({ champion: sagemakerModelName(endpoint, 2) });
      expect(await h.deps.registry.aliasVersion('crashed', 'champion')).toBe(2);
    } finally {
      sagemaker.updateEndpoint = update;
    }
  });

  it('refuses a concurrent rollout of the same model and changes nothing', async () => {
    // Prepare: another rollout holds the lock
    const now = new Date();
    await h.deps.store.acquireLock(
      'busy',
      'dep-busy-other',
      new Date(now.getTime() + 3_600_000).toISOString(),
      now.toISOString(),
    );
    // Act & Assess
    await expect(run('busy', 'dep-busy-2')).rejects.toThrow(/DeploymentRefused|another rollout/);
    expect(sagemaker.variantModels(endpointName('dev', 'busy'))).toEqual({
      champion: sagemakerModelName(endpointName('dev', 'busy'), 1),
    });
    expect(await h.deps.store.getDeployment('busy', 'dep-busy-2')).toBeUndefined();
    expect(await h.rolloutActions('busy')).toContain('DeploymentRefused');
    // and the holder may still take it (its lock is untouched)
    expect(
      await h.deps.store.acquireLock('busy', 'dep-busy-other', now.toISOString(), now.toISOString()),
    ).toEqual({ acquired: true });
  });
});

describe('rollout routes over the local Step Functions API', () => {
  let sfn: LocalStepFunctions;
  let sfnClient: SFNClient | undefined;
  let call: HttpCall;
  let approvalDeps: Parameters<typeof onApprovalDecided>[0];
  /** The routes over the targets of the model that asks for sign-off. */
  let signedCall: HttpCall;
  /** A keyed start whose process dies after the rollout's record committed, before its execution. */
  let crashAfterCommit: HttpCall;

  beforeAll(async () => {
    // The same executions as above, started by the route's SFN client through the local API.
    sfn = new LocalStepFunctions(h.template, h.invoke, {
      runOptions: { waitMs: 0 },
    });
    const url = await sfn.listen();
    sfnClient = new SFNClient({
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
    });
    const executions = new StepFunctionsExecutions(sfnClient, h.machine.arn);
    const target = (m: string) => ({
      endpointName: endpointName('dev', m),
      backend: 'sagemaker' as const,
      canarySteps: [5, 100],
      bakeMinutes: 1,
      alarmCheckSeconds: 60,
      alarmNames: [
        `${endpointName('dev', m)}-challenger-latency-p95`,
        `${endpointName('dev', m)}-challenger-error-rate`,
      ],
    });
    const deps = {
      targets: fixedTargets({ routed: target('routed'), waiting: target('waiting') }),
      store: h.deps.store,
      registry: h.registry,
      executions,
      now: () => new Date(),
      newId: () => `dep-${Math.random().toString(36).slice(2, 10)}`,
      // The backend's view of each endpoint (the SageMaker and ECS readers have their own tests).
      describeEndpoint: async (m: string) =>
        m === 'routed'
          ? {
              status: 'InService',
              variants: [{ name: 'champion', version: 2, weight: 100, instanceCount: 1 }],
            }
          : undefined,
    };
    approvalDeps = {
      ...deps,
      // Watching the alarms the stack declares for 'routed' (no endpoint more to synthesize).
      targets: fixedTargets({ signed: { ...target('signed'), alarmNames: target('routed').alarmNames } }),
    };
    signedCall = httpCaller(makeHandler(approvalDeps), { functionName: 'deployment' });
    const handler = makeHandler(deps);
    const keyed = makeHandler({
      ...deps,
      idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: standIns.dynamoDb },
    });
    // A keyed request goes to the handler with idempotency, as the deployed function has it.
    const plain = httpCaller(handler, { functionName: 'deployment' });
    const withKeys = httpCaller(keyed, { functionName: 'deployment' });
    crashAfterCommit = httpCaller(
      makeHandler({
        ...deps,
        idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: standIns.dynamoDb },
        executions: {
          arnOf: (name) => executions.arnOf(name),
          describe: (arn) => executions.describe(arn),
          start: () => new Promise<string>(() => undefined),
        },
      }),
      { functionName: 'deployment' },
    );
    call = (method, path, body, headers = {}) =>
      (headers['idempotency-key'] ? withKeys : plain)(method, path, body, headers);
  });

  afterAll(async () => {
    sfnClient?.destroy();
    await sfn?.close();
  });

  it('starts a rollout (202), refuses a second one for the model (409), then reports it PROMOTED', async () => {
    sagemaker.onWeights = () => undefined;
    const t0 = new Date().toISOString();
    // Act
    const started = await call('POST', '/models/routed/deployments', { version: 2 });
    const second = await call('POST', '/models/routed/deployments', { version: 2 });
    await sfn.settled();
    const status = await call('GET', `/models/routed/deployments/${started.body.deploymentId}`);
    // Assess
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({
      status: 'RUNNING',
      steps: [5, 100],
      executionArn: expect.stringContaining(':execution:'),
    });
    expect(second).toMatchObject({ status: 409, body: { error: { code: 'DEPLOYMENT_IN_PROGRESS' } } });
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ execution: { status: 'SUCCEEDED' } });
    expect(['PROMOTED', 'ROLLED_BACK']).toContain(status.body.status);
    expect(await h.deps.registry.aliasVersion('routed', 'champion')).toBe(2);
    // Every record the rollout wrote (its own, and the registry's promotion) names the API request
    // that started it, whichever state machine task wrote it.
    const written = (await h.audit('routed')).filter((a) => a.at >= t0);
    expect(written.map((a) => a.action)).toEqual(expect.arrayContaining(['DeploymentStarted']));
    expect(new Set(written.map((a) => a.requestId))).toEqual(
      new Set([expect.stringMatching(/^[0-9a-f-]{36}$/)]),
    );
    expectReplyMatchesRoute('StartDeployment', started);
    expectReplyMatchesRoute('GetDeployment', status);
  });

  describe('of a model that asks for sign-off', () => {
    /** What the rule delivers: the decision's audit record as an ApprovalDecided event. */
    const decidedEvent = async (id: string) => {
      const record = (await h.audit('signed')).find(
        (a) => a.action === 'ApprovalDecided' && (a.after as { approvalId?: string }).approvalId === id,
      );
      return { 'detail-type': 'ApprovalDecided', detail: record } as never;
    };

    beforeAll(async () => {
      await h.registry.createModel(
        {
          name: 'signed',
          description: '',
          tags: {},
          governance: {
            approval: { approvers: [BOB], quorum: 1, authorMayApprove: false, expiresAfterHours: 1 },
          },
        },
        { principal: ALICE },
      );
      for (const n of [1, 2])
        await h.registry.registerArtifact('signed', new TextEncoder().encode(`signed v${n}`));
      await h.registry.setAlias('signed', 'champion', 1, { principal: ALICE });
      const endpoint = endpointName('dev', 'signed');
      sagemaker.seed(endpoint, sagemakerModelName(endpoint, 1), `${endpoint}-iseed`);
    });

    it('opens an approval request (202) and, once approved, rolls out as the requester asked, promoting the version', async () => {
      sagemaker.onWeights = () => undefined;
      // Act
      const asked = await signedCall('POST', '/models/signed/deployments', { version: 2, bakeMinutes: 0 });
      const id = asked.body.approval?.id as string;
      const before = await signedCall('GET', '/models/signed/deployments');
      const decided = await h.registry.decide('signed', id, BOB, 'approve');
      const started = await onApprovalDecided(approvalDeps, await decidedEvent(id));
      const redelivered = await onApprovalDecided(approvalDeps, await decidedEvent(id));
      await sfn.settled();
      const status = await signedCall('GET', `/models/signed/deployments/${id}`);
      // Assess
      expect(asked.status).toBe(202);
      expectReplyMatchesRoute('StartDeployment', asked);
      expect(asked.body.approval).toMatchObject({
        status: 'OPEN',
        requestedBy: ALICE,
        action: { kind: 'rollout', request: { version: 2, bakeMinutes: 0 } },
      });
      expect(before.body.items).toEqual([]);
      expect(decided.status).toBe('APPROVED');
      expect(started).toEqual({ deploymentId: id });
      expect(redelivered).toEqual({ deploymentId: id });
      expect({ ...status.body, reason: status.body.reason ?? '' }).toMatchObject({
        status: 'PROMOTED',
        reason: '',
        requestedBy: asked.body.approval.requestedBy,
        steps: [5, 100],
      });
      expect((await h.registry.getVersion('signed', 2))?.stage).toBe('Production');
      const starts = (await h.audit('signed')).filter((a) => a.action === 'DeploymentStarted');
      expect(starts.map((a) => a.actor)).toEqual([asked.body.approval.requestedBy]);
    });

    it('rolls out nothing on a rejection', async () => {
      // Prepare
      await h.registry.registerArtifact('signed', new TextEncoder().encode('signed v3'));
      // Act
      const asked = await signedCall('POST', '/models/signed/deployments', { version: 3 });
      const id = asked.body.approval.id as string;
      const again = await signedCall('POST', '/models/signed/deployments', { version: 3 });
      await h.registry.decide('signed', id, BOB, 'reject');
      const started = await onApprovalDecided(approvalDeps, await decidedEvent(id));
      const direct = await signedCall('POST', '/models/signed/deployments', { version: 3 });
      // Assess
      expect(asked.status).toBe(202);
      expect([again.status, again.body.error.code]).toEqual([409, 'APPROVAL_PENDING']);
      expect(started).toEqual({});
      expect((await signedCall('GET', `/models/signed/deployments/${id}`)).status).toBe(404);
      expect((await h.registry.getVersion('signed', 3))?.stage).toBe('None');
      // A new start asks again: the rejected request grants nothing.
      expect(direct.body.approval).toMatchObject({ status: 'OPEN', version: 3 });
    });

    it('records START_FAILED, and tells, when the approved rollout finds the endpoint locked by an experiment', async () => {
      // Prepare
      await h.registry.registerArtifact('signed', new TextEncoder().encode('signed v4'));
      const asked = await signedCall('POST', '/models/signed/deployments', { version: 4 });
      const id = asked.body.approval.id as string;
      const lock = `${EXPERIMENT_LOCK_PREFIX}exp-holding`;
      const now = new Date();
      await h.deps.store.acquireLock(
        'signed',
        lock,
        new Date(now.getTime() + 3_600_000).toISOString(),
        now.toISOString(),
      );
      try {
        // Act
        await h.registry.decide('signed', id, BOB, 'approve');
        const delivered = await onApprovalDecided(approvalDeps, await decidedEvent(id));
        const redelivered = await onApprovalDecided(approvalDeps, await decidedEvent(id));
        const request = await h.registry.getApproval('signed', id);
        const told = (await h.audit('signed')).filter((a) => a.action === 'ApprovalStartFailed');
        await h.deps.store.releaseLock('signed', lock);
        const again = await signedCall('POST', '/models/signed/deployments', { version: 4 });
        // Assess: answered, not thrown (a redelivery would meet the same lock); the grant is spent
        expect(delivered).toEqual({ startFailed: 'EXPERIMENT_IN_PROGRESS' });
        expect(redelivered).toEqual({});
        expect(request).toMatchObject({
          status: 'START_FAILED',
          startFailure: { code: 'EXPERIMENT_IN_PROGRESS', message: expect.stringContaining('exp-holding') },
        });
        expect(told).toHaveLength(1);
        expect(told[0]).toMatchObject({
          actor: ALICE,
          after: {
            approvalId: id,
            status: 'START_FAILED',
            code: 'EXPERIMENT_IN_PROGRESS',
            requestedBy: ALICE,
          },
        });
        expect((await signedCall('GET', `/models/signed/deployments/${id}`)).status).toBe(404);
        expect((await h.registry.getVersion('signed', 4))?.stage).toBe('None');
        await expect(h.registry.requirePromotable('signed', 4, id)).rejects.toMatchObject({
          code: 'APPROVAL_REQUIRED',
        });
        expect(again.body.approval).toMatchObject({ status: 'OPEN', version: 4 });
      } finally {
        await h.deps.store.releaseLock('signed', lock);
      }
    });
  });

  it('refuses a rollout while a stack deploy updates the endpoint (409), saying so', async () => {
    const now = new Date();
    await h.deps.store.acquireLock(
      'routed',
      `${STACK_UPDATE_LOCK_PREFIX}cfn-request-1`,
      new Date(now.getTime() + 3_600_000).toISOString(),
      now.toISOString(),
    );
    try {
      const refused = await call('POST', '/models/routed/deployments', { version: 2 });
      expect(refused).toMatchObject({
        status: 409,
        body: {
          error: {
            code: 'DEPLOYMENT_IN_PROGRESS',
            message:
              'a stack deploy is updating the endpoint of routed; start the rollout when it has finished',
          },
        },
      });
    } finally {
      await h.deps.store.releaseLock('routed', `${STACK_UPDATE_LOCK_PREFIX}cfn-request-1`);
    }
  });

  it.each([
    ['an unconfigured model', '/models/nope/deployments', { version: 2 }, 404, 'ENDPOINT_NOT_CONFIGURED'],
    ['a missing version', '/models/routed/deployments', { version: 9 }, 404, 'VERSION_NOT_FOUND'],
    ['a bad body', '/models/routed/deployments', { version: 'two' }, 400, 'INVALID_REQUEST'],
    [
      'bad canary steps',
      '/models/routed/deployments',
      { version: 2, canarySteps: [50, 10] },
      400,
      'INVALID_REQUEST',
    ],
  ])('fails to start for %s and takes no lock', async (_what, path, body, status, code) => {
    const res = await call('POST', path, body);
    expect(res).toMatchObject({ status, body: { error: { code } } });
    expect(
      await h.deps.store.acquireLock(
        'routed',
        'probe',
        new Date(Date.now() + 1000).toISOString(),
        new Date().toISOString(),
      ),
    ).toEqual({ acquired: true });
    await h.deps.store.releaseLock('routed', 'probe');
  });
  it('answers a keyed start retried after a crash with the first rollout, starting no second one', async () => {
    // Prepare: a keyed start, run to the end; then what a crash before the answer was stored
    // leaves: Powertools' record in progress, its lease run out.
    sagemaker.onWeights = () => undefined;
    const first = await call(
      'POST',
      '/models/routed/deployments',
      { version: 2 },
      { 'idempotency-key': 'start-1' },
    );
    expect(first.status).toBe(202);
    await sfn.settled();
    await crashLeftRequestsInProgress(standIns.dynamoDb);
    // Act
    const retry = await call(
      'POST',
      '/models/routed/deployments',
      { version: 2 },
      { 'idempotency-key': 'start-1' },
    );
    // Assess: the rollout as its start recorded it, no second one
    expect(retry.status).toBe(202);
    expect(retry.body.deploymentId).toBe(first.body.deploymentId);
    await sfn.settled();
    const starts = (await h.audit('routed')).filter(
      (a) => a.action === 'DeploymentStarted' && JSON.stringify(a).includes(String(first.body.deploymentId)),
    );
    expect(starts).toHaveLength(1);
  });

  it('completes a keyed start whose execution a crash kept from starting: the retry starts it and answers its ARN', async () => {
    // Prepare: the first attempt commits the rollout, then dies before StartExecution.
    sagemaker.onWeights = () => undefined;
    void crashAfterCommit(
      'POST',
      '/models/routed/deployments',
      { version: 2 },
      { 'idempotency-key': 'crash-1' },
    );
    let holder: string | undefined;
    for (let i = 0; i < 200 && !holder; i++) {
      holder = await h.deps.store.lockHolder('routed');
      if (!holder || !(await h.deps.store.getDeployment('routed', holder))) {
        holder = undefined;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    expect(holder).toBeDefined();
    await crashLeftRequestsInProgress(standIns.dynamoDb);
    // Act
    const retry = await call(
      'POST',
      '/models/routed/deployments',
      { version: 2 },
      { 'idempotency-key': 'crash-1' },
    );
    await sfn.settled();
    // Assess: the first rollout, now with its execution, run to its end; no second rollout
    expect(retry.status).toBe(202);
    expect(retry.body).toMatchObject({
      deploymentId: holder,
      executionArn: `${h.machine.arn.replace(':stateMachine:', ':execution:')}:${holder}`,
    });
    const status = await call('GET', `/models/routed/deployments/${holder}`);
    expect(status.body).toMatchObject({ execution: { status: 'SUCCEEDED' } });
    expect(['PROMOTED', 'ROLLED_BACK']).toContain(status.body.status);
    const starts = (await h.audit('routed')).filter(
      (a) => a.action === 'DeploymentStarted' && JSON.stringify(a).includes(String(holder)),
    );
    expect(starts).toHaveLength(1);
    expect(await h.deps.store.lockHolder('routed')).toBeUndefined();
  });

  it("lists a model's rollouts newest first, a page at a time, and refuses a token it did not issue", async () => {
    // Prepare: three records of another model, created a minute apart, oldest first.
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (const i of [1, 2, 3]) {
      const at = new Date(base + i * 60_000).toISOString();
      const deployment = {
        deploymentId: `listed-${i}`,
        modelName: 'listed',
        version: i,
        endpointName: endpointName('dev', 'listed'),
        status: 'PROMOTED' as const,
        phase: 'DONE',
        steps: [100],
        requestedBy: 'alice',
        createdAt: at,
        updatedAt: at,
      };
      await h.deps.store.createDeployment(deployment, {
        id: `audit-listed-${i}`,
        at,
        actor: 'alice',
        action: 'DeploymentStarted',
        modelName: 'listed',
        version: i,
        after: {},
      } as never);
    }

    // Act
    const first = await call('GET', '/models/listed/deployments?limit=2');
    const second = await call('GET', `/models/listed/deployments?limit=2&nextToken=${first.body.nextToken}`);
    const forged = Buffer.from(JSON.stringify({ pk: 'MODEL#routed', sk: 'x', createdAt: 'y' })).toString(
      'base64url',
    );
    const foreign = await call('GET', `/models/listed/deployments?nextToken=${forged}`);
    const none = await call('GET', '/models/nobody/deployments');

    // Assess
    expect(first.status).toBe(200);
    expect((first.body.items as Array<{ deploymentId: string }>).map((d) => d.deploymentId)).toEqual([
      'listed-3',
      'listed-2',
    ]);
    expect(second.body).toEqual({
      items: [expect.objectContaining({ deploymentId: 'listed-1', version: 1 })],
    });
    expect(foreign).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAGE_TOKEN' } } });
    expect(none).toEqual({ status: 200, body: { items: [] } });
    expectReplyMatchesRoute('ListDeployments', first);
  });

  it('lists every configured endpoint with its variants and the rollout holding its lock', async () => {
    // Prepare: a rollout of `waiting` holds its lock.
    const now = new Date();
    const at = now.toISOString();
    await h.deps.store.acquireLock(
      'waiting',
      'dep-waiting',
      new Date(now.getTime() + 60_000).toISOString(),
      at,
    );
    await h.deps.store.createDeployment(
      {
        deploymentId: 'dep-waiting',
        modelName: 'waiting',
        version: 4,
        endpointName: endpointName('dev', 'waiting'),
        status: 'RUNNING',
        phase: 'BAKING_STEP_1',
        steps: [5, 100],
        weights: { champion: 95, challenger: 5 },
        requestedBy: 'alice',
        createdAt: at,
        updatedAt: at,
      },
      {
        id: 'audit-waiting',
        at,
        actor: 'alice',
        action: 'DeploymentStarted',
        modelName: 'waiting',
        after: {},
      } as never,
    );
    try {
      // Act
      const all = await call('GET', '/endpoints');
      const page1 = await call('GET', '/endpoints?limit=1');
      const page2 = await call('GET', `/endpoints?limit=1&nextToken=${page1.body.nextToken}`);
      const bad = await call('GET', '/endpoints?nextToken=not-a-token');

      // Assess
      expect(all.status).toBe(200);
      expect(all.body).toEqual({
        items: [
          {
            modelName: 'routed',
            endpointName: 'mlops-dev-routed',
            backend: 'sagemaker',
            status: 'InService',
            variants: [{ name: 'champion', version: 2, weight: 100, instanceCount: 1 }],
          },
          {
            modelName: 'waiting',
            endpointName: 'mlops-dev-waiting',
            backend: 'sagemaker',
            status: 'NotCreated',
            variants: [],
            rollout: {
              deploymentId: 'dep-waiting',
              version: 4,
              phase: 'BAKING_STEP_1',
              weights: { champion: 95, challenger: 5 },
            },
          },
        ],
      });
      expect((page1.body.items as unknown[]).length).toBe(1);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ modelName: 'waiting' })] });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'INVALID_PAGE_TOKEN' } } });
      expectReplyMatchesRoute('ListEndpoints', all);
    } finally {
      await h.deps.store.releaseLock('waiting', 'dep-waiting');
    }
  });
});
