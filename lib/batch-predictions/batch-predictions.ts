/**
 * Batch predictions: the API function behind `/batch-predictions`, the state machine that runs a
 * job on one of two engines (a Distributed Map of Lambda workers, or SageMaker Batch Transform on
 * the model's Triton package), its steps and worker, and one schedule per configured job. Jobs
 * read and write only the artifacts bucket and the buckets the config names.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import { type Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { BatchPredictionsConfig, BatchSettings } from '../../contracts/batch-predictions';
import { ENV } from '../../contracts/env';
import type { GovernancePolicy } from '../../contracts/registry';
import { SERVING_DEFAULTS } from '../serving/defaults';
import { tritonImageUri, tritonRepositoryArn } from '../serving/triton-image';
import { pascal } from '../shared/construct-id';
import { PlatformFunction } from '../shared/platform-function';
import { batchDefinition } from './batch-definition';
import { BATCH_DEFAULTS } from './defaults';

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
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** SageMaker names of batch jobs start with this (models and transform jobs). */
export const BATCH_JOB_PREFIX = 'mlops-batch-';

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
    const buckets = [
      storage.artifactsBucket,
      ...config.buckets.map((name) => s3.Bucket.fromBucketName(this, `Bucket${pascal(name)}`, name)),
    ];
    const settings: BatchSettings = { allowedBuckets: buckets.map((b) => b.bucketName) };
    const environment = {
      [ENV.batchPredictionsTable]: storage.batchPredictionsTable.tableName,
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
      [ENV.batchSettings]: Stack.of(this).toJsonString(settings),
    };
    const fn = (
      fid: string,
      entry: string,
      description: string,
      extra: Partial<{ timeout: Duration; memorySize: number }> = {},
    ) =>
      new PlatformFunction(this, fid, {
        entry,
        description,
        environment,
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
    for (const bucket of buckets) bucket.grantReadWrite(this.transformRole);
    storage.key.grant(this.transformRole, 'kms:Decrypt', 'kms:GenerateDataKey');

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
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
    });
    this.grantEngines(this.stateMachine.role, buckets);
    storage.key.grant(this.stateMachine, 'kms:Decrypt', 'kms:GenerateDataKey');

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/batch-predictions/handler.ts',
      description: 'cdk-mlops batch predictions API',
      environment: {
        ...environment,
        [ENV.batchStateMachineArn]: this.stateMachine.stateMachineArn,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
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
    for (const f of [this.handler, this.scheduler, this.tasks]) {
      storage.batchPredictionsTable.grantReadWriteData(f);
      storage.registryTable.grantReadData(f);
      appendAudit(f, storage.auditTable);
      storage.key.grant(f, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    storage.idempotencyTable.grantReadWriteData(this.handler);
    for (const f of [this.handler, this.scheduler]) {
      this.stateMachine.grantStartExecution(f);
      this.stateMachine.grantExecution(f, 'states:StopExecution');
    }
    for (const bucket of buckets) {
      bucket.grantReadWrite(this.tasks);
      bucket.grantReadWrite(this.worker);
    }
    storage.key.grant(this.worker, 'kms:Decrypt', 'kms:GenerateDataKey');

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
    this.acknowledgeFindings(buckets);
  }

  /**
   * The engines' permissions: the Distributed Map's readers and ResultWriter on the job buckets;
   * SageMaker models and transform jobs (.sync) under the platform's prefix, passing only the
   * transform role.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
   */
  private grantEngines(role: iam.IRole, buckets: s3.IBucket[]): void {
    const stack = Stack.of(this);
    for (const bucket of buckets) bucket.grantReadWrite(role);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'sagemaker:CreateModel',
          'sagemaker:CreateTransformJob',
          'sagemaker:DescribeTransformJob',
          'sagemaker:StopTransformJob',
          'sagemaker:AddTags',
        ],
        resources: [
          stack.formatArn({ service: 'sagemaker', resource: 'model', resourceName: `${BATCH_JOB_PREFIX}*` }),
          stack.formatArn({
            service: 'sagemaker',
            resource: 'transform-job',
            resourceName: `${BATCH_JOB_PREFIX}*`,
          }),
        ],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.transformRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForSageMakerTransformJobsRule',
          }),
        ],
      }),
    );
  }

  private acknowledgeFindings(buckets: s3.IBucket[]): void {
    void buckets;
  }
}

/** Audit records are appended, never changed: PutItem only (as the registry). */
function appendAudit(f: PlatformFunction, auditTable: dynamodb.ITable): void {
  f.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'AppendAudit',
      actions: ['dynamodb:PutItem'],
      resources: [auditTable.tableArn],
    }),
  );
}
