import { Fn, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import {
  type MonitoredModel,
  MonitoringConfig,
  type MonitoringSettings,
  monitoredModelsPath,
} from '../../contracts/monitoring';
import {
  MONITORING_METRICS_NAMESPACE,
  MONITORING_PREFIX,
  MonitoringMetric,
} from '../../contracts/monitoring-names';
import type { GovernancePolicy } from '../../contracts/registry';
import { platformStackName } from '../shared/capability-stack';
import { pascal } from '../shared/construct-id';
import { ModelParameters } from '../shared/model-parameters';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { allowCloudWatchLogsToUseKey } from '../storage/platform-storage';
import { LAMBDA_RETRY_ERRORS, MONITORING_DEFAULTS } from './defaults';

/** The state monitoring reads and writes; `PlatformStorage` provides all of it. */
export interface MonitoringStorage {
  readonly key: kms.IKey;
  /** Capture files, training data, profiles and reports (under `monitoring/`). */
  readonly artifactsBucket: s3.IBucket;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  /** Watermarks, report index, ground-truth labels. */
  readonly monitoringTable: dynamodb.ITable;
  /** Idempotency records of the API's writes: a keyed request has one effect however retried. */
  readonly idempotencyTable: dynamodb.ITable;
}

/** Properties of `ModelMonitoring`. */
export interface ModelMonitoringProps {
  readonly storage: MonitoringStorage;
  /**
   * Monitored models, capture prefix and fan-out threshold (the `mlops:monitoring` block).
   * @default - no monitored model: the API works, no schedule runs
   */
  readonly config?: MonitoringConfig;
  /**
   * The SSM path of the monitored models' parameters, one per model (see `monitoredModelsPath`).
   * @default - `monitoredModelsPath(<platform stack name>)`
   */
  readonly modelsParameterPath?: string;
  /**
   * The endpoint of a model whose config names none (`mlops:monitoring` may leave it out).
   * @default - every monitored model must name its endpoint
   */
  readonly endpointNameOf?: (modelName: string) => string;
  /**
   * The platform's governance policy, so the registry service monitoring tags versions through
   * runs with the policy the registry itself enforces.
   * @default - the registry's default policy
   */
  readonly governance?: GovernancePolicy;
  /**
   * The feature store's offline bucket, readable as a data source.
   * @default - only the platform bucket is readable
   */
  readonly featureOfflineBucket?: s3.IBucket;
  /**
   * The experiments' table: ground truth posted to the API also feeds the ground-truth metrics
   * of the running experiments that served the labelled predictions.
   * @default - ground truth feeds no experiment
   */
  readonly experimentsTable?: dynamodb.ITable;
  /**
   * Distributed Map child executions at once (1..10000).
   * @default 100
   */
  readonly maxConcurrency?: number;
  /** @default logs.RetentionDays.THREE_MONTHS */
  readonly logRetention?: logs.RetentionDays;
  /** What happens to log groups on removal. */
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Drift and model-quality monitoring: the `/monitoring` API function, a scheduled check per
 * monitored model (an EventBridge schedule rule targeting a Lambda), and a Step Functions state
 * machine whose Distributed Map fans a large window out one capture file per iteration (ItemReader
 * over an S3 manifest the check writes) and merges the shard summaries. Reports go to S3,
 * metrics to CloudWatch (`CdkMlops/Monitoring`), with alarms per monitored model.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
export class ModelMonitoring extends Construct {
  public readonly apiHandler: PlatformFunction;
  public readonly checkFunction: PlatformFunction;
  public readonly shardFunction: PlatformFunction;
  public readonly mergeFunction: PlatformFunction;
  /** The fan-out state machine. */
  public readonly stateMachine: sfn.StateMachine;
  /** One schedule rule per monitored model, by model name. */
  public readonly schedules: Readonly<Record<string, events.Rule>>;
  /** Alarms by `<model>/DriftShare` and `<model>/QualityDrop`. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Each monitored model's `MonitoredModel` as an SSM String parameter, read by model name. */
  public readonly modelParameters: ModelParameters;

  constructor(scope: Construct, id: string, props: ModelMonitoringProps) {
    super(scope, id);
    const config = parseConfig(props.config);
    const maxConcurrency = props.maxConcurrency ?? MONITORING_DEFAULTS.maxConcurrency;
    if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 10_000) {
      throw new Error(`maxConcurrency must be 1..10000, got ${maxConcurrency}`);
    }
    const { storage, removalPolicy } = props;
    allowCloudWatchLogsToUseKey(storage.key);
    // The models go to Parameter Store, one parameter each; the environment keeps a fixed size.
    this.modelParameters = new ModelParameters(this, 'Models', {
      parameterPath: props.modelsParameterPath ?? monitoredModelsPath(platformStackName(this)),
      values: Object.fromEntries(
        config.models.map((m) => [
          m.modelName,
          { ...m, endpointName: monitoredEndpoint(m, props.endpointNameOf) },
        ]),
      ),
      what: 'monitored model',
    });
    const settings: MonitoringSettings = {
      capturePrefix: config.capturePrefix,
      maxFilesPerLambda: config.maxFilesPerLambda,
    };
    const environment: Record<string, string> = {
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.monitoringTable]: storage.monitoringTable.tableName,
      [ENV.monitoringSettings]: JSON.stringify(settings),
      ...(this.modelParameters.hasParameters
        ? { [ENV.monitoredModelsPath]: this.modelParameters.parameterPath }
        : {}),
      ...(props.governance ? { [ENV.governancePolicy]: JSON.stringify(props.governance) } : {}),
      ...(props.featureOfflineBucket
        ? { [ENV.featureOfflineBucket]: props.featureOfflineBucket.bucketName }
        : {}),
    };
    const fn = (fid: string, entry: string, description: string, sized: boolean) =>
      new PlatformFunction(this, fid, {
        entry,
        description,
        environment,
        encryptionKey: storage.key,
        removalPolicy,
        logRetention: props.logRetention ?? MONITORING_DEFAULTS.logRetention,
        memorySize: sized ? MONITORING_DEFAULTS.checkMemorySize : MONITORING_DEFAULTS.apiMemorySize,
        timeout: sized ? MONITORING_DEFAULTS.checkTimeout : MONITORING_DEFAULTS.apiTimeout,
      });
    this.apiHandler = fn('Handler', 'lambdas/monitoring/handler.ts', 'cdk-mlops monitoring API', false);
    this.checkFunction = fn(
      'Check',
      'lambdas/monitoring/scheduled-check.ts',
      'cdk-mlops scheduled drift check',
      true,
    );
    this.shardFunction = fn(
      'Shard',
      'lambdas/monitoring/shard-handler.ts',
      'cdk-mlops drift fan-out: one capture file',
      true,
    );
    this.mergeFunction = fn(
      'Merge',
      'lambdas/monitoring/merge-handler.ts',
      'cdk-mlops drift fan-out: merge and report',
      true,
    );

    this.apiHandler.addEnvironment(ENV.idempotencyTable, storage.idempotencyTable.tableName);
    storage.idempotencyTable.grantReadWriteData(this.apiHandler);
    if (props.experimentsTable) {
      // Exposures by BatchGetItem, the experiment by GetItem, outcomes in a transaction of
      // conditional puts, ADD updates and checks that the units were not erased (TransactWriteItems
      // is authorized per item action).
      // @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
      this.apiHandler.addEnvironment(ENV.experimentsTable, props.experimentsTable.tableName);
      this.apiHandler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'FeedExperiments',
          actions: [
            'dynamodb:BatchGetItem',
            'dynamodb:GetItem',
            'dynamodb:PutItem',
            'dynamodb:UpdateItem',
            'dynamodb:ConditionCheckItem',
          ],
          resources: [props.experimentsTable.tableArn],
        }),
      );
    }

    this.stateMachine = this.createStateMachine(storage, maxConcurrency, removalPolicy, props.logRetention);
    for (const f of [this.apiHandler, this.checkFunction]) {
      f.addEnvironment(ENV.monitoringStateMachineArn, this.stateMachine.stateMachineArn);
      this.stateMachine.grantStartExecution(f);
    }
    for (const f of [this.apiHandler, this.checkFunction, this.shardFunction, this.mergeFunction]) {
      this.grantMonitoring(f, storage, config.capturePrefix, props);
      if (this.modelParameters.hasParameters) this.modelParameters.grantRead(f);
    }

    const schedules: Record<string, events.Rule> = {};
    const alarms: Record<string, cloudwatch.Alarm> = {};
    for (const model of config.models) {
      const rule = new events.Rule(this, `Schedule${pascal(model.modelName)}`, {
        description: `cdk-mlops drift check of ${model.modelName}`,
        schedule: events.Schedule.expression(model.schedule),
      });
      rule.addTarget(
        new targets.LambdaFunction(this.checkFunction, {
          event: events.RuleTargetInput.fromObject({ modelName: model.modelName }),
          retryAttempts: 2,
        }),
      );
      schedules[model.modelName] = rule;
      alarms[`${model.modelName}/DriftShare`] = this.metricDriftShare(model.modelName).createAlarm(
        this,
        `DriftAlarm${pascal(model.modelName)}`,
        {
          alarmDescription: `Share of drifted features of ${model.modelName} reached ${model.driftShareThreshold}`,
          threshold: model.driftShareThreshold,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        },
      );
      if (model.quality) {
        alarms[`${model.modelName}/QualityDrop`] = this.metricQualityDrop(model.modelName).createAlarm(
          this,
          `QualityAlarm${pascal(model.modelName)}`,
          {
            alarmDescription: `${model.modelName} lost more than ${model.quality.maxRelativeDrop * 100}% of its baseline`,
            threshold: model.quality.maxRelativeDrop,
            comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          },
        );
      }
    }
    this.schedules = schedules;
    this.alarms = alarms;
  }

  /** Drifted features / features of a model's latest report. @default - maximum over 1 hour */
  public metricDriftShare(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(MonitoringMetric.DRIFT_SHARE, { ModelName: modelName }, props);
  }

  /** 1 when a feature drifted. @default - maximum over 1 hour */
  public metricFeatureDrifted(modelName: string, featureName: string, props?: cloudwatch.MetricOptions) {
    return this.metric(
      MonitoringMetric.FEATURE_DRIFTED,
      { ModelName: modelName, FeatureName: featureName },
      props,
    );
  }

  /** A feature's p-value or distance. @default - maximum over 1 hour */
  public metricDriftScore(modelName: string, featureName: string, props?: cloudwatch.MetricOptions) {
    return this.metric(
      MonitoringMetric.DRIFT_SCORE,
      { ModelName: modelName, FeatureName: featureName },
      props,
    );
  }

  /** Relative drop of the baseline quality metric (> 0 is worse). @default - maximum over 1 hour */
  public metricQualityDrop(modelName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.metric(MonitoringMetric.QUALITY_DROP, { ModelName: modelName }, props);
  }

  /** Failed fan-out executions. @default - sum over 5 minutes */
  public metricFanOutFailures(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.stateMachine.metricFailed(props);
  }

  private metric(name: string, dimensionsMap: Record<string, string>, props?: cloudwatch.MetricOptions) {
    return new cloudwatch.Metric({
      namespace: MONITORING_METRICS_NAMESPACE,
      metricName: name,
      dimensionsMap,
      statistic: 'Maximum',
      period: MONITORING_DEFAULTS.alarmPeriod,
      ...props,
    });
  }

  private createStateMachine(
    storage: MonitoringStorage,
    maxConcurrency: number,
    removalPolicy: RemovalPolicy,
    logRetention?: logs.RetentionDays,
  ): sfn.StateMachine {
    const shard = new tasks.LambdaInvoke(this, 'SummarizeCaptureFile', {
      lambdaFunction: this.shardFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    shard.addRetry({ errors: LAMBDA_RETRY_ERRORS, maxAttempts: 4, backoffRate: 2 });
    const map = new sfn.DistributedMap(this, 'SummarizeShards', {
      itemReader: new sfn.S3JsonItemReader({
        bucketNamePath: sfn.JsonPath.stringAt('$.bucket'),
        key: sfn.JsonPath.stringAt('$.manifestKey'),
      }),
      itemSelector: {
        'key.$': '$$.Map.Item.Value.key',
        'index.$': '$$.Map.Item.Index',
        'runId.$': '$.runId',
        'modelName.$': '$.modelName',
        // The version the check resolved (the champion's when not configured), for every shard.
        'modelVersion.$': '$.modelVersion',
      },
      maxConcurrency,
      toleratedFailurePercentage: MONITORING_DEFAULTS.toleratedFailurePercentage,
      // Summaries travel through S3; the state keeps only the input for the merge step.
      resultPath: sfn.JsonPath.DISCARD,
    });
    map.itemProcessor(shard);
    const merge = new tasks.LambdaInvoke(this, 'MergeAndReport', {
      lambdaFunction: this.mergeFunction,
      payloadResponseOnly: true,
      retryOnServiceExceptions: false,
    });
    merge.addRetry({ errors: LAMBDA_RETRY_ERRORS, maxAttempts: 4, backoffRate: 2 });
    const logGroup = new logs.LogGroup(this, 'StateMachineLogs', {
      encryptionKey: storage.key,
      retention: logRetention ?? MONITORING_DEFAULTS.logRetention,
      removalPolicy,
    });
    const machine = new sfn.StateMachine(this, 'FanOut', {
      comment: 'cdk-mlops drift check of a large capture window: one file per iteration, then merge',
      definitionBody: sfn.DefinitionBody.fromChainable(map.next(merge)),
      queryLanguage: sfn.QueryLanguage.JSON_PATH,
      timeout: MONITORING_DEFAULTS.stateMachineTimeout,
      // Tracing and logging add X-Ray and CloudWatch Logs delivery actions on "*": they have no
      // resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html,
      // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html, https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html).
      tracingEnabled: true,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });
    // The ItemReader reads only run manifests; bucketNamePath adds no statement of its own.
    machine.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadRunManifests',
        actions: ['s3:GetObject'],
        resources: [storage.artifactsBucket.arnForObjects(`${MONITORING_PREFIX}runs/*`)],
      }),
    );
    storage.key.grant(machine, 'kms:Decrypt');
    acknowledge(machine.role.node.tryFindChild('DefaultPolicy'), [
      ['Resource::*', 'X-Ray and CloudWatch Logs delivery actions have no resource-level permissions.'],
      [
        { arn: storage.artifactsBucket.arnForObjects(`${MONITORING_PREFIX}runs/*`) },
        'Manifests are per run id, named at run time; the prefix is the narrowest scope.',
      ],
      [{ arn: `${this.shardFunction.functionArn}:*` }, "CDK's invoke grant covers the function's versions."],
      [{ arn: `${this.mergeFunction.functionArn}:*` }, "CDK's invoke grant covers the function's versions."],
    ]);
    // CDK's Distributed Map policy lets the machine describe and stop its own child executions,
    // whose names are generated at run time.
    // Named as ARNs, so the finding is flattened as cdk-nag prints it whether Region and account
    // are tokens or, with credentials in the CLI's environment, concrete.
    const stack = Stack.of(this);
    const executions = `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${Fn.select(
      6,
      Fn.split(':', machine.stateMachineArn),
    )}`;
    acknowledge(machine.node.tryFindChild('DistributedMapPolicy'), [
      [{ arn: `${executions}:*` }, 'Child executions of this state machine only; their names are generated.'],
      [
        { arn: `${executions}/*:*` },
        'Child executions of this state machine only; their names are generated.',
      ],
    ]);
    return machine;
  }

  private grantMonitoring(
    f: lambda.Function,
    storage: MonitoringStorage,
    capturePrefix: string,
    props: ModelMonitoringProps,
  ) {
    const bucket = storage.artifactsBucket;
    storage.monitoringTable.grantReadWriteData(f);
    // Tagging a version goes through the registry domain: it reads and conditionally writes the
    // version and writes its audit record in one transaction.
    storage.registryTable.grantReadWriteData(f);
    // The audit trail is also the outbox: DriftDetected and QualityDegraded are written there.
    storage.auditTable.grantWriteData(f);
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadPlatformData',
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'WriteMonitoringObjects',
        actions: ['s3:PutObject'],
        resources: [bucket.arnForObjects(`${MONITORING_PREFIX}*`)],
      }),
    );
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListPlatformData',
        actions: ['s3:ListBucket'],
        resources: [bucket.bucketArn],
      }),
    );
    props.featureOfflineBucket?.grantRead(f);
    storage.key.grant(f, 'kms:Decrypt', 'kms:GenerateDataKey');
    // PutMetricData has no resource-level permission; the namespace condition is the scope.
    // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PutMonitoringMetrics',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': MONITORING_METRICS_NAMESPACE } },
      }),
    );
    const kmsGrant = "CDK's KMS grant for the CMK-encrypted tables; scoped to the one platform key.";
    const offlineRead = 'Read-only grant of the feature offline bucket (data sources).';
    acknowledge(f.role?.node.tryFindChild('DefaultPolicy'), [
      [
        'Resource::*',
        'X-Ray segments and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited to the CdkMlops/Monitoring namespace by condition.',
      ],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [
        { arn: bucket.arnForObjects('*') },
        `Capture files (${capturePrefix}), training data and profiles are read wherever the platform keeps them in its own bucket; writes are limited to ${MONITORING_PREFIX}.`,
      ],
      [
        { arn: bucket.arnForObjects(`${MONITORING_PREFIX}*`) },
        'Profiles, reports and run shards are keyed by model and run id under monitoring/.',
      ],
      [
        { arn: `${storage.registryTable.tableArn}/index/*` },
        "The table grant covers the registry table's GSIs.",
      ],
      [{ arn: `${storage.monitoringTable.tableArn}/index/*` }, 'The table grant covers GSIs (none today).'],
      ...(props.featureOfflineBucket
        ? ([
            ['Action::s3:GetObject*', offlineRead],
            ['Action::s3:GetBucket*', offlineRead],
            ['Action::s3:List*', offlineRead],
            [
              { arn: props.featureOfflineBucket.arnForObjects('*') },
              'Offline Parquet files are read by view prefix.',
            ],
          ] as const)
        : []),
    ]);
  }
}

function acknowledge(
  policy: Construct | undefined,
  findings: ReadonlyArray<readonly [Finding, string]>,
): void {
  if (policy) acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}

function parseConfig(config: MonitoringConfig | undefined): MonitoringConfig {
  const parsed = MonitoringConfig.safeParse(config ?? {});
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((i) => `monitoring.${i.path.join('.')}: ${i.message}`).join('; '),
    );
  }
  const names = parsed.data.models.map((m) => m.modelName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`monitoring.models: ${twice} is listed twice`);
  return parsed.data;
}

/** The endpoint a monitored model's capture comes from: as configured, else the platform's. */
function monitoredEndpoint(m: MonitoredModel, endpointNameOf?: (modelName: string) => string): string {
  if (m.endpointName) return m.endpointName;
  if (!endpointNameOf) throw new Error(`monitoring.models ${m.modelName}: endpointName is required`);
  return endpointNameOf(m.modelName);
}
