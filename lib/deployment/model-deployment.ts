import { Arn, ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import {
  CanarySteps,
  type DeploymentTargets,
  deploymentTargetsPath,
  ENDPOINT_CONFIG_DEFAULTS,
} from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { REGISTRY_EVENT_SOURCE, RegistryEvent } from '../../contracts/events';
import type { GovernancePolicy } from '../../contracts/registry';
import type { ModelEndpoint } from '../serving/model-endpoint';
import { platformStackName } from '../shared/capability-stack';
import { acknowledge, acknowledgeFindings } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { stoppedExecutionRule } from '../shared/stopped-execution-rule';
import { DEPLOYMENT_DEFAULTS } from './defaults';
import { grantEndpointInventory } from './inventory-permissions';
import { rolloutDefinition } from './rollout-definition';
import {
  grantEcsRolloutAccess,
  grantLmiRolloutAccess,
  grantPackaging,
  grantRolloutAccess,
} from './rollout-permissions';
import { DeploymentTargetParameters } from './target-parameters';

/** The state a rollout reads and writes; `PlatformStorage` provides all of it. */
export interface DeploymentStorage {
  readonly key: kms.IKey;
  readonly artifactsBucket: s3.IBucket;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
  /** Rollout records and locks (`DEPLOYMENTS_TABLE`). */
  readonly deploymentsTable: dynamodb.ITable;
  /**
   * The LLM table, whose served-model and split records LLM endpoints' model rollouts write.
   * @default - none; required with `modelRolloutTargets`
   */
  readonly llmTable?: dynamodb.ITable;
}

/** One endpoint rollouts may target, with its canary settings. */
export interface DeploymentTargetProps {
  readonly endpoint: ModelEndpoint;
  /** @default [5, 100] */
  readonly canarySteps?: number[];
  /** Bake time per step. @default 10 minutes */
  readonly bakeMinutes?: number;
  /** Alarm and endpoint read interval of this target's rollouts. @default - `alarmCheckInterval` */
  readonly alarmCheckSeconds?: number;
}

/** Properties of `ModelDeployment`. */
export interface ModelDeploymentProps {
  readonly storage: DeploymentStorage;
  /** Endpoints rollouts may change; IAM is scoped to exactly these. @default - none */
  readonly targets?: readonly DeploymentTargetProps[];
  /**
   * Prompts rolled out by canary (`promptRolloutTargets`), by prompt name: the tasks move the
   * prompt's `production` alias and read its alarms, nothing else. @default - none
   */
  readonly promptTargets?: Readonly<DeploymentTargets>;
  /**
   * LLM endpoints whose model rolls out by canary (`modelRolloutTargets`), by rollout subject: the
   * tasks write the endpoint's split and served-model records in `storage.llmTable` and read its
   * alarms; on an LMI endpoint (a target with `lmi`) they also drive its SageMaker variants, models
   * and configs (`grantLmiRolloutAccess`), nothing else. @default - none
   */
  readonly modelRolloutTargets?: Readonly<DeploymentTargets>;
  /** The governance policy promotion must pass (the registry's). */
  readonly governance: GovernancePolicy;
  /**
   * The platform bus: an approved rollout request (ApprovalDecided, APPROVED, of kind `rollout`)
   * starts its rollout through the route's function.
   * @default - rollouts of models that ask for sign-off wait forever once approved
   */
  readonly eventBus?: events.IEventBus;
  /**
   * The platform's environment: `GET /endpoints` may describe its endpoints (`mlops-<envName>-*`).
   * @default - the inventory route cannot read the endpoints' state
   */
  readonly envName?: string;
  /**
   * How often the alarms are read while baking, and the endpoint while updating.
   * @default Duration.minutes(1)
   */
  readonly alarmCheckInterval?: Duration;
  /**
   * The SSM path the targets are stored under, one String parameter per model.
   * @default - `/cdk-mlops/<stack name>/deployment-targets`
   */
  readonly targetsParameterPath?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Canary rollouts of registry versions to model endpoints: a Step Functions state machine (see
 * `rollout-definition.ts`) run by one task Lambda, and the rollout route's Lambda that starts and
 * reports executions. One rollout per model at a time (a conditional-write lock); every step and
 * decision is an audit record, published as a `cdk-mlops.deployment` event by the outbox.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/deployment-guardrails.html
 */
export class ModelDeployment extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  /** Runs every Task state. */
  public readonly tasks: PlatformFunction;
  /** Serves the `deployment` routes. */
  public readonly handler: PlatformFunction;
  /** Per-model rollout settings (what the route plans rollouts with), by model name. */
  public readonly targets: DeploymentTargets;
  /** The targets as SSM parameters, which the functions read at run time. */
  public readonly targetParameters: DeploymentTargetParameters;
  /**
   * Approved rollouts whose start failed for good (the handler's asynchronous invocation by the
   * approval's event, after Lambda's retries): the event, for a person to see and redrive.
   */
  public readonly approvedRolloutFailures?: sqs.Queue;

  private readonly registryTableArn: string;
  private readonly deploymentsTableArn: string;
  private readonly targetProps: readonly DeploymentTargetProps[];
  private readonly storage: DeploymentStorage;
  private readonly governance: GovernancePolicy;

  constructor(scope: Construct, id: string, props: ModelDeploymentProps) {
    super(scope, id);
    const { storage } = props;
    this.registryTableArn = storage.registryTable.tableArn;
    this.deploymentsTableArn = storage.deploymentsTable.tableArn;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const checkSeconds = props.alarmCheckInterval?.toSeconds() ?? ENDPOINT_CONFIG_DEFAULTS.alarmCheckSeconds;
    const targetProps = props.targets ?? [];
    this.targetProps = targetProps;
    this.storage = storage;
    this.governance = props.governance;
    const common = {
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.deploymentsTable]: storage.deploymentsTable.tableName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
    };

    const promptTargets = props.promptTargets ?? {};
    const modelTargets = props.modelRolloutTargets ?? {};
    const endpointTargets = deploymentTargets(targetProps, checkSeconds);
    for (const name of Object.keys(promptTargets)) {
      if (Object.hasOwn(endpointTargets, name))
        throw new Error(`promptTargets ${name}: a model of that name already has an endpoint target`);
    }
    if (Object.keys(modelTargets).length > 0 && !storage.llmTable)
      throw new Error('modelRolloutTargets need storage.llmTable, where their records are written');
    this.targets = { ...endpointTargets, ...promptTargets, ...modelTargets };
    this.targetParameters = new DeploymentTargetParameters(this, 'Targets', {
      parameterPath: props.targetsParameterPath ?? deploymentTargetsPath(platformStackName(this)),
      targets: this.targets,
    });
    const targetsEnv: Record<string, string> = this.targetParameters.hasTargets
      ? { [ENV.deploymentTargetsPath]: this.targetParameters.parameterPath }
      : {};
    this.tasks = new PlatformFunction(this, 'Tasks', {
      entry: 'lambdas/deployment/tasks.ts',
      description: 'cdk-mlops canary rollout tasks',
      // The tasks drive the resources the targets name (ECS services, listeners), never the input's.
      environment: { ...common, ...targetsEnv },
      encryptionKey: storage.key,
      removalPolicy,
      timeout: DEPLOYMENT_DEFAULTS.taskTimeout,
    });
    if (this.targetParameters.hasTargets) this.targetParameters.grantRead(this.tasks);
    grantRolloutAccess(this.tasks, targetProps);
    grantEcsRolloutAccess(this.tasks, targetProps);
    grantLlmRolloutAlarmReads(this.tasks, promptTargets, 'ReadPromptRolloutAlarms');
    grantLlmRolloutAlarmReads(this.tasks, modelTargets, 'ReadModelRolloutAlarms');
    grantLmiRolloutAccess(this.tasks, modelTargets);
    if (storage.llmTable && Object.keys(modelTargets).length > 0)
      grantModelRolloutRecords(this.tasks, storage.llmTable);
    // Endpoint configs name the platform key (data capture, volumes): creating or updating an
    // endpoint on one makes SageMaker create a grant on it for the caller.
    // https://docs.aws.amazon.com/sagemaker/latest/dg/api-permissions-reference.html
    this.tasks.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EndpointKeyGrants',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [storage.key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
    grantPackaging(this.tasks, storage);
    for (const table of [storage.registryTable, storage.deploymentsTable])
      table.grantReadWriteData(this.tasks);
    // The audit trail is append-only to rollouts: records are only added, inside their transactions.
    storage.auditTable.grant(this.tasks, 'dynamodb:PutItem');

    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      encryptionKey: storage.key,
      retention: DEPLOYMENT_DEFAULTS.logRetention,
      removalPolicy,
    });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      definitionBody: sfn.DefinitionBody.fromChainable(rolloutDefinition(this, this.tasks)),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: DEPLOYMENT_DEFAULTS.stateMachineTimeout,
      // Tracing and logging add X-Ray and CloudWatch Logs delivery actions on "*": they have no
      // resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html, https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
      comment: 'cdk-mlops canary rollout: challenger, traffic steps with bakes, promote or roll back',
    });
    // An execution stopped by a person, timed out, or failed past a rollback task's retries runs
    // no further state: its rollout would stay RUNNING, holding the model's lock. Step Functions
    // reports the end on the default bus; the task function finishes the record (FAILED, traffic
    // on the champion, lock released). https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
    stoppedExecutionRule(this, 'OnRolloutStopped', {
      description: 'Finish rollouts whose execution stopped, timed out or failed; release their lock',
      stateMachine: this.stateMachine,
      target: this.tasks,
    });

    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/deployment/handler.ts',
      description: 'cdk-mlops rollout API',
      environment: {
        ...common,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
        [ENV.deploymentStateMachineArn]: this.stateMachine.stateMachineArn,
        ...targetsEnv,
      },
      encryptionKey: storage.key,
      removalPolicy,
    });
    if (this.targetParameters.hasTargets) this.targetParameters.grantRead(this.handler);
    this.stateMachine.grantStartExecution(this.handler);
    this.stateMachine.grantExecution(this.handler, 'states:DescribeExecution');
    // A governed rollout opens its approval request in the registry table.
    for (const table of [storage.registryTable, storage.deploymentsTable, storage.idempotencyTable])
      table.grantReadWriteData(this.handler);
    storage.auditTable.grant(this.handler, 'dynamodb:PutItem');
    if (props.envName) grantEndpointInventory(this.handler, props.envName, targetProps);
    if (props.eventBus) {
      new events.Rule(this, 'OnRolloutApproved', {
        eventBus: props.eventBus,
        description: 'Start the rollout an approval request stood for once its quorum approved it',
        eventPattern: {
          source: [REGISTRY_EVENT_SOURCE],
          detailType: [RegistryEvent.APPROVAL_DECIDED],
          detail: { after: { status: ['APPROVED'], kind: ['rollout'] } },
        },
        targets: [new targets.LambdaFunction(this.handler, { retryAttempts: 8 })],
      });
      // The rule's retries cover delivery only: an invocation that fails (a throttled table) is
      // retried twice by Lambda and then dropped, and the approved rollout would never start.
      // Kept in a queue instead, which the platform alarms on. The API's synchronous calls to the
      // same function are not asynchronous invocations: this changes nothing for them.
      this.approvedRolloutFailures = new sqs.Queue(this, 'ApprovedRolloutFailures', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: storage.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        removalPolicy,
      });
      acknowledge(
        this.approvedRolloutFailures,
        'AwsSolutions-SQS3',
        "This queue is the on-failure destination of the rollout handler's asynchronous invocations; a DLQ for a DLQ adds nothing.",
      );
      new lambda.EventInvokeConfig(this, 'ApprovedRolloutInvokeConfig', {
        function: this.handler,
        retryAttempts: 2,
        onFailure: new destinations.SqsDestination(this.approvedRolloutFailures),
      });
    }
    this.acknowledgeFindings();
  }

  /**
   * Lets `fn` (an experiment's) hold a target endpoint's challenger variant through the rollout's
   * backends, with the rollout tasks' own access to those endpoints (SageMaker or ECS, packaging,
   * the endpoints' alarms), and start a rollout of a winner as the route does. Adds the environment
   * those read: the targets' path, the artifacts bucket, the governance policy, the state machine.
   */
  public grantExperimentServing(fn: PlatformFunction): void {
    const { storage } = this;
    fn.addEnvironment(ENV.artifactsBucket, storage.artifactsBucket.bucketName);
    fn.addEnvironment(ENV.governancePolicy, JSON.stringify(this.governance));
    fn.addEnvironment(ENV.deploymentStateMachineArn, this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartExecution(fn);
    if (!this.targetParameters.hasTargets) return;
    fn.addEnvironment(ENV.deploymentTargetsPath, this.targetParameters.parameterPath);
    this.targetParameters.grantRead(fn);
    grantRolloutAccess(fn, this.targetProps);
    grantEcsRolloutAccess(fn, this.targetProps);
    grantPackaging(fn, storage);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'EndpointKeyGrants',
        actions: ['kms:CreateGrant', 'kms:DescribeKey'],
        resources: [storage.key.keyArn],
        conditions: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      }),
    );
  }

  /**
   * Lets `fn` (the LLM route function) start prompt and model rollouts as the rollout route starts
   * a model's, and read a running prompt rollout's split and a model rollout's record: the state
   * machine (start only), the targets, the deployments table (lock, record, routing) and the audit
   * trail (the start's record). Adds the environment those read.
   */
  public grantLlmRollouts(fn: PlatformFunction): void {
    fn.addEnvironment(ENV.deploymentsTable, this.storage.deploymentsTable.tableName);
    fn.addEnvironment(ENV.deploymentStateMachineArn, this.stateMachine.stateMachineArn);
    this.stateMachine.grantStartExecution(fn);
    this.storage.deploymentsTable.grantReadWriteData(fn);
    this.storage.auditTable.grant(fn, 'dynamodb:PutItem');
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledgeFindings(policy, 'AwsSolutions-IAM5', [
        [{ arn: `${this.deploymentsTableArn}/index/*` }, 'The table grant covers the deployments GSIs.'],
      ]);
    }
    if (!this.targetParameters.hasTargets) return;
    fn.addEnvironment(ENV.deploymentTargetsPath, this.targetParameters.parameterPath);
    this.targetParameters.grantRead(fn);
  }

  private acknowledgeFindings(): void {
    const stack = Stack.of(this);
    const kmsGrant = "CDK's KMS grant for the CMK-encrypted tables, scoped to the one platform key.";
    for (const fn of [this.tasks, this.handler]) {
      // On the role, so the acknowledgements also cover the managed policies CDK moves statements
      // into when the role's inline policy outgrows IAM's size limit (`OverflowPolicyN`).
      const ack = (finding: string, reason: string) =>
        acknowledge(fn.role!, 'AwsSolutions-IAM5', reason, finding);
      ack(
        'Resource::*',
        'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      );
      ack('Action::kms:ReEncrypt*', kmsGrant);
      ack('Action::kms:GenerateDataKey*', kmsGrant);
      acknowledge(
        fn.role!,
        'AwsSolutions-IAM5',
        "The table grant covers the registry table's GSIs (reads by the registry's own store).",
        { arn: `${this.registryTableArn}/index/*` },
      );
      acknowledge(
        fn.role!,
        'AwsSolutions-IAM5',
        "The table grant covers the deployments table's byCreatedAt index (a model's rollouts, newest first).",
        { arn: `${this.deploymentsTableArn}/index/*` },
      );
    }
    // The same ARN `grantExecution` builds: executions of this state machine.
    const executions = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${Arn.split(this.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    acknowledge(
      this.handler.role!.node.findChild('DefaultPolicy'),
      'AwsSolutions-IAM5',
      'Executions are named by deployment id; the route reads any execution of this one state machine.',
      { arn: executions },
    );
    const smRole = this.stateMachine.role.node.tryFindChild('DefaultPolicy');
    if (smRole) {
      acknowledge(
        smRole,
        'AwsSolutions-IAM5',
        'X-Ray and CloudWatch Logs delivery actions of Step Functions have no resource-level permissions.',
        'Resource::*',
      );
      acknowledge(
        smRole,
        `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(this.tasks.node.defaultChild as never)}.Arn>:*]`,
        "CDK's LambdaInvoke grant covers the task function's versions and aliases.",
      );
    }
  }
}

/** DescribeAlarms on the alarms prompt or model rollouts on LLM endpoints watch, by name. */
function grantLlmRolloutAlarmReads(
  fn: PlatformFunction,
  targets: Readonly<DeploymentTargets>,
  sid: string,
): void {
  const names = Object.values(targets).flatMap((t) => t.alarmNames);
  if (names.length === 0) return;
  const stack = Stack.of(fn);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid,
      actions: ['cloudwatch:DescribeAlarms'],
      resources: names.map((name) =>
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: name,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    }),
  );
}

/**
 * Reads and conditioned writes of the LLM endpoints' served-model and split records, and only those:
 * items whose partition key starts `ENDPOINT#` (`llmKeys`), never usage, cache or collections.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
 */
function grantModelRolloutRecords(fn: PlatformFunction, llmTable: dynamodb.ITable): void {
  fn.addEnvironment(ENV.llmTable, llmTable.tableName);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'WriteModelRolloutRecords',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
      resources: [llmTable.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['ENDPOINT#*'] } },
    }),
  );
}

/** The per-model rollout settings, stored as `DeploymentTargetParameters`. */
function deploymentTargets(
  targets: readonly DeploymentTargetProps[],
  checkSeconds: number,
): DeploymentTargets {
  const out: DeploymentTargets = {};
  for (const t of targets) {
    const steps = t.canarySteps ?? [...ENDPOINT_CONFIG_DEFAULTS.canarySteps];
    const parsed = CanarySteps.safeParse(steps);
    if (!parsed.success) {
      throw new Error(
        `canarySteps of ${t.endpoint.modelName} ${parsed.error.issues[0].message}, got ${JSON.stringify(steps)}`,
      );
    }
    out[t.endpoint.modelName] = {
      endpointName: t.endpoint.endpointName,
      backend: t.endpoint.backend,
      canarySteps: steps,
      bakeMinutes: t.bakeMinutes ?? ENDPOINT_CONFIG_DEFAULTS.bakeMinutes,
      alarmCheckSeconds: t.alarmCheckSeconds ?? checkSeconds,
      alarmNames: [...t.endpoint.watchedAlarmNames],
      ...(t.endpoint.sageMaker?.endpointConfig.endpointConfigName
        ? { initialEndpointConfigName: t.endpoint.sageMaker.endpointConfig.endpointConfigName }
        : {}),
      ...(t.endpoint.sageMaker ? { scaling: t.endpoint.sageMaker.scaling } : {}),
      ...(t.endpoint.ecs ? { scaling: t.endpoint.ecs.scaling } : {}),
      ...(t.endpoint.ecs ? { ecs: t.endpoint.ecs.rolloutTarget() } : {}),
    };
  }
  return out;
}
