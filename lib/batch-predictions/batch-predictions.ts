/**
 * Batch predictions: the API function behind `/batch-predictions`, the state machine that runs a
 * job on one of two engines (a Distributed Map of Lambda workers, or SageMaker Batch Transform on
 * the model's Triton package), its steps and worker, and one schedule per configured job. Jobs
 * read and write only the artifacts bucket and the buckets the config names.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { type Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  BATCH_PREDICTIONS_PREFIX,
  type BatchPredictionsConfig,
  type BatchSettings,
  parseS3Uri,
} from '../../contracts/batch-predictions';
import { BATCH_UPLOAD_PREFIX } from '../../contracts/batch-uploads';
import { ENV } from '../../contracts/env';
import type { GovernancePolicy } from '../../contracts/registry';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { SERVING_DEFAULTS } from '../serving/defaults';
import { tritonImageUri, tritonRepositoryArn } from '../serving/triton-image';
import { pascal } from '../shared/construct-id';
import { PlatformFunction } from '../shared/platform-function';
import { stoppedExecutionRule } from '../shared/stopped-execution-rule';
import { batchDefinition } from './batch-definition';
import { BATCH_DEFAULTS } from './defaults';
import {
  grantDeleteJobModels,
  grantEngines,
  grantEnrichment,
  grantJobObjects,
  grantJobTables,
  grantKey,
  grantListJobLocations,
  type JobLocation,
} from './grants';
import { acknowledgeBatchFindings } from './nag-acknowledgements';

export interface BatchPredictionsStorage {
  readonly key: kms.IKey;
  readonly artifactsBucket: s3.IBucket;
  readonly batchPredictionsTable: dynamodb.ITable;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
}

/** Properties of `BatchPredictions`. */
export interface BatchPredictionsProps {
  readonly storage: BatchPredictionsStorage;
  /** The `mlops:batchPredictions` block. */
  readonly config: BatchPredictionsConfig;
  /** The registry's policy, which the registry reader's env carries. */
  readonly governance: GovernancePolicy;
  /**
   * The feature store's view registry and offline bucket, for jobs whose input is a feature view
   * and an entity list: the API checks the list's header against the view, the steps join the
   * rows from the offline store.
   * @default - no enrichment: a feature-view input is a 400 `ENRICHMENT_UNAVAILABLE`
   */
  readonly featureStore?: BatchFeatureStore;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** What enrichment reads of the feature store. */
export interface BatchFeatureStore {
  readonly registryTable: dynamodb.ITable;
  readonly offlineBucket: s3.IBucket;
  /**
   * The feature store's Athena workgroup and Glue database: the steps join an entity list with a
   * view there, with the training sets' SQL.
   */
  readonly workGroup: athena.CfnWorkGroup;
  readonly glueDatabase: glue.CfnDatabase;
}

export { BATCH_JOB_PREFIX } from './grants';

export class BatchPredictions extends Construct {
  /** Serves every `batch` route. */
  public readonly handler: PlatformFunction;
  /** Scores one batch of rows (the Distributed Map's worker). */
  public readonly worker: PlatformFunction;
  /** Prepare, finalize, fail: the state machine's own steps. */
  public readonly tasks: PlatformFunction;
  /** Submits the configured scheduled jobs. */
  public readonly scheduler: PlatformFunction;
  public readonly stateMachine: sfn.StateMachine;
  /** The role Batch Transform's models run as. */
  public readonly transformRole: iam.Role;

  constructor(scope: Construct, id: string, props: BatchPredictionsProps) {
    super(scope, id);
    // ResultWriterV2 (a bucket named at run time, the job's own) is behind this flag; set here so
    // it holds for this construct's Maps whatever the app's context says.
    this.node.setContext('@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2', true);
    const { storage, config } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    // In the platform's bucket jobs are held to one prefix, away from models and runs; the
    // buckets the config names are the team's data buckets, used whole.
    const locations: JobLocation[] = [
      { bucket: storage.artifactsBucket, prefix: BATCH_PREDICTIONS_PREFIX },
      ...config.buckets.map((name) => ({
        bucket: s3.Bucket.fromBucketName(this, `Bucket${pascal(name)}`, name),
        prefix: '',
      })),
    ];
    checkScheduleLocations(config, locations);
    const settings: BatchSettings = {
      locations: locations.map((l) => ({ bucket: l.bucket.bucketName, prefix: l.prefix })),
    };
    const environment = {
      [ENV.batchPredictionsTable]: storage.batchPredictionsTable.tableName,
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
      [ENV.batchSettings]: Stack.of(this).toJsonString(settings),
    };
    const features = props.featureStore;
    const featureEnvironment: Record<string, string> = features
      ? {
          [ENV.featureRegistryTable]: features.registryTable.tableName,
          [ENV.featureOfflineBucket]: features.offlineBucket.bucketName,
        }
      : {};
    const fn = (
      fid: string,
      entry: string,
      description: string,
      extra: Partial<{ timeout: Duration; memorySize: number }> = {},
      extraEnvironment: Record<string, string> = {},
    ) =>
      new PlatformFunction(this, fid, {
        entry,
        description,
        environment: { ...environment, ...extraEnvironment },
        encryptionKey: storage.key,
        removalPolicy,
        ...extra,
      });

    this.worker = fn(
      'Worker',
      'lambdas/batch-predictions/worker.ts',
      'cdk-mlops batch prediction worker (one batch of rows)',
      {
        timeout: BATCH_DEFAULTS.workerTimeout,
        memorySize: BATCH_DEFAULTS.workerMemorySize,
      },
    );
    this.tasks = fn(
      'Tasks',
      'lambdas/batch-predictions/tasks.ts',
      'cdk-mlops batch prediction steps (prepare, finalize, fail)',
      {
        timeout: BATCH_DEFAULTS.tasksTimeout,
        memorySize: BATCH_DEFAULTS.tasksMemorySize,
      },
      features
        ? {
            ...featureEnvironment,
            // The entity join runs on the feature store's engine (DuckDB replaces it locally).
            [ENV.featureOfflineEngine]: 'athena',
            [ENV.featureGlueDatabase]: features.glueDatabase.ref,
            [ENV.featureAthenaWorkgroup]: features.workGroup.name,
          }
        : {},
    );

    this.transformRole = new iam.Role(this, 'TransformRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'cdk-mlops Batch Transform models: read packages and inputs, write outputs',
    });
    this.transformRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
        resources: [tritonRepositoryArn(this)],
      }),
    );
    // GetAuthorizationToken has no resource-level permissions.
    this.transformRole.addToPolicy(
      new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }),
    );
    // The job's Triton package (its ModelDataUrl, under the job's work/ prefix) and its S3Prefix
    // input are read, one .out object per input written: all in the job's locations.
    grantJobObjects(this.transformRole, 'TransformJobObjects', ['s3:GetObject', 's3:PutObject'], locations);
    grantListJobLocations(this.transformRole, locations);
    grantKey(this.transformRole, storage.key);

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      encryptionKey: storage.key,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'cdk-mlops batch prediction: Distributed Map of ONNX workers, or SageMaker Batch Transform',
      definitionBody: sfn.DefinitionBody.fromChainable(
        batchDefinition(this, {
          tasks: this.tasks,
          worker: this.worker,
          rowsPerBatch: config.rowsPerBatch,
          maxConcurrency: config.maxConcurrency,
          transformRoleArn: this.transformRole.roleArn,
          tritonImage: tritonImageUri(this, SERVING_DEFAULTS.tritonVersion),
          transformInstanceType: config.transformInstanceType,
          transformInstanceCount: config.transformInstanceCount,
        }),
      ),
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      timeout: BATCH_DEFAULTS.stateMachineTimeout,
      // Tracing and logging add X-Ray and CloudWatch Logs delivery actions on "*": they have no
      // resource-level permissions (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
      // Execution data stays out of the logs: rows are the caller's data.
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    grantEngines(this.stateMachine.role, locations, this.transformRole);
    grantKey(this.stateMachine, storage.key);
    // A stopped (cancelled), timed-out or uncaught-failed run runs no further state, so its own
    // DeleteModel never runs: the steps delete its transform model from the status change Step
    // Functions puts on the default bus. https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
    stoppedExecutionRule(this, 'OnRunStopped', {
      description: 'Delete the SageMaker model of a batch run that stopped, timed out or failed',
      stateMachine: this.stateMachine,
      target: this.tasks,
    });
    grantDeleteJobModels(this.tasks);

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/batch-predictions/handler.ts',
      description: 'cdk-mlops batch predictions API',
      environment: {
        ...environment,
        [ENV.batchStateMachineArn]: this.stateMachine.stateMachineArn,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
        ...featureEnvironment,
      },
      encryptionKey: storage.key,
      removalPolicy,
    });
    this.scheduler = new PlatformFunction(this, 'Scheduler', {
      entry: 'lambdas/batch-predictions/scheduled.ts',
      description: 'cdk-mlops scheduled batch predictions',
      environment: { ...environment, [ENV.batchStateMachineArn]: this.stateMachine.stateMachineArn },
      encryptionKey: storage.key,
      removalPolicy,
    });

    // The API and scheduler record jobs and start runs; the steps change status; all append audit.
    grantJobTables(this.handler, storage, storage.key, { listByModel: true });
    grantJobTables(this.scheduler, storage, storage.key);
    grantJobTables(this.tasks, storage, storage.key);
    // Idempotency-Key: the stored effect is read, then written in the change's transaction.
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'IdempotencyRecords',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [storage.idempotencyTable.tableArn],
      }),
    );
    // Input uploads: the API presigns PUTs under batch-predictions/in/ of the platform bucket, so
    // its own role must allow exactly that (a presigned request carries the signer's permissions);
    // the platform key it already holds encrypts the object.
    // @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PresignInputUploads',
        actions: ['s3:PutObject'],
        resources: [storage.artifactsBucket.arnForObjects(`${BATCH_UPLOAD_PREFIX}*`)],
      }),
    );
    // Output reads: the API lists a job's parts and presigns GETs of them, in the job locations.
    grantJobObjects(this.handler, 'PresignOutputReads', ['s3:GetObject'], locations);
    grantListJobLocations(this.handler, locations);
    for (const f of [this.handler, this.scheduler]) {
      this.stateMachine.grantStartExecution(f);
      this.stateMachine.grantExecution(f, 'states:StopExecution');
    }
    // Steps list inputs, read footers and ResultWriter manifests, write manifests and parts, and
    // (for Batch Transform) the job's Triton package made from the version's artifact.
    grantJobObjects(this.tasks, 'JobObjects', ['s3:GetObject', 's3:PutObject'], locations);
    grantListJobLocations(this.tasks, locations);
    // Workers read their rows (Parquet row groups by range) and the model; write one part each.
    grantJobObjects(this.worker, 'JobObjects', ['s3:GetObject', 's3:PutObject'], locations);
    for (const f of [this.worker, this.tasks])
      f.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadModelArtifacts',
          actions: ['s3:GetObject'],
          resources: [storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`)],
        }),
      );
    grantKey(this.worker, storage.key);
    if (features) grantEnrichment({ handler: this.handler, tasks: this.tasks }, features, locations);

    for (const s of config.schedules) {
      new events.Rule(this, `Schedule${pascal(s.modelName)}`, {
        description: `Scheduled batch prediction of ${s.modelName}`,
        schedule: events.Schedule.expression(s.schedule),
        targets: [
          new targets.LambdaFunction(this.scheduler, {
            event: events.RuleTargetInput.fromObject({ schedule: s, time: events.EventField.time }),
            retryAttempts: 8,
          }),
        ],
      });
    }
    acknowledgeBatchFindings({
      scope: this,
      handler: this.handler,
      scheduler: this.scheduler,
      tasks: this.tasks,
      worker: this.worker,
      stateMachine: this.stateMachine,
      transformRole: this.transformRole,
      locations,
      artifactsBucket: storage.artifactsBucket,
      ...(features
        ? { featureOfflineBucket: features.offlineBucket, glueDatabase: features.glueDatabase }
        : {}),
    });
  }
}

/**
 * A scheduled job must read and write where jobs may, or every tick would be refused. The
 * platform bucket's name is a token here: a bucket the config does not name passes under the
 * batch prefix, and the API checks its name at run time.
 */
function checkScheduleLocations(config: BatchPredictionsConfig, locations: readonly JobLocation[]): void {
  const named = locations.filter((l) => !Token.isUnresolved(l.bucket.bucketName));
  const tokens = locations.length > named.length;
  config.schedules.forEach((s, i) => {
    for (const [field, uri] of [
      ['input.uri', s.input.uri],
      ['output.uri', s.output.uri],
    ] as const) {
      const { bucket, key } = parseS3Uri(uri);
      if (named.some((l) => l.bucket.bucketName === bucket && key.startsWith(l.prefix))) continue;
      // Another bucket can only be the platform's, under its batch prefix.
      if (tokens && !config.buckets.includes(bucket) && key.startsWith(BATCH_PREDICTIONS_PREFIX)) continue;
      const allowed = named.map((l) => `s3://${l.bucket.bucketName}/${l.prefix}`).join(', ');
      throw new Error(
        `batchPredictions.schedules[${i}].${field}: ${uri} is not under a location jobs may use (${allowed || 'none named'}, or the platform bucket's ${BATCH_PREDICTIONS_PREFIX})`,
      );
    }
  });
}
