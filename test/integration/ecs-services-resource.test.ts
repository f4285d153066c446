/**
 * The ECS services custom resource's onEvent/isComplete, driven as the CloudFormation provider
 * framework drives them (isComplete polled until true), over the real ECS adapter on an in-memory
 * ECS (test/helpers/fake-ecs.ts) and the real rollout lock on DynamoDB Local; the same cases as the
 * SageMaker endpoint resource: created on the stack's task definitions (the champion only once its
 * package exists: the first deploy is one step); a stack update after a rollout keeps the rollout's
 * package (never back on the initial one) and the autoscaled count; a service still on the initial
 * package moves to the new task definition; an update waits for a running rollout; a failed
 * deployment fails the resource; services someone else has are refused; delete deletes.
 */
import { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EcsServicesResourceProperties, PerVariant } from '../../contracts/deployment';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { EcsServiceControl } from '../../lambdas/deployment/adapters/ecs-services';
import {
  type EcsServicesResourceData,
  type EcsServicesResourceEvent,
  makeIsComplete,
  makeOnEvent,
  parseEcsServicesProperties,
} from '../../lambdas/deployment/ecs-services-resource';
import { FakeEcs, taskDefinitionInput } from '../helpers/fake-ecs';
import { FakeScaling, TEST_SCALING } from '../helpers/fake-scaling';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
const uploaded = new Set<string>();
let fake: FakeEcs;
let scaling: FakeScaling;
let store: DynamoDbDeploymentStore;
let onEvent: ReturnType<typeof makeOnEvent>;
let isComplete: ReturnType<typeof makeIsComplete>;

beforeAll(() => {
  store = new DynamoDbDeploymentStore({
    client: DynamoDBDocumentClient.from(standIns.dynamoDb, {
      marshallOptions: { removeUndefinedValues: true },
    }),
    deploymentsTable: 'Deployments',
    auditTable: 'Audit',
  });
});

beforeEach(() => {
  fake = new FakeEcs();
  scaling = new FakeScaling();
  uploaded.clear();
  const deps = {
    services: (settings: ReturnType<typeof parseEcsServicesProperties>) =>
      new EcsServiceControl(fake.ecs, fake.elb, settings.target),
    scaling: () => scaling,
    packages: { exists: async (url: string) => uploaded.has(url) },
    locks: store,
    now: () => new Date(),
  };
  onEvent = makeOnEvent(deps);
  isComplete = makeIsComplete(deps);
});

const initialUrl = (model: string) => `s3://artifacts/serving/packages/${model}/initial/model.tar.gz`;
const versionUrl = (model: string, v: number) => `s3://artifacts/serving/packages/${model}/${v}/model.tar.gz`;

/** Registers the stack's task definitions (a new revision of each family per call, as CloudFormation). */
async function stackTaskDefinitions(model: string, image = 'triton:24.09-py3'): Promise<PerVariant<string>> {
  const register = async (variant: string) => {
    const input = taskDefinitionInput(`${model}-${variant}`, initialUrl(model));
    input.containerDefinitions[1].image = image;
    const out = await fake.ecs.send(new RegisterTaskDefinitionCommand(input));
    return out.taskDefinition!.taskDefinitionArn!;
  };
  return { champion: await register('champion'), challenger: await register('challenger') };
}

const spec = (model: string, variant: string) => ({
  serviceName: `${model}-${variant}`,
  loadBalancers: [
    { targetGroupArn: `arn:tg/${model}-${variant}`, containerName: 'Triton', containerPort: 8080 },
  ],
  networkConfiguration: {
    awsvpcConfiguration: {
      subnets: ['subnet-1'],
      securityGroups: ['sg-1'],
      assignPublicIp: 'DISABLED' as const,
    },
  },
  capacityProviderStrategy: [{ capacityProvider: `${model}-gpu`, weight: 1 }],
  healthCheckGracePeriodSeconds: 300,
});

const properties = (model: string, taskDefinitions: PerVariant<string>): EcsServicesResourceProperties => ({
  ModelName: model,
  Cluster: `${model}-cluster`,
  Services: JSON.stringify({ champion: spec(model, 'champion'), challenger: spec(model, 'challenger') }),
  TaskDefinitions: JSON.stringify(taskDefinitions),
  InitialPackageUrl: initialUrl(model),
  InitialCount: '2',
  Scaling: JSON.stringify({
    settings: TEST_SCALING,
    resourceLabels: {
      champion: `app/lb/1/targetgroup/${model}-c/1`,
      challenger: `app/lb/1/targetgroup/${model}-h/1`,
    },
  }),
});

const event = (
  type: EcsServicesResourceEvent['RequestType'],
  props: EcsServicesResourceProperties,
  old?: EcsServicesResourceProperties,
): EcsServicesResourceEvent => ({
  RequestType: type,
  RequestId: `req-${type}-${props.TaskDefinitions.length}-${Math.random()}`,
  ...(type === 'Create' ? {} : { PhysicalResourceId: `${props.Cluster}/${props.ModelName}` }),
  ResourceProperties: props,
  ...(old ? { OldResourceProperties: old } : {}),
});

/** onEvent, then isComplete until it says done, at most `polls` times. */
async function deploy(e: EcsServicesResourceEvent, polls = 20): Promise<EcsServicesResourceData> {
  const started = await onEvent(e);
  for (let i = 0; i < polls; i++) {
    if ((await isComplete({ ...e, ...started })).IsComplete) return started.Data;
  }
  throw new Error(`not complete after ${polls} polls`);
}

const service = (model: string, variant: string) => fake.services.get(`${model}-${variant}`)!;
const primary = (model: string, variant: string) =>
  service(model, variant).deployments.find((d) => d.status === 'PRIMARY')!.taskDefinition;

/** A rollout's work: the champion on a revision of its own loading version 2, steady. */
async function rolledOut(model: string): Promise<string> {
  const control = new EcsServiceControl(
    fake.ecs,
    fake.elb,
    parseEcsServicesProperties(properties(model, await stackTaskDefinitionsOf(model))).target,
  );
  const revision = await control.registerTaskDefinitionLike(primary(model, 'champion'), versionUrl(model, 2));
  await control.updateService('champion', revision);
  for (let i = 0; i < 5; i++) await control.describeService('champion');
  return revision;
}

const stackTaskDefinitionsOf = async (model: string): Promise<PerVariant<string>> => ({
  champion: primary(model, 'champion'),
  challenger: primary(model, 'challenger'),
});

const future = () => new Date(Date.now() + 3_600_000).toISOString();

describe('ECS services custom resource', () => {
  it('creates both services on the stack task definitions: the champion with its tasks, the challenger with none', async () => {
    // Arrange
    uploaded.add(initialUrl('alpha'));
    const tds = await stackTaskDefinitions('alpha');
    // Act
    await deploy(event('Create', properties('alpha', tds)));
    // Assert
    expect(primary('alpha', 'champion')).toBe(tds.champion);
    expect(service('alpha', 'champion').desiredCount).toBe(2);
    expect(service('alpha', 'challenger').desiredCount).toBe(0);
    expect(fake.serviceCalls[0]).toMatchObject({
      call: 'CreateService',
      serviceName: 'alpha-champion',
      loadBalancers: [
        { targetGroupArn: 'arn:tg/alpha-champion', containerName: 'Triton', containerPort: 8080 },
      ],
      deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    });
    // Only the service that runs tasks is a scalable target.
    expect([...scaling.registered.keys()]).toEqual(['alpha-cluster/champion']);
  });

  it('runs no task while the initial package is missing (the first deploy is one step), starts the champion once it is there', async () => {
    // Act 1: the first deploy, nothing uploaded (the bucket is the stack's own)
    const first = properties('iota', await stackTaskDefinitions('iota'));
    await deploy(event('Create', first));
    // Assess 1: both services at 0 tasks, no autoscaling to start any; the lock is free
    expect(service('iota', 'champion').desiredCount).toBe(0);
    expect(service('iota', 'challenger').desiredCount).toBe(0);
    expect(scaling.registered.size).toBe(0);
    expect(await store.acquireLock('iota', 'dep-first', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
    await store.releaseLock('iota', 'dep-first');
    // Act 2: the operator uploads the initial package; a later deploy changes a setting
    uploaded.add(initialUrl('iota'));
    const second = properties('iota', await stackTaskDefinitions('iota', 'triton:24.10-py3'));
    await deploy(event('Update', second, first));
    // Assess 2
    expect(service('iota', 'champion').desiredCount).toBe(2);
    expect(primary('iota', 'champion')).toBe(JSON.parse(second.TaskDefinitions).champion);
    expect([...scaling.registered.keys()]).toEqual(['iota-cluster/champion']);
  });

  it("keeps a rollout's package through a stack update: a revision like the new task definition, the tasks autoscaling set", async () => {
    // Arrange: created, a rollout made version 2 the champion, autoscaling scaled it to 3 tasks
    uploaded.add(initialUrl('beta'));
    const first = properties('beta', await stackTaskDefinitions('beta'));
    await deploy(event('Create', first));
    await rolledOut('beta');
    service('beta', 'champion').desiredCount = 3;
    // Act: the operator upgrades Triton (a new revision of each stack task definition)
    const second = properties('beta', await stackTaskDefinitions('beta', 'triton:24.10-py3'));
    await deploy(event('Update', second, first));
    // Assert: the champion runs version 2 on the new image, still 3 tasks
    const champion = fake.taskDefinitions.get(primary('beta', 'champion'))!;
    expect(fake.modelDataUrl(champion.taskDefinitionArn!)).toBe(versionUrl('beta', 2));
    expect(champion.containerDefinitions![1].image).toBe('triton:24.10-py3');
    expect(service('beta', 'champion').desiredCount).toBe(3);
    // The challenger, still on the initial package, moves to the new stack task definition, at rest.
    expect(primary('beta', 'challenger')).toBe(JSON.parse(second.TaskDefinitions).challenger);
    expect(service('beta', 'challenger').desiredCount).toBe(0);
    expect(await store.acquireLock('beta', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it('a retried update registers no second revision and sends no second deployment', async () => {
    uploaded.add(initialUrl('kappa'));
    const first = properties('kappa', await stackTaskDefinitions('kappa'));
    await deploy(event('Create', first));
    await rolledOut('kappa');
    const second = properties('kappa', await stackTaskDefinitions('kappa', 'triton:24.10-py3'));
    const update = event('Update', second, first);
    await deploy(update);
    const revisions = fake.activeRevisions('kappa-champion').length;
    const calls = fake.serviceCalls.length;
    await deploy({ ...update, RequestId: 'req-retry' });
    expect(fake.activeRevisions('kappa-champion')).toHaveLength(revisions);
    expect(fake.serviceCalls).toHaveLength(calls);
  });

  it('waits for a running rollout to end, then updates (the deploy does not fail on it)', async () => {
    // Arrange: a rollout holds the lock
    uploaded.add(initialUrl('gamma'));
    const first = properties('gamma', await stackTaskDefinitions('gamma'));
    await deploy(event('Create', first));
    await store.acquireLock('gamma', 'dep-running', future(), new Date().toISOString());
    const second = properties('gamma', await stackTaskDefinitions('gamma', 'triton:24.10-py3'));
    const update = event('Update', second, first);
    // Act 1: the deploy starts and polls while the rollout runs
    const started = await onEvent(update);
    expect(started.Data).toMatchObject({ WaitingForLock: 'true' });
    for (let i = 0; i < 3; i++)
      expect(await isComplete({ ...update, ...started })).toEqual({ IsComplete: false });
    expect(primary('gamma', 'champion')).toBe(JSON.parse(first.TaskDefinitions).champion);
    // Act 2: the rollout ends
    await store.releaseLock('gamma', 'dep-running');
    let polls = 0;
    while (!(await isComplete({ ...update, ...started })).IsComplete) {
      if (++polls > 20) throw new Error('never completed');
    }
    // Assert
    expect(primary('gamma', 'champion')).toBe(JSON.parse(second.TaskDefinitions).champion);
    expect(await store.acquireLock('gamma', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it('fails the resource when the circuit breaker fails the deployment, naming the reason', async () => {
    uploaded.add(initialUrl('eps'));
    const first = properties('eps', await stackTaskDefinitions('eps'));
    await deploy(event('Create', first));
    await rolledOut('eps');
    fake.failingPackages.add(versionUrl('eps', 2));
    const second = properties('eps', await stackTaskDefinitions('eps', 'triton:24.10-py3'));
    await expect(deploy(event('Update', second, first))).rejects.toThrow(
      /services of eps: deployment of .* failed: ECS deployment circuit breaker/,
    );
    expect(fake.modelDataUrl(primary('eps', 'champion'))).toBe(versionUrl('eps', 2));
    expect(await store.acquireLock('eps', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it("refuses to create over services that exist (another stack's), leaving them alone", async () => {
    const target = fake.seed('zeta', 's3://someone/else.tar.gz');
    const props = properties('zeta', target.initialTaskDefinitionArns);
    await expect(onEvent(event('Create', props))).rejects.toThrow(
      'service(s) zeta-champion, zeta-challenger already exist in zeta-cluster: another stack serves zeta',
    );
    expect(fake.servicePackages(target)).toEqual({ champion: 's3://someone/else.tar.gz' });
  });

  it('deletes both services on delete, autoscaling first, and a missing one is fine', async () => {
    uploaded.add(initialUrl('eta'));
    const props = properties('eta', await stackTaskDefinitions('eta'));
    await deploy(event('Create', props));
    await deploy(event('Delete', props));
    expect(service('eta', 'champion').status).toBe('INACTIVE');
    expect(service('eta', 'challenger').status).toBe('INACTIVE');
    expect(scaling.registered.size).toBe(0);
    await deploy(event('Delete', props));
  });
});
