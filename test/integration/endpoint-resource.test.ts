/**
 * The endpoint custom resource's onEvent/isComplete, driven as the CloudFormation provider
 * framework drives them (isComplete polled until true), over an in-memory SageMaker with its
 * update semantics and the real rollout lock on DynamoDB Local: a stack update after a rollout
 * keeps the rollout's models and weights; an update waits for a running rollout; an instance type
 * change leaves autoscaling first (SageMaker's rule, enforced by the fake) and rejoins it after;
 * an older stack's challenger kept at rest is dropped, its autoscaling deregistered first;
 * a failed update fails the resource with autoscaling restored; create refuses an endpoint someone
 * else has; delete deletes, autoscaling first.
 */
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { S3ObjectProbe } from '../../lambdas/deployment/adapters/s3-object-probe';
import type { EndpointConfigSpec } from '../../lambdas/deployment/domain/ports';
import {
  type EndpointResourceData,
  type EndpointResourceEvent,
  makeIsComplete,
  makeOnEvent,
} from '../../lambdas/deployment/endpoint-resource';
import { FakeSageMaker } from '../helpers/fake-sagemaker';
import { FakeScaling, TEST_SCALING } from '../helpers/fake-scaling';
import { useStandIns } from '../helpers/stand-ins';

/** SageMaker refuses to change the instance type of a variant registered for autoscaling. */
class ScaledSageMaker extends FakeSageMaker {
  constructor(private readonly autoscaling: FakeScaling) {
    super();
  }
  async updateEndpoint(name: string, config: string): Promise<void> {
    const from = this.configs.get(this.endpoints.get(name)!.config)!;
    const to = this.configs.get(config)!;
    for (const v of to.variants) {
      const was = from.variants.find((f) => f.variantName === v.variantName);
      if (
        this.autoscaling.registered.has(`${name}/${v.variantName}`) &&
        was?.rest.InstanceType !== v.rest.InstanceType
      ) {
        throw new Error(
          `The variant ${v.variantName} is a target for automatic scaling; deregister it first.`,
        );
      }
    }
    return super.updateEndpoint(name, config);
  }
}

const standIns = useStandIns({ tables: true });
let scaling: FakeScaling;
/** The `s3://` packages that exist. */
const uploaded = new Set<string>();
let sagemaker: FakeSageMaker;
let store: DynamoDbDeploymentStore;
let onEvent: ReturnType<typeof makeOnEvent>;
let isComplete: ReturnType<typeof makeIsComplete>;

beforeAll(() => {
  const document = DynamoDBDocumentClient.from(standIns.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true },
  });
  store = new DynamoDbDeploymentStore({
    client: document,
    deploymentsTable: 'Deployments',
    auditTable: 'Audit',
  });
});

beforeEach(() => {
  scaling = new FakeScaling();
  sagemaker = new ScaledSageMaker(scaling);
  sagemaker.scaling = scaling;
  uploaded.clear();
  const deps = {
    endpoints: sagemaker,
    scaling,
    packages: { exists: async (url: string) => uploaded.has(url) },
    locks: store,
    now: () => new Date(),
  };
  onEvent = makeOnEvent(deps);
  isComplete = makeIsComplete(deps);
});

/**
 * A stack config: the champion alone on the stack's initial model, with these settings (with
 * `legacyChallenger`, a challenger at weight 0 as well, as stacks made it before one variant at rest).
 */
function stackConfig(
  model: string,
  name: string,
  capture: number,
  instanceType = 'ml.g5.xlarge',
  legacyChallenger = false,
) {
  const initial = `mlops-${model}-i${name.slice(-8).padStart(8, '0')}`;
  sagemaker.models.set(initial, { dataUrl: `s3://bucket/serving/packages/${model}/initial/model.tar.gz` });
  const config: EndpointConfigSpec = {
    name,
    rest: { DataCaptureConfig: { InitialSamplingPercentage: capture } },
    variants: (legacyChallenger ? ['champion', 'challenger'] : ['champion']).map((variantName) => ({
      variantName,
      modelName: initial,
      weight: variantName === 'champion' ? 100 : 0,
      rest: { InstanceType: instanceType, InitialInstanceCount: 1 },
    })),
  };
  sagemaker.configs.set(name, config);
  return config;
}

/**
 * A rollout's work: v2 is the champion on a config of the rollout's own (the promoted one at rest);
 * given challenger weights, a rollout still baking v3 on a challenger variant (weights in place).
 */
async function rolledOut(
  endpoint: string,
  model: string,
  weights: Record<string, number> = { champion: 100 },
) {
  const base = await sagemaker.describeEndpointConfig(sagemaker.endpoints.get(endpoint)!.config);
  for (const v of [2, 3])
    sagemaker.models.set(`mlops-${model}-v${v}`, {
      dataUrl: `s3://bucket/serving/packages/${model}/${v}/model.tar.gz`,
    });
  const champion = { ...base.variants[0], modelName: `mlops-${model}-v2`, weight: 100 };
  const baking = 'challenger' in weights;
  const config = {
    ...base,
    name: baking ? `mlops-${model}-cdep3` : `mlops-${model}-pdep2`,
    variants: baking
      ? [champion, { ...champion, variantName: 'challenger', modelName: `mlops-${model}-v3`, weight: 0 }]
      : [champion],
  };
  sagemaker.configs.set(config.name, config);
  sagemaker.endpoints.set(endpoint, { status: 'InService', config: config.name, weights });
}

const event = (
  type: EndpointResourceEvent['RequestType'],
  model: string,
  configName: string,
  requestId = `req-${type}-${configName}`,
): EndpointResourceEvent => ({
  RequestType: type,
  RequestId: requestId,
  ...(type === 'Create' ? {} : { PhysicalResourceId: `mlops-${model}` }),
  ResourceProperties: {
    EndpointName: `mlops-${model}`,
    EndpointConfigName: configName,
    ModelName: model,
    Scaling: JSON.stringify(TEST_SCALING),
  },
});

/** onEvent, then isComplete until it says done (as the framework's waiter), at most `polls` times. */
async function deploy(e: EndpointResourceEvent, polls = 20): Promise<EndpointResourceData> {
  const started = await onEvent(e);
  for (let i = 0; i < polls; i++) {
    if ((await isComplete({ ...e, ...started })).IsComplete) return started.Data;
  }
  throw new Error(`not complete after ${polls} polls`);
}

describe('endpoint custom resource', () => {
  it('creates the endpoint on the stack config and reports it once InService', async () => {
    stackConfig('alpha', 'mlops-alpha-i0000000a', 20);
    const data = await deploy(event('Create', 'alpha', 'mlops-alpha-i0000000a'));
    expect(data).toEqual({ EndpointName: 'mlops-alpha', ExpectedConfigName: 'mlops-alpha-i0000000a' });
    expect(sagemaker.endpoints.get('mlops-alpha')).toMatchObject({
      status: 'InService',
      config: 'mlops-alpha-i0000000a',
    });
  });

  it("applies a stack update's settings and keeps the rollout's models and live weights", async () => {
    // Arrange: created, then a rollout made v2 the champion and is baking v2 at 5%... as weights
    stackConfig('beta', 'mlops-beta-i0000000a', 20);
    await deploy(event('Create', 'beta', 'mlops-beta-i0000000a'));
    await rolledOut('mlops-beta', 'beta');
    // Act: the operator raises data capture to 50%
    stackConfig('beta', 'mlops-beta-i0000000b', 50);
    const data = await deploy(event('Update', 'beta', 'mlops-beta-i0000000b'));
    // Assert
    const now = sagemaker.endpoints.get('mlops-beta')!;
    expect(now.config).toBe(data.ExpectedConfigName);
    expect(now.config).toMatch(/^mlops-beta-s[0-9a-f]{8}$/);
    expect(sagemaker.variantModels('mlops-beta')).toEqual({ champion: 'mlops-beta-v2' });
    expect((await sagemaker.describeEndpointConfig(now.config)).rest).toEqual({
      DataCaptureConfig: { InitialSamplingPercentage: 50 },
    });
    expect(now.weights).toEqual({ champion: 100 });
    // The lock is free again: a rollout can start.
    expect(await store.acquireLock('beta', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it('waits for a running rollout to end, then updates (the deploy does not fail on it)', async () => {
    // Arrange: a rollout holds the lock
    stackConfig('gamma', 'mlops-gamma-i0000000a', 20);
    await deploy(event('Create', 'gamma', 'mlops-gamma-i0000000a'));
    await rolledOut('mlops-gamma', 'gamma', { champion: 95, challenger: 5 });
    await store.acquireLock('gamma', 'dep-running', future(), new Date().toISOString());
    stackConfig('gamma', 'mlops-gamma-i0000000b', 50);
    const update = event('Update', 'gamma', 'mlops-gamma-i0000000b');
    // Act 1: the deploy starts and polls while the rollout runs
    const started = await onEvent(update);
    expect(started.Data).toMatchObject({ WaitingForLock: 'true' });
    for (let i = 0; i < 3; i++)
      expect(await isComplete({ ...update, ...started })).toEqual({ IsComplete: false });
    expect(sagemaker.endpoints.get('mlops-gamma')!.config).toBe('mlops-gamma-cdep3');
    // Act 2: the rollout ends (rolled back: v2 the champion alone again)
    await rolledOut('mlops-gamma', 'gamma');
    await store.releaseLock('gamma', 'dep-running');
    let polls = 0;
    while (!(await isComplete({ ...update, ...started })).IsComplete) {
      if (++polls > 20) throw new Error('never completed');
    }
    // Assert
    const config = await sagemaker.describeEndpointConfig(sagemaker.endpoints.get('mlops-gamma')!.config);
    expect(config.rest).toEqual({ DataCaptureConfig: { InitialSamplingPercentage: 50 } });
    expect(sagemaker.variantModels('mlops-gamma')).toEqual({ champion: 'mlops-gamma-v2' });
    expect(await store.acquireLock('gamma', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it('moves to a new instance type: autoscaling off, the update, autoscaling on again', async () => {
    // Arrange
    stackConfig('delta', 'mlops-delta-i0000000a', 20);
    await deploy(event('Create', 'delta', 'mlops-delta-i0000000a'));
    await rolledOut('mlops-delta', 'delta');
    scaling.calls.length = 0;
    // Act
    stackConfig('delta', 'mlops-delta-i0000000b', 20, 'ml.g5.2xlarge');
    await deploy(event('Update', 'delta', 'mlops-delta-i0000000b'));
    // Assert
    const config = await sagemaker.describeEndpointConfig(sagemaker.endpoints.get('mlops-delta')!.config);
    expect(config.variants.map((v) => [v.modelName, v.rest.InstanceType])).toEqual([
      ['mlops-delta-v2', 'ml.g5.2xlarge'],
    ]);
    expect(scaling.calls).toEqual([
      'remove mlops-delta/champion',
      'remove mlops-delta/challenger',
      'apply mlops-delta/champion',
    ]);
    expect(await store.acquireLock('delta', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it("drops an older stack's challenger kept at rest: its autoscaling first, then the update", async () => {
    // Arrange: an endpoint made before one variant at rest, both variants scaled, v2 on both
    stackConfig('kappa', 'mlops-kappa-i0000000a', 20, 'ml.g5.xlarge', true);
    await deploy(event('Create', 'kappa', 'mlops-kappa-i0000000a'));
    expect(scaling.registered.has('mlops-kappa/challenger')).toBe(true);
    // Act: the stack's config now has the champion alone
    stackConfig('kappa', 'mlops-kappa-i0000000b', 20);
    await deploy(event('Update', 'kappa', 'mlops-kappa-i0000000b'));
    // Assert: one variant (one GPU fleet) left, only it scaled
    expect(sagemaker.variantModels('mlops-kappa')).toEqual({ champion: 'mlops-kappa-i0000000b' });
    expect(sagemaker.endpoints.get('mlops-kappa')!.weights).toEqual({ champion: 100 });
    expect([...scaling.registered.keys()]).toEqual(['mlops-kappa/champion']);
  });

  it('without deregistering first, SageMaker refuses that update (the rule the resource follows)', async () => {
    stackConfig('theta', 'mlops-theta-i0000000a', 20);
    await deploy(event('Create', 'theta', 'mlops-theta-i0000000a'));
    stackConfig('theta', 'mlops-theta-i0000000b', 20, 'ml.g5.2xlarge');
    await expect(sagemaker.updateEndpoint('mlops-theta', 'mlops-theta-i0000000b')).rejects.toThrow(
      /target for automatic scaling/,
    );
  });

  it('fails the resource when SageMaker rolls the update back, naming the reason', async () => {
    stackConfig('eps', 'mlops-eps-i0000000a', 20);
    await deploy(event('Create', 'eps', 'mlops-eps-i0000000a'));
    stackConfig('eps', 'mlops-eps-i0000000b', 50);
    // The new initial model (the endpoint never rolled out, so it moves to it) fails its health check.
    sagemaker.failingModels.add('mlops-eps-i0000000b');
    await expect(deploy(event('Update', 'eps', 'mlops-eps-i0000000b'))).rejects.toThrow(
      /update to mlops-eps-i0000000b did not take: model mlops-eps-i0000000b failed its health check/,
    );
    expect(sagemaker.endpoints.get('mlops-eps')!.config).toBe('mlops-eps-i0000000a');
    expect(scaling.registered.has('mlops-eps/champion')).toBe(true);
    expect(await store.acquireLock('eps', 'dep-next', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
  });

  it('leaves the endpoint to the first rollout while the initial package is missing, creates it once it is there', async () => {
    // Arrange: the first deploy (the stack's bucket is new: nothing could be uploaded before it)
    stackConfig('iota', 'mlops-iota-i0000000a', 20);
    const packageUrl = 's3://artifacts/serving/packages/iota/initial/model.tar.gz';
    const withPackage = (e: EndpointResourceEvent): EndpointResourceEvent => ({
      ...e,
      ResourceProperties: { ...e.ResourceProperties, InitialPackageUrl: packageUrl },
    });
    // Act 1
    await deploy(withPackage(event('Create', 'iota', 'mlops-iota-i0000000a')));
    // Assess 1: no endpoint, no GPU paid for, no autoscaling; the lock is free for the first rollout
    expect(sagemaker.endpoints.has('mlops-iota')).toBe(false);
    expect(scaling.registered.size).toBe(0);
    expect(await store.acquireLock('iota', 'dep-first', future(), new Date().toISOString())).toEqual({
      acquired: true,
    });
    await store.releaseLock('iota', 'dep-first');
    // Act 2: the operator uploads an initial package, and a later deploy changes a setting
    uploaded.add(packageUrl);
    stackConfig('iota', 'mlops-iota-i0000000b', 50);
    await deploy(withPackage(event('Update', 'iota', 'mlops-iota-i0000000b')));
    // Assess 2
    expect(sagemaker.endpoints.get('mlops-iota')).toMatchObject({
      status: 'InService',
      config: 'mlops-iota-i0000000b',
    });
    expect([...scaling.registered.keys()]).toEqual(['mlops-iota/champion']);
  });

  it('fails the deploy, naming the package to upload, when no rollout would create the endpoint (an LLM endpoint)', async () => {
    // Arrange: an LMI endpoint's first deploy before its artifact was uploaded
    stackConfig('kappa', 'mlops-kappa-i0000000a', 20);
    const packageUrl = 's3://artifacts/artifacts/llm/kappa/model.tar.gz';
    const create = event('Create', 'kappa', 'mlops-kappa-i0000000a');
    const required: EndpointResourceEvent = {
      ...create,
      ResourceProperties: {
        ...create.ResourceProperties,
        InitialPackageUrl: packageUrl,
        InitialPackageRequired: 'true',
      },
    };
    // Act + Assess: refused, nothing created
    await expect(onEvent(required)).rejects.toThrow(
      `endpoint mlops-kappa serves ${packageUrl}, which does not exist: upload it, then deploy again`,
    );
    expect(sagemaker.endpoints.has('mlops-kappa')).toBe(false);
    // Act 2: once uploaded, the same deploy creates it
    uploaded.add(packageUrl);
    await deploy(required);
    expect(sagemaker.endpoints.get('mlops-kappa')).toMatchObject({ status: 'InService' });
  });

  it('probes the initial package with HeadObject on S3: present, missing, or not an s3:// URL', async () => {
    await standIns.s3.send(new CreateBucketCommand({ Bucket: 'probe-artifacts' }));
    await standIns.s3.send(
      new PutObjectCommand({
        Bucket: 'probe-artifacts',
        Key: 'serving/packages/x/initial/model.tar.gz',
        Body: 'tar',
      }),
    );
    const probe = new S3ObjectProbe(standIns.s3);
    await expect(probe.exists('s3://probe-artifacts/serving/packages/x/initial/model.tar.gz')).resolves.toBe(
      true,
    );
    await expect(probe.exists('s3://probe-artifacts/serving/packages/y/initial/model.tar.gz')).resolves.toBe(
      false,
    );
    await expect(probe.exists('https://example.com/model.tar.gz')).rejects.toThrow('not an s3:// URL');
  });

  it("refuses to create over an endpoint that exists (another stack's), leaving it alone", async () => {
    stackConfig('zeta', 'mlops-zeta-i0000000a', 20);
    sagemaker.seed('mlops-zeta', 'someone-elses-model', 'someone-elses-config');
    await expect(onEvent(event('Create', 'zeta', 'mlops-zeta-i0000000a'))).rejects.toThrow(
      'endpoint mlops-zeta already exists: another stack in this account and Region serves zeta',
    );
    expect(sagemaker.variantModels('mlops-zeta').champion).toBe('someone-elses-model');
  });

  it('deletes the endpoint on delete, and a missing one is fine', async () => {
    stackConfig('eta', 'mlops-eta-i0000000a', 20);
    await deploy(event('Create', 'eta', 'mlops-eta-i0000000a'));
    await deploy(event('Delete', 'eta', 'mlops-eta-i0000000a'));
    expect(sagemaker.endpoints.has('mlops-eta')).toBe(false);
    expect(scaling.registered.size).toBe(0);
    await deploy(event('Delete', 'eta', 'mlops-eta-i0000000a'));
  });
});

function future(): string {
  return new Date(Date.now() + 3_600_000).toISOString();
}
