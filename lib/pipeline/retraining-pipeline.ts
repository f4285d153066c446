/**
 * The retraining pipeline: a Step Functions state machine (see `retraining-definition.ts`) that
 * takes a trigger to a promoted model or a clear refusal, its task Lambda and route Lambda, the
 * SageMaker training role and the reference trainer image, and the trigger rules: a schedule per
 * model, monitoring's DriftDetected and QualityDegraded, and TrainingDataAccumulated, with the
 * data-volume checks that publish it.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html
 */
import * as path from 'node:path';
import { ArnFormat, type Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { REGISTRY_EVENT_SOURCE, RegistryEvent } from '../../contracts/events';
import {
  PIPELINE_PREFIX,
  type RetrainingConfig,
  retrainingConfigsPath,
  trainingJobPrefix,
} from '../../contracts/pipeline';
import type { GovernancePolicy } from '../../contracts/registry';
import type { IDeploymentTargets } from '../deployment/target-parameters';
import { platformStackName } from '../shared/capability-stack';
import { ModelParameters } from '../shared/model-parameters';
import { PlatformFunction, REPO_ROOT } from '../shared/platform-function';
import { addDataVolumeChecks } from './data-volume-checks';
import { PIPELINE_DEFAULTS, REFERENCE_TRAINER_DIR, TRAINING_JOBS_LOG_GROUP } from './defaults';
import { acknowledgePipelineFindings } from './nag-acknowledgements';
import { retrainingDefinition } from './retraining-definition';
import { addRetrainingTriggers } from './retraining-triggers';

export interface PipelineStorage {
  readonly key: kms.IKey;
  readonly artifactsBucket: s3.IBucket;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly pipelineTable: dynamodb.ITable;
  /** Idempotency records of the start route: a keyed start runs once however often retried. */
  readonly idempotencyTable: dynamodb.ITable;
  /** @default - feature view ranges are not checked */
  readonly featureRegistryTable?: dynamodb.ITable;
  /**
   * The feature store's offline bucket, whose manifest the data-volume checks count.
   * @default - no data-volume checks; a model with `newRowsThreshold` then fails synthesis
   */
  readonly featureOfflineBucket?: s3.IBucket;
}

export interface RetrainingPipelineProps {
  /** The platform's environment (`mlops:envName`): its training jobs are named for it. */
  readonly envName: string;
  readonly storage: PipelineStorage;
  /** The platform bus monitoring publishes on. */
  readonly eventBus: events.IEventBus;
  /** The canary rollout run as a nested execution. */
  readonly deploymentStateMachine: sfn.IStateMachine;
  /**
   * Rollout settings per model, where the deployment capability keeps them, so a nested rollout
   * is planned the same way as one the route starts.
   */
  readonly deploymentTargets: IDeploymentTargets;
  /** `mlops:retraining`. @default - no model is retrained (the routes answer 404) */
  readonly configs?: readonly RetrainingConfig[];
  /**
   * The SSM path of the configs' parameters, one per model (see `retrainingConfigsPath`).
   * @default - `retrainingConfigsPath(<platform stack name>)`
   */
  readonly configsParameterPath?: string;
  readonly governance: GovernancePolicy;
  /** Retries of a failed training job. @default 2 */
  readonly trainingRetries?: number;
  /** @default Duration.seconds(60) */
  readonly trainingRetryInterval?: Duration;
  /** @default 2 */
  readonly trainingRetryBackoffRate?: number;
  /** @default Duration.hours(24) */
  readonly timeout?: Duration;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class RetrainingPipeline extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** The state machine's task function. */
  public readonly tasks: PlatformFunction;
  /** The retraining routes' function. */
  public readonly handler: PlatformFunction;
  /** The role SageMaker training jobs run as. */
  public readonly trainingRole: iam.Role;
  /** The reference trainer image (built by `cdk deploy`; synth only hashes the directory). */
  public readonly trainerImage: ecrAssets.DockerImageAsset;
  /** The data-volume check's function; undefined when no model has `newRowsThreshold`. */
  public readonly dataVolumeCheck?: PlatformFunction;
  /** Each model's `RetrainingConfig` as an SSM String parameter, read by model name. */
  public readonly configParameters: ModelParameters;

  constructor(scope: Construct, id: string, props: RetrainingPipelineProps) {
    super(scope, id);
    const retries = props.trainingRetries ?? PIPELINE_DEFAULTS.trainingRetries;
    if (!Number.isInteger(retries) || retries < 0 || retries > 10) {
      throw new Error(`trainingRetries must be an integer 0..10, got ${retries}`);
    }
    const configs = props.configs ?? [];
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const { storage } = props;
    const stack = Stack.of(this);

    this.trainerImage = new ecrAssets.DockerImageAsset(this, 'ReferenceTrainer', {
      directory: path.join(REPO_ROOT, REFERENCE_TRAINER_DIR),
      platform: ecrAssets.Platform.LINUX_AMD64,
    });
    this.trainingRole = new iam.Role(this, 'TrainingRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com'),
      description: 'SageMaker training jobs of the retraining pipeline: read channels, write models',
    });
    storage.artifactsBucket.grantRead(this.trainingRole, `${PIPELINE_PREFIX}*`);
    storage.artifactsBucket.grantPut(this.trainingRole, `${PIPELINE_PREFIX}*`);
    storage.key.grantEncryptDecrypt(this.trainingRole);
    this.trainerImage.repository.grantPull(this.trainingRole);
    // Training containers log and publish metrics as the training role: the log group SageMaker
    // uses for every job, and only the streams of the platform's jobs (`<job name>/algo-N-<time>`).
    // https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html#sagemaker-roles-createtrainingjob-perms
    const logGroupArn = (resourceName: string) =>
      stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const trainingLogStreamArns = logGroupArn(
      `${TRAINING_JOBS_LOG_GROUP}:log-stream:${trainingJobPrefix(props.envName)}*`,
    );
    this.trainingRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
        resources: [logGroupArn(TRAINING_JOBS_LOG_GROUP)],
      }),
    );
    this.trainingRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [trainingLogStreamArns],
      }),
    );
    this.trainingRole.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
      }),
    );

    // The configs go to Parameter Store, one parameter each; the environment keeps a fixed size.
    this.configParameters = new ModelParameters(this, 'Configs', {
      parameterPath: props.configsParameterPath ?? retrainingConfigsPath(platformStackName(this)),
      values: Object.fromEntries(configs.map((c) => [c.modelName, c])),
      what: 'retraining config',
    });
    const configsEnv: Record<string, string> = this.configParameters.hasParameters
      ? { [ENV.retrainingConfigsPath]: this.configParameters.parameterPath }
      : {};
    const env: Record<string, string> = {
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.pipelineTable]: storage.pipelineTable.tableName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
      ...configsEnv,
      ...(storage.featureRegistryTable
        ? { [ENV.featureRegistryTable]: storage.featureRegistryTable.tableName }
        : {}),
      [ENV.defaultTrainingImage]: this.trainerImage.imageUri,
      [ENV.envName]: props.envName,
    };
    this.tasks = new PlatformFunction(this, 'Tasks', {
      entry: 'lambdas/pipeline/tasks.ts',
      description: 'Retraining pipeline tasks: admit, validate, evaluate, decide, register, finish',
      // Only the tasks plan rollouts (Admit, RegisterChallenger); the routes never read targets.
      environment: props.deploymentTargets.hasTargets
        ? { ...env, [ENV.deploymentTargetsPath]: props.deploymentTargets.parameterPath }
        : env,
      encryptionKey: storage.key,
      removalPolicy,
      memorySize: PIPELINE_DEFAULTS.taskMemoryMiB,
      timeout: PIPELINE_DEFAULTS.taskTimeout,
    });
    storage.pipelineTable.grantReadWriteData(this.tasks);
    if (props.deploymentTargets.hasTargets) props.deploymentTargets.grantRead(this.tasks);
    if (this.configParameters.hasParameters) this.configParameters.grantRead(this.tasks);
    storage.registryTable.grantReadWriteData(this.tasks);
    // Feature view rules only: one consistent GetItem by key, never an index.
    if (storage.featureRegistryTable) {
      this.tasks.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['dynamodb:GetItem'],
          resources: [storage.featureRegistryTable.tableArn],
        }),
      );
    }
    // The audit trail is append-only: PutItem inside transactions, never update or delete.
    this.tasks.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
        resources: [storage.auditTable.tableArn],
      }),
    );
    storage.artifactsBucket.grantReadWrite(this.tasks);
    storage.key.grantEncryptDecrypt(this.tasks);

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      encryptionKey: storage.key,
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(
        retrainingDefinition(this, {
          tasks: this.tasks,
          trainingRoleArn: this.trainingRole.roleArn,
          deploymentStateMachine: props.deploymentStateMachine,
          trainingRetries: retries,
          trainingRetryInterval: props.trainingRetryInterval ?? PIPELINE_DEFAULTS.trainingRetryInterval,
          trainingRetryBackoffRate:
            props.trainingRetryBackoffRate ?? PIPELINE_DEFAULTS.trainingRetryBackoffRate,
          volumeSizeGb: PIPELINE_DEFAULTS.volumeSizeGb,
          instanceCount: PIPELINE_DEFAULTS.instanceCount,
        }),
      ),
      timeout: props.timeout ?? PIPELINE_DEFAULTS.timeout,
      // Tracing and logging add X-Ray and CloudWatch Logs delivery actions on "*": they have no
      // resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html, https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL },
    });
    this.grantTraining(this.stateMachine.role, props.envName);

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/pipeline/handler.ts',
      description: 'Retraining routes: start, stop, list and read runs',
      environment: {
        ...env,
        [ENV.pipelineStateMachineArn]: this.stateMachine.stateMachineArn,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
      },
      encryptionKey: storage.key,
      removalPolicy,
    });
    storage.pipelineTable.grantReadData(this.handler);
    storage.idempotencyTable.grantReadWriteData(this.handler);
    // A keyed start that finds its run's execution already there reads its input, to tell a retry
    // from another request under the same key.
    this.stateMachine.grantExecution(this.handler, 'states:DescribeExecution');
    // The stop route: StopExecution of this state machine's executions only, and the stop's audit
    // record (append-only, as the tasks write theirs).
    this.stateMachine.grantExecution(this.handler, 'states:StopExecution');
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [storage.auditTable.tableArn] }),
    );
    if (this.configParameters.hasParameters) this.configParameters.grantRead(this.handler);
    this.stateMachine.grantStartExecution(this.handler);
    // The approval relay: reads the closed request and answers the run's task token with it.
    storage.registryTable.grantReadData(this.handler);
    this.stateMachine.grantTaskResponse(this.handler);
    new events.Rule(this, 'OnPromotionDecided', {
      eventBus: props.eventBus,
      description:
        "Answer a retraining run's waiting task token when its promotion's approval request closes",
      eventPattern: {
        source: [REGISTRY_EVENT_SOURCE],
        detailType: [RegistryEvent.APPROVAL_DECIDED, RegistryEvent.APPROVAL_EXPIRED],
        detail: { after: { kind: ['promotion'], status: ['APPROVED', 'REJECTED', 'EXPIRED'] } },
      },
      targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 8 })],
    });

    addRetrainingTriggers(this, {
      bus: props.eventBus,
      configs,
      stateMachine: this.stateMachine,
      tasks: this.tasks,
    });
    this.dataVolumeCheck = addDataVolumeChecks(this, {
      configs,
      configParameters: this.configParameters,
      bus: props.eventBus,
      key: storage.key,
      pipelineTable: storage.pipelineTable,
      featureOfflineBucket: storage.featureOfflineBucket,
      removalPolicy,
    });

    acknowledgePipelineFindings({
      scope: this,
      trainingRole: this.trainingRole,
      trainingJobArns: this.trainingJobArns(props.envName),
      trainingLogStreamArns,
      tasks: this.tasks,
      handler: this.handler,
      stateMachine: this.stateMachine,
      deploymentStateMachine: props.deploymentStateMachine,
      artifactsBucket: storage.artifactsBucket,
      registryTable: storage.registryTable,
    });
  }

  /** ARNs of the environment's training jobs: every name starts with `mlops-<envName>-t-`. */
  private trainingJobArns(envName: string): string {
    return Stack.of(this).formatArn({
      service: 'sagemaker',
      resource: 'training-job',
      resourceName: `${trainingJobPrefix(envName)}*`,
    });
  }

  /**
   * SageMaker training (.sync) only on the platform's job name prefix, and PassRole only for the
   * training role to SageMaker.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
   */
  private grantTraining(role: iam.IRole, envName: string): void {
    const stack = Stack.of(this);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [
          'sagemaker:CreateTrainingJob',
          'sagemaker:DescribeTrainingJob',
          'sagemaker:StopTrainingJob',
          'sagemaker:AddTags',
        ],
        resources: [this.trainingJobArns(envName)],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.trainingRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
    // The .sync integration watches the job through this managed rule.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [
          stack.formatArn({
            service: 'events',
            resource: 'rule',
            resourceName: 'StepFunctionsGetEventsForSageMakerTrainingJobsRule',
          }),
        ],
      }),
    );
  }
}
