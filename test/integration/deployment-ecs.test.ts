/**
 * Canary rollouts of models served by ECS, executed locally from the SYNTHESIZED state machine
 * definition (the same one SageMaker rollouts run): promoted, rolled back on the challenger's p95
 * latency alarm, rolled back when the ECS circuit breaker fails the challenger's deployment. At
 * rest the challenger service runs no task: a rollout gives it the champion's count and takes it
 * back to 0 once promoted or rolled back.
 * Registry, deployments and audit run on DynamoDB Local; alarms are the template's ALB alarms,
 * evaluated by the local CloudWatch over metrics sent with the CloudWatch SDK. The ECS adapter is
 * the real one, its ECS and ELBv2 clients answered by an in-memory fake (test/helpers/fake-ecs.ts).
 */
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { EcsServingTarget } from '../../contracts/deployment';
import { endpointName, modelPackageKey } from '../../contracts/serving';
import { alarmsFromTemplate } from '../../local/cloudwatch/server';
import { LocalStepFunctions } from '../../local/state-machines/server';
import {
  type DeploymentHarness,
  PROMOTION_ACTIONS,
  startDeploymentHarness,
} from '../helpers/deployment-harness';
import { FakeEcs } from '../helpers/fake-ecs';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'test-artifacts';
const MODELS = ['tiger', 'lynx', 'puma', 'ocelot'];
const standIns = useStandIns({ tables: true });
const fake = new FakeEcs();
const targets: Record<string, EcsServingTarget> = {};
let h: DeploymentHarness;
let cw: CloudWatchClient;

const packageUrl = (model: string, version: number | 'initial') =>
  version === 'initial'
    ? `s3://${BUCKET}/serving/packages/${model}/initial/model.tar.gz`
    : `s3://${BUCKET}/${modelPackageKey(model, version)}`;

beforeAll(async () => {
  h = await startDeploymentHarness({
    models: MODELS.map((modelName) => ({ modelName, backend: 'ecs', canarySteps: [5, 100], bakeMinutes: 2 })),
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    endpoints: new FakeSageMaker(),
    bucket: BUCKET,
    ecs: { clients: fake, target: (model) => targets[model] },
  });
  cw = new CloudWatchClient({
    endpoint: h.cloudWatchUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (const model of MODELS) {
    await h.seedModel(model, 3);
    targets[model] = fake.seed(endpointName('dev', model), packageUrl(model, 'initial'));
  }
}, 120_000);

afterAll(async () => {
  cw?.destroy();
  await h?.close();
});

/** Sends a variant's ALB TargetResponseTime (seconds) with the dimensions the template's alarm reads. */
async function sendLatency(model: string, variant: 'champion' | 'challenger', seconds: number) {
  const alarm = alarmsFromTemplate(h.template).find(
    (a) => a.AlarmName === `${endpointName('dev', model)}-${variant}-latency-p95`,
  ) as unknown as { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
  await cw.send(
    new PutMetricDataCommand({
      Namespace: alarm.Namespace,
      MetricData: [
        { MetricName: alarm.MetricName, Dimensions: alarm.Dimensions, Values: [seconds], Counts: [100] },
      ],
    }),
  );
}

const run = (modelName: string, deploymentId: string, version = 2) =>
  h.runRollout(modelName, deploymentId, { version });

describe('deployment state machine on the ECS backend (synthesized definition, local executor)', () => {
  it('promotes: traffic 5% then 100%, the champion alone on the version after, registry moved', async () => {
    // Prepare: the challenger answers in 20 ms at every step
    const target = targets.tiger;
    const challengerTasks: number[] = [];
    fake.onWeights = (listener, w) => {
      if (listener !== target.listenerArn || !(w[target.targetGroupArns.challenger] > 0)) return;
      challengerTasks.push(fake.services.get(target.services.challenger)!.desiredCount);
      return sendLatency('tiger', 'challenger', 0.02);
    };
    expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('tiger', 'initial') });
    // Act
    const out = await run('tiger', 'dep-tiger-1');
    // Assess: the challenger ran the champion's task count while it had traffic, none after
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(challengerTasks).toEqual([1, 1]);
    expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('tiger', 2) });
    expect(fake.weights(target)).toEqual({ champion: 100, challenger: 0 });
    expect(await h.deps.registry.aliasVersion('tiger', 'champion')).toBe(2);
    expect((await h.registry.getVersion('tiger', 2))?.stage).toBe('Production');
    expect((await h.registry.getVersion('tiger', 1))?.stage).toBe('Archived');
    expect(await h.deps.store.getDeployment('tiger', 'dep-tiger-1')).toMatchObject({
      status: 'PROMOTED',
      weights: { champion: 100, challenger: 0 },
      previousVersion: 1,
    });
    expect(await h.rolloutActions('tiger')).toEqual(expect.arrayContaining(PROMOTION_ACTIONS));
    expect(await h.trafficShifts('tiger')).toEqual([
      { champion: 95, challenger: 5 },
      { champion: 0, challenger: 100 },
    ]);
    // The stack's own revisions stay (CloudFormation's); nothing else is left registered but what runs.
    expect(fake.activeRevisions(target.taskDefinitionFamilies.champion)).toHaveLength(2);
    expect(fake.activeRevisions(target.taskDefinitionFamilies.challenger)).toHaveLength(2);
  });

  it('retires the previous champion revision a rollout made when the next version is promoted', async () => {
    // Prepare: tiger's champion runs version 2 on a revision the first rollout registered
    const target = targets.tiger;
    const [, v2Champion] = fake.activeRevisions(target.taskDefinitionFamilies.champion);
    // Act
    const out = await run('tiger', 'dep-tiger-2', 3);
    // Assess
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('tiger', 3) });
    expect(fake.taskDefinitions.get(v2Champion)?.status).toBe('INACTIVE');
    expect(fake.activeRevisions(target.taskDefinitionFamilies.champion)).toEqual([
      target.initialTaskDefinitionArns.champion,
      expect.stringMatching(/-champion:3$/),
    ]);
    const promoted = (await h.audit('tiger')).find((a) => a.action === 'DeploymentPromoted');
    expect(promoted?.after).toMatchObject({ retiredModel: v2Champion, previousVersion: 2 });
    expect(await h.deps.registry.aliasVersion('tiger', 'champion')).toBe(3);
  });

  it('rolls back on the challenger p95 latency alarm (seconds), leaving registry and alias untouched', async () => {
    // Prepare: 250 ms at p95, above the 0.1 s threshold
    const target = targets.lynx;
    fake.onWeights = (listener, w) =>
      listener === target.listenerArn && w[target.targetGroupArns.challenger] > 0
        ? sendLatency('lynx', 'challenger', 0.25)
        : undefined;
    // Act
    const out = await run('lynx', 'dep-lynx-1');
    // Assess
    const alarm = `${endpointName('dev', 'lynx')}-challenger-latency-p95`;
    expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm });
    expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('lynx', 'initial') });
    expect(fake.weights(target)).toEqual({ champion: 100, challenger: 0 });
    // The challenger revision the rollout registered is deregistered; the stack's stays.
    expect(fake.activeRevisions(target.taskDefinitionFamilies.challenger)).toEqual([
      target.initialTaskDefinitionArns.challenger,
    ]);
    expect(await h.deps.registry.aliasVersion('lynx', 'champion')).toBe(1);
    expect((await h.registry.getVersion('lynx', 2))?.stage).toBe('None');
    const rolledBack = (await h.audit('lynx')).find((a) => a.action === 'DeploymentRolledBack');
    expect(rolledBack?.after).toMatchObject({ alarm, step: 1 });
    const during = await h.rolloutActions('lynx');
    expect(during).not.toContain('ModelAliasSet');
    expect(during).not.toContain('ModelVersionStageChanged');
    expect(await h.deps.store.getDeployment('lynx', 'dep-lynx-1')).toMatchObject({
      status: 'ROLLED_BACK',
      alarm,
      weights: { champion: 100, challenger: 0 },
    });
  });

  it('undoes a rollout whose execution was stopped mid-bake: the challenger service back on its revision, no tasks', async () => {
    // Prepare: the synthesized machine over the local Step Functions API, its end reported to the
    // template's rule; the execution is stopped once the challenger has traffic
    const target = targets.ocelot;
    fake.onWeights = () => undefined;
    const ended: Promise<unknown[]>[] = [];
    const sfn = new LocalStepFunctions(h.template, h.invoke, {
      runOptions: { waitMs: 0, waitTimeOverrides: { Bake: 60_000 } },
      onExecutionEnded: (execution) => ended.push(h.executionEnded(execution)),
    });
    try {
      const { executionArn } = sfn.startExecution({
        stateMachineArn: h.machine.arn,
        name: 'dep-ocelot-1',
        input: JSON.stringify(h.plan('ocelot', 'dep-ocelot-1')),
      });
      while (fake.weights(target).challenger !== 5) await new Promise((r) => setTimeout(r, 10));
      // Act
      sfn.stopExecution({ executionArn, error: 'Stopped', cause: 'stopped by an operator' });
      await sfn.settled();
      // Assess
      expect(await Promise.all(ended)).toEqual([
        [{ recorded: true, modelName: 'ocelot', deploymentId: 'dep-ocelot-1' }],
      ]);
      expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('ocelot', 'initial') });
      expect(fake.weights(target)).toEqual({ champion: 100, challenger: 0 });
      expect(fake.activeRevisions(target.taskDefinitionFamilies.challenger)).toEqual([
        target.initialTaskDefinitionArns.challenger,
      ]);
      expect(await h.deps.store.getDeployment('ocelot', 'dep-ocelot-1')).toMatchObject({
        status: 'FAILED',
        phase: 'DONE',
        reason: 'execution ABORTED (Stopped): stopped by an operator',
      });
      expect(await h.deps.store.lockHolder('ocelot')).toBeUndefined();
      const ends = (await h.audit('ocelot')).filter((a) => a.action === 'DeploymentRolledBack');
      expect(ends).toHaveLength(1);
    } finally {
      await sfn.close();
    }
  });

  it('rolls back when the deployment circuit breaker fails the challenger (ECS rolls the service back)', async () => {
    // Prepare: the version's tasks never pass the health check
    const target = targets.puma;
    fake.failingPackages.add(packageUrl('puma', 2));
    fake.onWeights = () => undefined;
    // Act
    const out = await run('puma', 'dep-puma-1');
    // Assess
    expect(out.outcome?.status).toBe('ROLLED_BACK');
    expect(out.outcome?.reason).toMatch(/failed: ECS deployment circuit breaker: tasks failed to start/);
    expect(await h.rolloutActions('puma')).not.toContain('DeploymentTrafficShifted');
    expect(fake.servicePackages(target)).toEqual({ champion: packageUrl('puma', 'initial') });
    expect(fake.weights(target)).toEqual({ champion: 100, challenger: 0 });
    expect(await h.deps.registry.aliasVersion('puma', 'champion')).toBe(1);
    expect(await h.deps.store.getDeployment('puma', 'dep-puma-1')).toMatchObject({ status: 'ROLLED_BACK' });
  });
});
