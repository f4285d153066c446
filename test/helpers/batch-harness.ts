/**
 * Runs the batch prediction state machine FROM ITS SYNTHESIZED DEFINITION with the local executor
 * (Distributed Map readers, ItemBatcher, failure tolerance and ResultWriter as
 * `local/state-machines/distributed-map.ts` runs them), its worker and step functions in process
 * over DynamoDB Local and s3rver, and the API handler whose launcher starts those executions.
 * With `transform`, Batch Transform's CreateModel, CreateTransformJob (.sync) and DeleteModel run
 * on the local SageMaker, as `npm start` runs them, and each run's end is put on a local bus as
 * Step Functions' status change, where the template's rules deliver it (to the steps, which delete
 * a stopped run's model).
 */
import { randomUUID } from 'node:crypto';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { type CreateTransformJobCommandInput, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ExecutionAbortedError } from 'aws-local-stepfunctions';
import { exportLogisticRegressionOnnx } from '../../containers/reference-trainer/src/onnx-export';
import {
  type BatchJobInput,
  type BatchPrediction,
  BatchPredictionsConfig,
  type ScheduledBatchEvent,
} from '../../contracts/batch-predictions';
import { ENV } from '../../contracts/env';
import { EXECUTION_STATUS_CHANGE } from '../../contracts/pipeline';
import { GovernancePolicy } from '../../contracts/registry';
import { BATCH_PREDICTIONS_TABLE, FEATURE_REGISTRY_TABLE } from '../../contracts/tables';
import { S3BatchFiles } from '../../lambdas/batch-predictions/adapters/s3-batch-files';
import {
  S3InputUploads,
  S3OutputDownloads,
} from '../../lambdas/batch-predictions/adapters/s3-presigned-transfers';
import { SageMakerJobModels } from '../../lambdas/batch-predictions/adapters/sagemaker-job-models';
import { executionName } from '../../lambdas/batch-predictions/adapters/step-functions-launcher';
import { type BatchHandlerDeps, jobDepsFromEnv } from '../../lambdas/batch-predictions/deps';
import type { WorkerEvent } from '../../lambdas/batch-predictions/domain/worker';
import { runBatch } from '../../lambdas/batch-predictions/domain/worker';
import { entityCheckFromEnv } from '../../lambdas/batch-predictions/enrichment-deps';
import { makeHandler } from '../../lambdas/batch-predictions/handler';
import { makeScheduled } from '../../lambdas/batch-predictions/scheduled';
import { makeTasks } from '../../lambdas/batch-predictions/tasks';
import { stepDepsFromEnv, workerDepsFromEnv } from '../../lambdas/batch-predictions/worker-deps';
import { BatchPredictions } from '../../lib/batch-predictions/batch-predictions';
import { type CfnTemplate, functionEntries } from '../../local/cdk-template';
import { LocalEventBus } from '../../local/event-bus';
import { LOCAL_FEATURES_BUCKET } from '../../local/function-environment';
import type { LocalLambdaService } from '../../local/lambda-service';
import { LocalRules } from '../../local/rules';
import { type LocalSageMaker, startLocalSageMaker } from '../../local/sagemaker/server';
import { LocalStateMachine, stateMachineDefinitions } from '../../local/state-machines/executor';
import { LOCAL_REGION } from '../../local/state-machines/intrinsics';
import { s3MapObjects } from '../../local/state-machines/s3-map-objects';
import { sageMakerIntegrations } from '../../local/state-machines/sagemaker-integrations';
import { type HttpCall, httpCaller } from './http-call';
import { ALICE, testRegistry } from './registry-harness';
import type { StandInsHandle } from './stand-ins';

export const BATCH_BUCKET = 'batch-artifacts';
/** The reference model: sigmoid(f1 * 0.5 - f2 * 0.25 + f3 + 0.1). */
export const WEIGHTS = [0.5, -0.25, 1];
export const BIAS = 0.1;
export const FEATURES = ['f1', 'f2', 'f3'];

/** The batch construct alone, synthesized as `cdk synth` would (bundling skipped). */
export function batchTemplate(config: Partial<BatchPredictionsConfig> = {}): CfnTemplate {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'BatchTest', { env: { account: '111122223333', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const table = (id: string) =>
    new dynamodb.TableV2(stack, id, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  new BatchPredictions(stack, 'BatchPredictions', {
    storage: {
      key,
      artifactsBucket: new s3.Bucket(stack, 'Artifacts', { encryptionKey: key, enforceSSL: true }),
      batchPredictionsTable: table('Jobs'),
      registryTable: table('Registry'),
      auditTable: table('Audit'),
      idempotencyTable: table('Idempotency'),
    },
    config: BatchPredictionsConfig.parse(config),
    governance: GovernancePolicy.parse({}),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

export interface BatchHarness {
  readonly call: HttpCall;
  readonly machine: LocalStateMachine;
  readonly files: S3BatchFiles;
  /** Executions the API started, by name, to await. */
  readonly runs: Map<string, Promise<unknown>>;
  /** Makes the worker throw for the batch starting at a row index (a worker crash). */
  readonly failBatches: Set<number>;
  /** First row indexes of the batches the worker scored (not those it found done), in order. */
  readonly scoredBatches: number[];
  /** The scheduled rule's target, on the same deps as the API. */
  readonly scheduled: (event: ScheduledBatchEvent) => Promise<BatchPrediction>;
  /**
   * Registers the reference model as a READY version; returns its version. With `featureNames`
   * false the graph does not name its inputs (no `feature_names` metadata).
   */
  registerModel(name: string, options?: { featureNames?: boolean }): Promise<number>;
  setChampion(name: string, version: number): Promise<void>;
  /** The model's audit actions, oldest first. */
  auditActions(name: string): Promise<string[]>;
  put(key: string, body: string | Uint8Array): Promise<void>;
  text(key: string): Promise<string>;
  list(prefix: string): Promise<string[]>;
  /** Waits for the run of a job's attempt. */
  settle(jobId: string, attempt?: number): Promise<unknown>;
  /** The local SageMaker, when the harness runs Batch Transform. */
  readonly sagemaker?: LocalSageMaker;
  /**
   * The largest text the steps function has read in one piece so far (an object, or a line of a
   * streamed one), in characters: what bounds its memory. Set `largest` to 0 to measure afresh.
   */
  readonly stepReads: { largest: number };
  /** Faults of the next transform jobs, until cleared (transform only). */
  readonly transformFaults: {
    /** Adds a request file of one line the model refuses to the job's input: the transform job fails. */
    corruptRequests?: boolean;
    /** Deletes the job's model as its transform job ends, before the run's own DeleteModel. */
    deleteModelEarly?: boolean;
  };
  /** Resolves once every status change put so far has been delivered by the template's rules. */
  statusChangesDelivered(): Promise<void>;
  /** Stops the local SageMaker, when the harness started one. */
  stop(): Promise<void>;
}

export interface BatchHarnessOptions {
  /** Runs Batch Transform on a local SageMaker. @default false */
  readonly transform?: boolean;
}

/**
 * The batch API, steps and worker over the stand-ins, running the synthesized state machine; the
 * worker can be made to crash per batch. For tests see {@link useBatchHarness}; the bench calls this.
 */
export async function startBatchHarness(
  standIns: Pick<StandInsHandle, 's3' | 'dynamoDb'>,
  config: Partial<BatchPredictionsConfig> = {},
  options: BatchHarnessOptions = {},
): Promise<BatchHarness> {
  process.env[ENV.batchPredictionsTable] = BATCH_PREDICTIONS_TABLE.id;
  process.env[ENV.batchSettings] = JSON.stringify({ locations: [{ bucket: BATCH_BUCKET, prefix: '' }] });
  // Enrichment reads the feature store's view registry and offline bucket, as the stack's env says.
  process.env[ENV.featureRegistryTable] = FEATURE_REGISTRY_TABLE.id;
  process.env[ENV.featureOfflineBucket] = LOCAL_FEATURES_BUCKET;
  // ...and joins on the offline engine local mode runs (function-environment.ts).
  process.env[ENV.featureOfflineEngine] = 'duckdb';
  const template = batchTemplate(config);
  const entries = functionEntries(template);
  const machineId = [...stateMachineDefinitions(template).keys()][0];
  const sagemaker = options.transform
    ? await startLocalSageMaker({ s3: standIns.s3 as S3Client })
    : undefined;
  const sageMakerClient = sagemaker
    ? new SageMakerClient({
        endpoint: sagemaker.url,
        region: LOCAL_REGION,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      })
    : undefined;
  const stepReads = { largest: 0 };
  const stepDeps = {
    ...stepDepsFromEnv(),
    files: recordingReads(new S3BatchFiles(standIns.s3), stepReads),
    ...(sageMakerClient ? { jobModels: new SageMakerJobModels(sageMakerClient) } : {}),
  };
  const tasks = makeTasks(stepDeps);
  const workerDeps = workerDepsFromEnv();
  const failBatches = new Set<number>();
  const scoredBatches: number[] = [];
  const invoke = async (id: string, payload: unknown) => {
    const entry = entries.get(id);
    if (entry === 'lambdas/batch-predictions/tasks.ts') return tasks(payload as never);
    if (entry === 'lambdas/batch-predictions/worker.ts') {
      const event = payload as WorkerEvent;
      const first = event.Items[0] as { index: number; row: { firstRow?: number } };
      const at = event.BatchInput.source.reader === 'rowGroups' ? first.row.firstRow! : first.index;
      if (failBatches.has(at))
        throw Object.assign(new Error(`worker crashed at row ${at}`), { name: 'WorkerCrashed' });
      const result = await runBatch(workerDeps, event);
      if (!result.resumed) scoredBatches.push(at);
      return result;
    }
    throw new Error(`unexpected function ${id} (${entry})`);
  };
  const machine = new LocalStateMachine(template, machineId, invoke);
  const objects = s3MapObjects(standIns.s3);
  const transformFaults: BatchHarness['transformFaults'] = {};
  const integrations = sageMakerClient
    ? withTransformFaults(
        sageMakerIntegrations(() => sageMakerClient, { pollMs: 50 }),
        transformFaults,
        { s3: standIns.s3, sagemaker: sageMakerClient },
      )
    : undefined;
  // Step Functions' status changes on a bus of their own, delivered by the template's rules.
  const bus = new LocalEventBus();
  const delivered: Array<Promise<unknown>> = [];
  if (sagemaker) {
    const lambdas = {
      invoke: (id: string, payload: unknown) => {
        const done = invoke(id, payload);
        delivered.push(done.catch(() => undefined));
        return done;
      },
    } as unknown as LocalLambdaService;
    new LocalRules(template, { lambdas }).start(bus, { schedules: false });
  }
  const statusChange = (name: string, input: unknown, status: string) =>
    sagemaker
      ? bus.put({
          Source: 'aws.states',
          DetailType: EXECUTION_STATUS_CHANGE,
          Detail: JSON.stringify({
            executionArn: `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`,
            stateMachineArn: machine.arn,
            name,
            status,
            input: JSON.stringify(input),
          }),
        })
      : Promise.resolve();
  const runs = new Map<string, Promise<unknown>>();
  const aborts = new Map<string, () => void>();
  const deps: BatchHandlerDeps = {
    ...jobDepsFromEnv(),
    checkEntities: entityCheckFromEnv(new S3BatchFiles(standIns.s3))!,
    uploads: new S3InputUploads({ client: standIns.s3 as S3Client, bucket: BATCH_BUCKET }),
    downloads: new S3OutputDownloads({ client: standIns.s3 as S3Client }),
    launcher: {
      start: async (input: BatchJobInput) => {
        const name = executionName(input.jobId, input.attempt);
        if (runs.has(name)) return;
        const run = machine.start(
          { job: input },
          { executionName: name, objects, ...(integrations ? { integrations } : {}) },
        );
        aborts.set(name, run.abort);
        runs.set(
          name,
          run.result.then(
            async (output) => {
              await statusChange(name, { job: input }, 'SUCCEEDED');
              return output;
            },
            async (err: Error) => {
              const status = err instanceof ExecutionAbortedError ? 'ABORTED' : 'FAILED';
              await statusChange(name, { job: input }, status);
              return err;
            },
          ),
        );
      },
      stop: async (jobId, attempt) => aborts.get(executionName(jobId, attempt))?.(),
    },
  };
  const registry = testRegistry({
    dynamoDb: standIns.dynamoDb,
    s3: standIns.s3 as S3Client,
    bucket: BATCH_BUCKET,
    policy: GovernancePolicy.parse({}),
  });
  const files = new S3BatchFiles(standIns.s3);
  return {
    call: httpCaller(makeHandler(deps), { functionName: 'batch' }),
    machine,
    files,
    runs,
    failBatches,
    scoredBatches,
    scheduled: makeScheduled(deps),
    registerModel: async (name, { featureNames = true } = {}) => {
      await registry.seedModel(name, { principal: ALICE });
      const bytes = exportLogisticRegressionOnnx({
        weights: WEIGHTS,
        bias: BIAS,
        ...(featureNames ? { featureNames: FEATURES } : {}),
      });
      const v = await registry.registerArtifact(name, bytes);
      return v.version;
    },
    setChampion: (name, version) => registry.setAlias(name, 'champion', version, { principal: ALICE }),
    auditActions: (name) => registry.auditActions(name),
    put: async (key, body) => {
      await standIns.s3.send(new PutObjectCommand({ Bucket: BATCH_BUCKET, Key: key, Body: body }));
    },
    text: (key) => files.readText(BATCH_BUCKET, key),
    list: async (prefix) => {
      const out = await standIns.s3.send(new ListObjectsV2Command({ Bucket: BATCH_BUCKET, Prefix: prefix }));
      return (out.Contents ?? []).map((o) => o.Key!).sort();
    },
    settle: async (jobId, attempt = 1) => runs.get(executionName(jobId, attempt)),
    sagemaker,
    stepReads,
    transformFaults,
    statusChangesDelivered: async () => {
      while (delivered.length > 0) await Promise.all(delivered.splice(0));
    },
    stop: async () => {
      await sagemaker?.stop();
    },
  };
}

export function useBatchHarness(
  standIns: StandInsHandle,
  config: Partial<BatchPredictionsConfig> = {},
  options: BatchHarnessOptions = {},
): () => BatchHarness {
  let harness: BatchHarness | undefined;
  beforeAll(async () => {
    harness = await startBatchHarness(standIns, config, options);
  }, 60_000);
  afterAll(async () => {
    await harness?.stop();
  }, 30_000);
  return () => {
    if (!harness) throw new Error('the batch harness starts in beforeAll');
    return harness;
  };
}

/**
 * The SageMaker integrations with the harness's faults in front of the transform job: a request
 * the model refuses among its input, or its model deleted once it has run.
 */
function withTransformFaults(
  integrations: ReturnType<typeof sageMakerIntegrations>,
  faults: BatchHarness['transformFaults'],
  clients: { s3: Pick<S3Client, 'send'>; sagemaker: SageMakerClient },
): ReturnType<typeof sageMakerIntegrations> {
  const sync = 'arn:aws:states:::sagemaker:createTransformJob.sync';
  const run = integrations[sync];
  return {
    ...integrations,
    [sync]: async (input, execution) => {
      const params = input as CreateTransformJobCommandInput;
      if (faults.corruptRequests) {
        const uri = /^s3:\/\/([^/]+)\/(.*)$/.exec(params.TransformInput!.DataSource!.S3DataSource!.S3Uri!)!;
        await clients.s3.send(
          new PutObjectCommand({
            Bucket: uri[1],
            Key: `${uri[2]}requests.jsonl`,
            Body: '{"inputs":"none"}\n',
          }),
        );
      }
      try {
        return await run(input, execution);
      } finally {
        if (faults.deleteModelEarly)
          await new SageMakerJobModels(clients.sagemaker).delete(params.ModelName!);
      }
    },
  };
}

/** The files with each read's size recorded: whole objects as read, streamed objects by line. */
function recordingReads(files: S3BatchFiles, reads: { largest: number }): S3BatchFiles {
  const seen = (text: string | undefined) => {
    reads.largest = Math.max(reads.largest, text?.length ?? 0);
    return text;
  };
  return Object.assign(Object.create(files) as S3BatchFiles, {
    readText: async (bucket: string, key: string) => seen(await files.readText(bucket, key))!,
    readOptionalText: async (bucket: string, key: string) => seen(await files.readOptionalText(bucket, key)),
    eachLine: (bucket: string, key: string, onLine: (line: string) => void | Promise<void>) =>
      files.eachLine(bucket, key, (line) => onLine(seen(line)!)),
  });
}

/** Reference score: sigmoid(x . w + b) in double precision. */
export const referenceScore = (x: readonly number[]) =>
  1 / (1 + Math.exp(-(x.reduce((s, v, i) => s + v * WEIGHTS[i], 0) + BIAS)));

export const newKey = () => randomUUID().slice(0, 8);
