/**
 * Runs the retraining state machine FROM THE SYNTHESIZED PLATFORM TEMPLATE with the local
 * executor: its task Lambda in process over DynamoDB Local and s3rver, the SageMaker training Task
 * as the reference trainer subprocess (`local/pipeline/training-job-task.ts`), and the canary as
 * the template's real deployment state machine run as a nested execution
 * (`local/pipeline/nested-execution-task.ts`), whose tasks run over the FakeSageMaker port and
 * the template's alarms in the local CloudWatch.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { RetrainingConfig } from '../../contracts/pipeline';
import { CHAMPION_ALIAS, GovernancePolicy } from '../../contracts/registry';
import { endpointName, sagemakerModelName } from '../../contracts/serving';
import { CloudWatchAlarmReader } from '../../lambdas/deployment/adapters/cloudwatch-alarms';
import { DynamoDbDeploymentStore } from '../../lambdas/deployment/adapters/dynamodb-deployment-store';
import { S3ModelPackages } from '../../lambdas/deployment/adapters/s3-model-packages';
import { SageMakerVariantBackend } from '../../lambdas/deployment/adapters/sagemaker-variant-backend';
import { SsmDeploymentTargets } from '../../lambdas/deployment/adapters/ssm-deployment-targets';
import { makeTaskHandler as makeDeploymentTasks } from '../../lambdas/deployment/tasks';
import { DynamoDbPipelineStore } from '../../lambdas/pipeline/adapters/dynamodb-pipeline-store';
import { S3Objects } from '../../lambdas/pipeline/adapters/s3-objects';
import { fixedRetrainingConfigs, type PipelineDeps } from '../../lambdas/pipeline/domain/ports';
import type { RunState } from '../../lambdas/pipeline/domain/state';
import { makeTaskHandler as makePipelineTasks } from '../../lambdas/pipeline/tasks';
import { SsmModelSettings } from '../../lambdas/shared/ssm-model-settings';
import { type CfnTemplate, functionEntries, synthesizePlatformTemplate } from '../../local/cdk-template';
import { alarmsFromTemplate, LocalCloudWatch } from '../../local/cloudwatch/server';
import { nestedExecutionTask } from '../../local/pipeline/nested-execution-task';
import { localTrainingJobTask } from '../../local/pipeline/training-job-task';
import { parametersFromTemplate } from '../../local/ssm/server';
import { LocalStateMachine, stateMachineDefinitions } from '../../local/state-machines/executor';
import { resolveIntrinsics } from '../../local/state-machines/intrinsics';
import { runTrainingJob } from '../../local/training/run-training-job';
import { FakeSageMaker } from './fake-sagemaker';
import { startLocalSsm } from './local-ssm';
import { ALICE, type TestRegistry, testRegistry } from './registry-harness';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const DATASETS = join(__dirname, '..', 'fixtures', 'datasets');

export interface PipelineHarness {
  readonly template: CfnTemplate;
  readonly pipeline: LocalStateMachine;
  readonly sagemaker: FakeSageMaker;
  readonly deps: PipelineDeps;
  /** The registry both task Lambdas are given, with what a test seeds and reads through it. */
  readonly registry: TestRegistry;
  /** The local Task handlers: training (reference trainer) and the nested rollout. */
  readonly overrides: Record<string, (input: unknown) => Promise<unknown>>;
  /** Calls the pipeline's task function as Lambda would (a Task payload or an EventBridge event). */
  invokeTasks(event: unknown): Promise<unknown>;
  /** Every training job name the training Task started, in order. */
  readonly trainingJobs: string[];
  /** Runs an execution to its end: the final state, or the error of a Fail state. */
  run(input: unknown, executionName: string): Promise<RunState>;
  /** Puts a CSV at `s3://<bucket>/<key>`; returns the URI. */
  putCsv(key: string, text: string): Promise<string>;
  /** Creates the model in the registry, with no version. */
  seedModel(modelName: string): Promise<void>;
  /** Creates the model, trains v1 with the reference trainer on `csv`, makes it the Production champion. */
  seedChampion(modelName: string, csv: string, hyperparameters?: Record<string, string>): Promise<void>;
  close(): Promise<void>;
}

/** cdk.json's context (as `cdk synth` and `npm start` read it) with `overrides` on top. */
export function platformContext(overrides: Record<string, unknown>): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
  return { ...cdkJson.context, ...overrides };
}

/** The breast-cancer fixture (569 rows, label `target`), optionally only its first `rows` rows. */
export function breastCancerCsv(rows?: number): string {
  const lines = readFileSync(join(DATASETS, 'breast-cancer.csv'), 'utf8').trim().split('\n');
  return `${lines.slice(0, rows === undefined ? undefined : rows + 1).join('\n')}\n`;
}

/** The CSV with every column but `label` multiplied by `factor` (a miscalibrated device). */
export function scaledMeasurements(csv: string, factor: number, label = 'target'): string {
  const [header, ...lines] = csv.trim().split('\n');
  const labelAt = header.split(',').indexOf(label);
  const scaled = lines.map((line) =>
    line
      .split(',')
      .map((v, i) => (i === labelAt ? v : String(Number((Number(v) * factor).toPrecision(6)))))
      .join(','),
  );
  return `${[header, ...scaled].join('\n')}\n`;
}

export async function startPipelineHarness(input: {
  context: Record<string, unknown>;
  dynamoDb: DynamoDBClient;
  s3: S3Client;
  bucket: string;
}): Promise<PipelineHarness> {
  const template = synthesizePlatformTemplate(input.context);
  const definitions = [...stateMachineDefinitions(template).keys()];
  const machineId = (prefix: string) => {
    const id = definitions.find((d) => d.startsWith(prefix));
    if (!id) throw new Error(`no ${prefix} state machine in the template`);
    return id;
  };
  const functionId = (entry: string) => {
    const id = [...functionEntries(template)].find(([, e]) => e === entry)?.[0];
    if (!id) throw new Error(`no function for ${entry} in the template`);
    return id;
  };
  const tasksId = functionId('lambdas/pipeline/tasks.ts');
  const deploymentTasksId = functionId('lambdas/deployment/tasks.ts');
  const environment = template.Resources[tasksId].Properties?.Environment as
    | { Variables?: Record<string, unknown> }
    | undefined;
  const env = environment?.Variables ?? {};

  const document = DynamoDBDocumentClient.from(input.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  // The rollout targets exactly as the template stores them: its SSM parameters, read through the
  // local Parameter Store at the path the task function's environment names.
  const ssm = await startLocalSsm(parametersFromTemplate(template));
  const ssmClient = ssm.client;
  // The governance policy the stack configures, as registryServiceFromEnv reads it.
  const registry = testRegistry({
    ...input,
    policy: GovernancePolicy.parse(input.context['mlops:governance'] ?? {}),
  });
  const deps: PipelineDeps = {
    store: new DynamoDbPipelineStore({ client: document, pipelineTable: 'Pipeline', auditTable: 'Audit' }),
    objects: new S3Objects(input.s3, input.bucket),
    registry,
    featureView: async () => undefined,
    // The retraining configs the same way: one parameter per model, at the path the env names.
    configs: env[ENV.retrainingConfigsPath]
      ? new SsmModelSettings({
          client: ssmClient,
          path: String(resolveIntrinsics(env[ENV.retrainingConfigsPath], template)),
          schema: RetrainingConfig,
        })
      : fixedRetrainingConfigs([]),
    deploymentTargets: new SsmDeploymentTargets({
      client: ssmClient,
      path: String(resolveIntrinsics(env[ENV.deploymentTargetsPath], template)),
    }),
    defaultTrainingImage: 'reference-trainer:local',
    envName: String(env[ENV.envName]),
    now: () => new Date(),
    newId: randomUUID,
  };

  const sagemaker = new FakeSageMaker();
  const cloudWatch = new LocalCloudWatch({ alarms: alarmsFromTemplate(template) });
  const cloudWatchUrl = await cloudWatch.listen();
  const pipelineTasks = makePipelineTasks(deps);
  const sageMakerBackend = new SageMakerVariantBackend(sagemaker);
  const deploymentTasks = makeDeploymentTasks({
    // Every model of the pipeline's stack is on SageMaker.
    backends: async () => sageMakerBackend,
    alarms: new CloudWatchAlarmReader(
      new CloudWatchClient({ endpoint: cloudWatchUrl, region: 'us-east-1', credentials: LOCAL_CREDENTIALS }),
    ),
    store: new DynamoDbDeploymentStore({
      client: document,
      deploymentsTable: 'Deployments',
      auditTable: 'Audit',
    }),
    registry,
    packages: new S3ModelPackages(input.s3, input.bucket),
    now: () => new Date(),
    newId: randomUUID,
  });
  const invoke = async (id: string, payload: unknown) => {
    if (id === tasksId) return pipelineTasks(payload as never);
    if (id === deploymentTasksId) return deploymentTasks(payload as never);
    throw new Error(`unexpected function ${id}`);
  };
  const pipeline = new LocalStateMachine(template, machineId('PipelineStateMachine'), invoke);
  const deployment = new LocalStateMachine(template, machineId('DeploymentStateMachine'), invoke);
  const machines = new Map([deployment, pipeline].map((m) => [m.arn, m]));
  const trainingJobs: string[] = [];
  const overrides = {
    TrainChallenger: localTrainingJobTask(input.s3, (name) => trainingJobs.push(name)),
    CanaryRollout: nestedExecutionTask(machines, { waitMs: 0 }),
  };

  const putCsv = async (key: string, text: string) => {
    await input.s3.send(new PutObjectCommand({ Bucket: input.bucket, Key: key, Body: text }));
    return `s3://${input.bucket}/${key}`;
  };

  return {
    template,
    pipeline,
    sagemaker,
    deps,
    registry,
    trainingJobs,
    overrides,
    invokeTasks: (event) => invoke(tasksId, event),
    putCsv,
    run: async (runInput, executionName) =>
      (await pipeline.run(runInput, { executionName, waitMs: 0, taskOverrides: overrides })) as RunState,
    seedModel: (modelName) => registry.seedModel(modelName),
    async seedChampion(modelName, csv, hyperparameters = {}) {
      await registry.seedModel(modelName);
      const workDir = mkdtempSync(join(tmpdir(), 'champion-'));
      try {
        const trainDir = join(workDir, 'train');
        mkdirSync(trainDir, { recursive: true });
        writeFileSync(join(trainDir, 'data.csv'), csv);
        const job = await runTrainingJob({
          channels: { train: trainDir },
          hyperparameters: { target: 'target', ...hyperparameters },
          workDir,
        });
        if (job.exitCode !== 0) throw new Error(`champion training failed: ${job.failureReason}`);
        const onnx = readFileSync(join(job.modelDir, 'model.onnx'));
        const v1 = await registry.registerArtifact(modelName, onnx, {
          description: 'seeded champion',
          metrics: { accuracy: 0.9 },
          governance: {
            modelCardUrl: 'https://example.com/cards/champion',
            securityScan: 'PASSED',
            loadTest: 'PASSED',
            demographicParityDifference: 0,
          },
        });
        await registry.seedStage(modelName, v1.version, 'Production');
        await registry.setAlias(modelName, CHAMPION_ALIAS, v1.version, { principal: ALICE });
        sagemaker.seed(
          endpointName('dev', modelName),
          sagemakerModelName(endpointName('dev', modelName), v1.version),
          `${endpointName('dev', modelName)}-iseed`,
        );
      } finally {
        rmSync(workDir, { recursive: true, force: true });
      }
    },
    close: async () => {
      await cloudWatch.close();
      await ssm.close();
    },
  };
}
