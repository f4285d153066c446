/**
 * The rollout end to end on the local stand-ins: the synthesized state machine drives the local
 * SageMaker through the real SDK adapter (model servers running the trained reference model),
 * the local SageMaker sends per-variant metrics to the local CloudWatch, and the template's alarms
 * decide. A first rollout creates the endpoint; a healthy version is promoted; a version whose
 * model answers in 1.5 s is rolled back on the p95 latency alarm (a 1 s threshold).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateModelCommand, DescribeModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ApprovalPolicy } from '../../contracts/approvals';
import { watchedAlarmNames } from '../../contracts/deployment';
import { endpointName, LocalModelFault, modelPackageKey, sagemakerModelName } from '../../contracts/serving';
import { deploymentKeys, EXPERIMENTS_TABLE } from '../../contracts/tables';
import { S3ModelPackages } from '../../lambdas/deployment/adapters/s3-model-packages';
import { SageMakerEndpointControl } from '../../lambdas/deployment/adapters/sagemaker-endpoint';
import { requireRolloutPossible, startDeployment } from '../../lambdas/deployment/domain/api';
import { EndpointChallenger } from '../../lambdas/deployment/domain/endpoint-challenger';
import { planRollout } from '../../lambdas/deployment/domain/rollout';
import type { RolloutState } from '../../lambdas/deployment/domain/state';
import { fixedTargets } from '../../lambdas/deployment/domain/targets';
import { DynamoDbEndpointControl } from '../../lambdas/experiments/adapters/dynamodb-endpoint-control';
import { DynamoDbExperimentStore } from '../../lambdas/experiments/adapters/dynamodb-experiment-store';
import { evaluateRunningExperiments } from '../../lambdas/experiments/domain/guardrails';
import type { ExperimentsDeps } from '../../lambdas/experiments/domain/ports';
import { makeHandler } from '../../lambdas/experiments/handler';
import type { PlatformError } from '../../lambdas/shared/errors';
import { type LocalSageMaker, startLocalSageMaker } from '../../local/sagemaker/server';
import { registerTemplateSageMakerResources } from '../../local/sagemaker-resources';
import {
  type DeploymentHarness,
  PERMISSIVE_GOVERNANCE,
  startDeploymentHarness,
} from '../helpers/deployment-harness';
import { type HttpCall, httpCaller } from '../helpers/http-call';
import { ALICE, testRegistry } from '../helpers/registry-harness';
import { readHoldout, trainReferenceModel } from '../helpers/serving';
import { useStandIns } from '../helpers/stand-ins';

const BUCKET = 'test-artifacts';
const MODEL = 'canary';
const ENDPOINT = endpointName('dev', MODEL);
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const standIns = useStandIns({ tables: true, buckets: [BUCKET] });
let dataDir: string;
let sagemaker: LocalSageMaker;
let control: SageMakerClient;
let runtime: SageMakerRuntimeClient;
let h: DeploymentHarness;

const payload = JSON.stringify({
  inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: readHoldout().rows[0] }],
});

/** The SDK adapter, plus traffic after each weight change: 10 requests to the challenger, 10 by weight. */
class WithTraffic extends SageMakerEndpointControl {
  override async setWeights(name: string, weights: Record<string, number>): Promise<void> {
    await super.setWeights(name, weights);
    if ((weights.challenger ?? 0) === 0) return;
    for (let i = 0; i < 20; i++) {
      await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: name,
          ContentType: 'application/json',
          Body: payload,
          ...(i < 10 ? { TargetVariant: 'challenger' } : {}),
        }),
      );
    }
    // The metrics reach the local CloudWatch before the next alarm read.
    await sagemaker.metrics.flush();
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlops-rollout-'));
  const { onnx } = await trainReferenceModel();
  let cloudWatchUrl: string | undefined;
  sagemaker = await startLocalSageMaker({
    s3: standIns.s3,
    dataDir,
    seed: 7,
    flushIntervalMs: 60_000,
    cloudWatchEndpoint: () => cloudWatchUrl,
  });
  control = new SageMakerClient({ endpoint: sagemaker.url, region: 'us-east-1', credentials });
  runtime = new SageMakerRuntimeClient({ endpoint: sagemaker.url, region: 'us-east-1', credentials });
  h = await startDeploymentHarness({
    // No capture: its S3 writes would outlive the S3 stand-in at teardown.
    // A 1 s latency alarm against a 1.5 s fault: a healthy version on a loaded 2-core machine answered
    // in 280 ms, past the 100 ms default, and was rolled back.
    models: [
      {
        modelName: MODEL,
        canarySteps: [5, 100],
        bakeMinutes: 1,
        dataCapturePercent: 0,
        latencyThresholdMicroseconds: 1_000_000,
      },
    ],
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3,
    endpoints: new WithTraffic(control),
    bucket: BUCKET,
    packages: new S3ModelPackages(standIns.s3, BUCKET),
  });
  cloudWatchUrl = h.cloudWatchUrl;
  await registerTemplateSageMakerResources(h.template, control, { bucket: BUCKET });
  // Every version is the trained model, registered through the registry; the rollout packages it.
  await h.seedModel(MODEL, 3, () => onnx);
}, 180_000);

afterAll(async () => {
  await sagemaker?.stop();
  await h?.close();
  control?.destroy();
  runtime?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

const run = async (version: number, deploymentId: string) => {
  const input = planRollout({
    deploymentId,
    modelName: MODEL,
    version,
    target: {
      endpointName: ENDPOINT,
      backend: 'sagemaker',
      canarySteps: [5, 100],
      bakeMinutes: 0,
      alarmCheckSeconds: 60,
      alarmNames: watchedAlarmNames(ENDPOINT),
      initialEndpointConfigName: Object.values(h.template.Resources).find(
        (r) => r.Type === 'AWS::SageMaker::EndpointConfig',
      )?.Properties?.EndpointConfigName as string,
    },
    requestedBy: 'arn:aws:iam::123456789012:user/alice',
  });
  // Endpoint polls wait a little (model servers boot); bakes do not wait at all.
  const poll = 200;
  return (await h.machine.run(
    { ...input, version },
    {
      waitMs: 0,
      waitTimeOverrides: {
        WaitForChallenger: poll,
        WaitForPromotion: poll,
        WaitForSettle: poll,
        WaitForRestore: poll,
      },
    },
  )) as RolloutState;
};

/** Version `version`'s SageMaker model made ahead, answering 1.5 s late (the local model server's fault). */
async function slowModel(version: number): Promise<void> {
  const endpoints = new SageMakerEndpointControl(control);
  const serving = await endpoints.describeEndpoint(ENDPOINT);
  const config = await endpoints.describeEndpointConfig(serving!.endpointConfigName);
  const champion = config.variants.find((v) => v.variantName === 'champion')!.modelName;
  const v2 = await control.send(new DescribeModelCommand({ ModelName: champion }));
  await control.send(
    new CreateModelCommand({
      ModelName: sagemakerModelName(endpointName('dev', MODEL), version),
      ExecutionRoleArn: v2.ExecutionRoleArn,
      PrimaryContainer: {
        ...v2.PrimaryContainer,
        ModelDataUrl: `s3://${BUCKET}/${modelPackageKey(MODEL, version)}`,
        Environment: { ...v2.PrimaryContainer?.Environment, [LocalModelFault.extraLatencyMs]: '1500' },
      },
    }),
  );
}

describe('rollout on the local SageMaker and CloudWatch', () => {
  it('creates the endpoint on the first rollout and promotes a healthy second version', async () => {
    expect((await run(1, 'dep-local-1')).outcome).toEqual({ status: 'PROMOTED' });
    const out = await run(2, 'dep-local-2');
    expect(out.outcome).toEqual({ status: 'PROMOTED' });
    expect(await h.deps.registry.aliasVersion(MODEL, 'champion')).toBe(2);
    const answered = await runtime.send(
      new InvokeEndpointCommand({ EndpointName: ENDPOINT, ContentType: 'application/json', Body: payload }),
    );
    expect(answered.InvokedProductionVariant).toBe('champion');
  });

  it('rolls back a version that answers in 1.5 s on the challenger p95 latency alarm', async () => {
    // Prepare: the version's SageMaker model exists already, with the local model server's fault
    await slowModel(3);
    // Act
    const out = await run(3, 'dep-local-3');
    // Assess
    expect(out.outcome).toMatchObject({ status: 'ROLLED_BACK', alarm: `${ENDPOINT}-challenger-latency-p95` });
    expect(await h.deps.registry.aliasVersion(MODEL, 'champion')).toBe(2);
    const after = await new SageMakerEndpointControl(control).describeEndpoint(ENDPOINT);
    // Back to the champion alone: the challenger variant (and its model server) is gone.
    expect(after).toMatchObject({ status: 'InService', weights: { champion: 100 } });
    expect(Object.keys(after!.weights)).toEqual(['champion']);
  });
});

describe('an experiment on the local SageMaker and CloudWatch', () => {
  const target = () => ({
    endpointName: ENDPOINT,
    backend: 'sagemaker' as const,
    canarySteps: [5, 100],
    bakeMinutes: 0,
    alarmCheckSeconds: 60,
    alarmNames: watchedAlarmNames(ENDPOINT),
  });
  let deps: ExperimentsDeps;
  let call: HttpCall;
  /** The champion the rollouts above left (2, unless a loaded machine rolled it back). */
  let champion: number;
  const definition = (name: string, treatment: number) => ({
    name,
    modelName: MODEL,
    arms: [
      { name: 'control', version: champion, trafficPercent: 70 },
      { name: 'treatment', version: treatment, trafficPercent: 30 },
    ],
    control: 'control',
    primaryMetric: { name: 'converted', kind: 'proportion', betterDirection: 'higher', baselineRate: 0.1 },
    minimumDetectableEffect: 0.2,
  });
  const lockOf = async () =>
    (
      await standIns.dynamoDb.send(
        new GetCommand({ TableName: 'Deployments', Key: deploymentKeys.lock(MODEL) }),
      )
    ).Item;

  beforeAll(async () => {
    champion = (await h.deps.registry.aliasVersion(MODEL, 'champion'))!;
    const challenger = new EndpointChallenger({
      targets: fixedTargets({ [MODEL]: target() }),
      backends: h.deps.backends,
      packages: h.deps.packages,
      registry: h.deps.registry,
      alarms: h.deps.alarms,
    });
    deps = {
      store: new DynamoDbExperimentStore({
        client: standIns.dynamoDb,
        table: EXPERIMENTS_TABLE.id,
        auditTable: 'Audit',
      }),
      endpoints: new DynamoDbEndpointControl({
        // The options every document client of this client shares: `from` replaces them for all.
        client: DynamoDBDocumentClient.from(standIns.dynamoDb, {
          marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
        }),
        deploymentsTable: 'Deployments',
        envName: 'dev',
      }),
      versions: { exists: async (m, v) => (await h.registry.getVersion(m, v)) !== undefined },
      variants: challenger,
      alarms: { firing: (m) => challenger.firingAlarm(m) },
      promoter: {
        check: (m, v) =>
          requireRolloutPossible(
            { targets: fixedTargets({ [MODEL]: target() }), registry: h.registry },
            m,
            v,
          ).then(() => undefined),
        // The synthesized rollout state machine, to its end.
        promote: async (_m, v) => {
          await run(v, 'dep-local-winner');
          return { deploymentId: 'dep-local-winner' };
        },
        // The model asks for no sign-off (the approval path is test/integration/experiment-approvals.test.ts).
        requestApproval: async () => undefined,
        approval: async () => undefined,
        promoteApproved: async () => undefined,
      },
      settleWithinMs: 60_000,
      now: () => new Date(),
      newId: randomUUID,
      newSalt: () => randomUUID().replace(/-/g, ''),
    };
    call = httpCaller(makeHandler(deps), { functionName: 'experiments' });
  });

  it('adds the treatment as the challenger variant, refuses a rollout meanwhile, and stops on its latency alarm with the variant removed', async () => {
    // Prepare
    await slowModel(3);
    await call('POST', '/experiments', definition('slow-treatment', 3));

    // Act: start, a rollout while it runs, traffic on the treatment, the schedule
    const started = await call('POST', '/experiments/slow-treatment/start');
    const during = await new SageMakerEndpointControl(control).describeEndpoint(ENDPOINT);
    const rollout = await startDeployment(
      {
        targets: fixedTargets({ [MODEL]: target() }),
        store: h.deps.store,
        registry: {
          requirePromotable: async () => undefined,
          requestApproval: async () => undefined,
          getApproval: async () => undefined,
          recordStartFailure: () => Promise.reject(new Error('no approval here')),
        },
        executions: { start: async () => 'arn', arnOf: () => 'arn', describe: async () => undefined },
        now: () => new Date(),
        newId: randomUUID,
      },
      { principal: 'alice' },
      MODEL,
      { version: 1 },
    ).catch((err: PlatformError) => err);
    for (let i = 0; i < 10; i++)
      await runtime.send(
        new InvokeEndpointCommand({
          EndpointName: ENDPOINT,
          ContentType: 'application/json',
          Body: payload,
          TargetVariant: 'challenger',
        }),
      );
    await sagemaker.metrics.flush();
    const evaluated = await evaluateRunningExperiments(deps);

    // Assess
    expect(started.body).toMatchObject({
      status: 'RUNNING',
      treatmentVariant: { phase: 'SERVING', version: 3 },
    });
    expect(during?.weights).toEqual({ champion: 70, challenger: 30 });
    expect(rollout).toMatchObject({ code: 'EXPERIMENT_IN_PROGRESS' });
    expect((rollout as PlatformError).message).toContain('experiment slow-treatment is running');
    expect(evaluated.find((o) => o.name === 'slow-treatment')?.reason).toContain(
      `alarm ${ENDPOINT}-challenger-latency-p95 of the treatment variant is in ALARM`,
    );
    const after = (await call('GET', '/experiments/slow-treatment')).body;
    expect(after).toMatchObject({ status: 'STOPPED', treatmentVariant: { phase: 'REMOVED' } });
    const endpoint = await new SageMakerEndpointControl(control).describeEndpoint(ENDPOINT);
    expect(Object.keys(endpoint!.weights)).toEqual(['champion']);
    expect(await lockOf()).toBeUndefined();
  });

  it('concludes with the treatment: refused while sign-off is missing, then promoted through the rollout', async () => {
    // Prepare: another version of the trained model against the champion
    const healthy = champion === 1 ? 2 : 1;
    await call('POST', '/experiments', definition('healthy-treatment', healthy));
    await call('POST', '/experiments/healthy-treatment/start');
    const gated: ExperimentsDeps = {
      ...deps,
      promoter: {
        ...deps.promoter!,
        check: (m, v) =>
          requireRolloutPossible(
            {
              targets: fixedTargets({ [MODEL]: target() }),
              registry: testRegistry({
                dynamoDb: standIns.dynamoDb,
                s3: standIns.s3,
                bucket: BUCKET,
                policy: { ...PERMISSIVE_GOVERNANCE, approval: ApprovalPolicy.parse({ approvers: [ALICE] }) },
              }),
            },
            m,
            v,
          ).then(() => undefined),
      },
    };

    // Act
    const refused = await httpCaller(makeHandler(gated), { functionName: 'experiments' })(
      'POST',
      '/experiments/healthy-treatment/conclude',
      { winner: 'treatment' },
    );
    const stillRunning = (await call('GET', '/experiments/healthy-treatment')).body;
    const concluded = await call('POST', '/experiments/healthy-treatment/conclude', { winner: 'treatment' });

    // Assess
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('APPROVAL_REQUIRED');
    expect(stillRunning).toMatchObject({ status: 'RUNNING', treatmentVariant: { phase: 'SERVING' } });
    expect(concluded.body).toMatchObject({
      status: 'CONCLUDED',
      winner: 'treatment',
      deploymentId: 'dep-local-winner',
      promotion: { status: 'STARTED', version: healthy },
      treatmentVariant: { phase: 'REMOVED' },
    });
    // The rollout's own verdict (promoted, or rolled back on its alarms) is the rollout's business.
    expect((await h.audit(MODEL)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['ExperimentStarted', 'ExperimentConcluded', 'DeploymentStarted']),
    );
  });
});
