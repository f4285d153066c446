/**
 * The rollout end to end on the local stand-ins: the synthesized state machine drives the local
 * SageMaker through the real SDK adapter (model servers running the trained reference model),
 * the local SageMaker sends per-variant metrics to the local CloudWatch, and the template's alarms
 * decide. A first rollout creates the endpoint; a healthy version is promoted; a version whose
 * model answers in 150 ms is rolled back on the p95 latency alarm.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateModelCommand, DescribeModelCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { watchedAlarmNames } from '../../contracts/deployment';
import { endpointName, LocalModelFault, modelPackageKey, sagemakerModelName } from '../../contracts/serving';
import { S3ModelPackages } from '../../lambdas/deployment/adapters/s3-model-packages';
import { SageMakerEndpointControl } from '../../lambdas/deployment/adapters/sagemaker-endpoint';
import { planRollout } from '../../lambdas/deployment/domain/rollout';
import type { RolloutState } from '../../lambdas/deployment/domain/state';
import { type LocalSageMaker, startLocalSageMaker } from '../../local/sagemaker/server';
import { registerTemplateSageMakerResources } from '../../local/sagemaker-resources';
import { type DeploymentHarness, startDeploymentHarness } from '../helpers/deployment-harness';
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
    models: [{ modelName: MODEL, canarySteps: [5, 100], bakeMinutes: 1, dataCapturePercent: 0 }],
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

  it('rolls back a version that answers in 150 ms on the challenger p95 latency alarm', async () => {
    // Prepare: the version's SageMaker model exists already, with the local model server's fault
    const v2 = await control.send(
      new DescribeModelCommand({ ModelName: sagemakerModelName(endpointName('dev', MODEL), 2) }),
    );
    await control.send(
      new CreateModelCommand({
        ModelName: sagemakerModelName(endpointName('dev', MODEL), 3),
        ExecutionRoleArn: v2.ExecutionRoleArn,
        PrimaryContainer: {
          ...v2.PrimaryContainer,
          ModelDataUrl: `s3://${BUCKET}/${modelPackageKey(MODEL, 3)}`,
          Environment: { ...v2.PrimaryContainer?.Environment, [LocalModelFault.extraLatencyMs]: '150' },
        },
      }),
    );
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
