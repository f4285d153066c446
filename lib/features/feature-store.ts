import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import {
  STREAM_HEARTBEAT_SECONDS,
  STREAM_MAX_BATCHING_WINDOW_SECONDS,
} from '../../contracts/feature-streams';
import {
  type DeclaredFeatureView,
  DeclaredFeatureViews,
  FEATURE_BUCKET_LAYOUT,
  FRESHNESS_METRIC,
} from '../../contracts/features';
import { platformStackName } from '../shared/capability-stack';
import { pascal } from '../shared/construct-id';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { FEATURE_STORE_DEFAULTS, OFFLINE_BUCKET_ACCESS_LOGS_PREFIX } from './defaults';
import { grantFeatureStorage, grantTrainingQueries } from './grants';

/** The state the feature store uses; `PlatformStorage` provides all of it. */
export interface FeatureStoreStorage {
  /** Encrypts the offline bucket, the Athena results and the functions' logs. */
  readonly key: kms.IKey;
  /** Feature views, versions, watermarks and training-set jobs (`FEATURE_REGISTRY_TABLE`). */
  readonly featureRegistryTable: dynamodb.ITable;
  /** The online store (`ONLINE_STORE_TABLE`). */
  readonly onlineStoreTable: dynamodb.ITable;
  /** The audit trail and event outbox; feature view changes are appended to it. */
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
  /** Target of the offline bucket's server access logs. */
  readonly accessLogsBucket: s3.IBucket;
}

/** Properties of `FeatureStore`. */
export interface FeatureStoreProps {
  readonly storage: FeatureStoreStorage;
  /**
   * Feature views `cdk deploy` creates or evolves, validated as `mlops:featureViews` is; each with
   * `materializeEveryMinutes` or `expectedIntervalSeconds` gets a schedule, the latter an alarm.
   * @default - none
   */
  readonly featureViews?: readonly DeclaredFeatureView[];
  /**
   * Glue database holding one table per feature view version (created by the worker on first use).
   * @default - `<stack name>_features`, lowercased, `-` as `_`
   */
  readonly glueDatabaseName?: string;
  /**
   * Create the feature stream (Kinesis, KMS-encrypted) and its consumer, which feeds every view
   * whose source is `stream`, declared here or created through the API.
   * @default - true when a declared view has a stream source
   */
  readonly featureStream?: boolean;
  /**
   * Lambda's tumbling window over the feature stream: how long tiles accumulate in the window's
   * state before they are merged into the online store (the bound on online staleness).
   * @default Duration.minutes(1)
   */
  readonly streamTumblingWindow?: Duration;
  /**
   * What happens to the offline bucket and the functions' log groups on removal.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The feature store: the API function (views, push, online lookup, materialization, training
 * sets), the training-set worker it invokes asynchronously (Athena over the offline Parquet), the
 * scheduled materializer, the offline bucket, a Glue database and an encrypted Athena workgroup,
 * a schedule and freshness alarm per declared view, and a custom resource declaring the views.
 *
 * @see https://docs.feast.dev/getting-started/architecture
 * @see https://docs.aws.amazon.com/athena/latest/ug/workgroups-settings.html
 */
export class FeatureStore extends Construct {
  /** Serves every `features` route. */
  public readonly handler: PlatformFunction;
  /** Builds training sets (invoked asynchronously by `handler`). */
  public readonly trainingSetWorker: PlatformFunction;
  /** Incremental materialization and freshness, per declared view on a schedule. */
  public readonly materializer: PlatformFunction;
  /** Append-only Parquet history, manifests, training sets and Athena results. */
  public readonly offlineBucket: s3.Bucket;
  public readonly glueDatabase: glue.CfnDatabase;
  public readonly workGroup: athena.CfnWorkGroup;
  /** Materialization schedules by view name. */
  public readonly schedules: Readonly<Record<string, events.Rule>>;
  /** Freshness alarms by view name. */
  public readonly freshnessAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** The feature stream, when created (see `featureStream`). */
  public readonly stream?: kinesis.Stream;
  /** Ingests the feature stream into the tiles and the offline store. */
  public readonly streamConsumer?: PlatformFunction;
  /** Puts a heartbeat record on each open shard every minute, so a quiet stream's windows close. */
  public readonly streamHeartbeat?: PlatformFunction;
  /** Where batches that exhausted their retries are described (the mapping's on-failure destination). */
  public readonly streamFailures?: sqs.Queue;

  constructor(scope: Construct, id: string, props: FeatureStoreProps) {
    super(scope, id);
    const { storage } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const views = parseViews(props.featureViews ?? []);
    const stackName = platformStackName(this);
    const databaseName =
      props.glueDatabaseName ?? `${stackName}_features`.toLowerCase().replace(/[^a-z0-9_]/g, '_');

    this.offlineBucket = new s3.Bucket(this, 'OfflineBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: storage.key,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: storage.accessLogsBucket,
      serverAccessLogsPrefix: OFFLINE_BUCKET_ACCESS_LOGS_PREFIX,
      lifecycleRules: [
        {
          id: 'ExpireTrainingSets',
          prefix: FEATURE_BUCKET_LAYOUT.training,
          expiration: FEATURE_STORE_DEFAULTS.trainingSetExpiration,
        },
        {
          id: 'ExpireAthenaResults',
          prefix: FEATURE_BUCKET_LAYOUT.athenaResults,
          expiration: FEATURE_STORE_DEFAULTS.athenaResultsExpiration,
        },
      ],
      removalPolicy,
      autoDeleteObjects: removalPolicy === RemovalPolicy.DESTROY,
    });

    this.glueDatabase = new glue.CfnDatabase(this, 'GlueDatabase', {
      catalogId: Stack.of(this).account,
      databaseInput: {
        name: databaseName,
        description: 'cdk-mlops feature views (one table per view version)',
      },
    });
    this.workGroup = new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: `${stackName}-features`,
      description: 'cdk-mlops point-in-time training sets',
      recursiveDeleteOption: removalPolicy === RemovalPolicy.DESTROY,
      workGroupConfiguration: {
        // Callers cannot point results elsewhere or turn encryption off.
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: FEATURE_STORE_DEFAULTS.bytesScannedCutoffPerQuery,
        resultConfiguration: {
          outputLocation: this.offlineBucket.s3UrlForObject(FEATURE_BUCKET_LAYOUT.athenaResults),
          encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: storage.key.keyArn },
        },
      },
    });

    const environment = {
      [ENV.featureRegistryTable]: storage.featureRegistryTable.tableName,
      [ENV.onlineStoreTable]: storage.onlineStoreTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
      [ENV.featureOfflineBucket]: this.offlineBucket.bucketName,
      [ENV.featureOfflineEngine]: 'athena',
      [ENV.featureGlueDatabase]: databaseName,
      [ENV.featureAthenaWorkgroup]: this.workGroup.name,
    };
    const fn = (
      fid: string,
      entry: string,
      description: string,
      extra: Partial<{ timeout: Duration; memorySize: number }> = {},
    ) =>
      new PlatformFunction(this, fid, {
        entry: `lambdas/features/${entry}`,
        description,
        environment,
        encryptionKey: storage.key,
        removalPolicy,
        ...extra,
      });
    this.trainingSetWorker = fn(
      'TrainingSetWorker',
      'training-set-worker.ts',
      'cdk-mlops training sets (Athena)',
      {
        timeout: FEATURE_STORE_DEFAULTS.workerTimeout,
      },
    );
    this.handler = fn('Handler', 'handler.ts', 'cdk-mlops feature store API', {
      memorySize: FEATURE_STORE_DEFAULTS.handlerMemorySize,
    });
    this.handler.addEnvironment(ENV.featureTrainingWorkerFunction, this.trainingSetWorker.functionName);
    this.materializer = fn(
      'Materializer',
      'materialize.ts',
      'cdk-mlops scheduled materialization and freshness',
      {
        timeout: FEATURE_STORE_DEFAULTS.materializerTimeout,
      },
    );

    grantFeatureStorage(this.handler, {
      storage,
      bucket: this.offlineBucket,
      appendsAudit: true,
      invokes: this.trainingSetWorker,
    });
    storage.idempotencyTable.grantReadWriteData(this.handler);
    grantFeatureStorage(this.trainingSetWorker, { storage, bucket: this.offlineBucket, appendsAudit: false });
    grantTrainingQueries(this.trainingSetWorker, {
      workGroup: this.workGroup,
      glueDatabase: this.glueDatabase,
      key: storage.key,
    });
    grantFeatureStorage(this.materializer, { storage, bucket: this.offlineBucket, appendsAudit: false });

    const schedules: Record<string, events.Rule> = {};
    const alarms: Record<string, cloudwatch.Alarm> = {};
    for (const view of views) {
      const every =
        view.materializeEveryMinutes ??
        (view.expectedIntervalSeconds ? FEATURE_STORE_DEFAULTS.freshnessCheckEveryMinutes : undefined);
      if (every === undefined) continue;
      schedules[view.name] = new events.Rule(this, `Materialize${pascal(view.name)}`, {
        description: `Materialize feature view ${view.name} and report its freshness`,
        schedule: events.Schedule.rate(Duration.minutes(every)),
        targets: [
          new targets.LambdaFunction(this.materializer, {
            event: events.RuleTargetInput.fromObject({ featureView: view.name }),
          }),
        ],
      });
      if (view.expectedIntervalSeconds === undefined) continue;
      alarms[view.name] = this.metricFreshness(view.name, {
        period: Duration.minutes(Math.max(5, every)),
      }).createAlarm(this, `FreshnessAlarm${pascal(view.name)}`, {
        alarmDescription: `Newest row of feature view ${view.name} is older than ${view.expectedIntervalSeconds} s`,
        threshold: view.expectedIntervalSeconds,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        // No reading means the materializer did not run or the view has no rows: stale either way.
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
    }
    this.schedules = schedules;
    this.freshnessAlarms = alarms;

    if (props.featureStream ?? views.some((v) => v.source.type === 'stream')) {
      const window = props.streamTumblingWindow ?? FEATURE_STORE_DEFAULTS.streamTumblingWindow;
      if (!window.isUnresolved() && (window.toSeconds() < 1 || window.toSeconds() > 900)) {
        throw new Error(`streamTumblingWindow must be 1..900 seconds, got ${window.toSeconds()}`);
      }
      this.stream = new kinesis.Stream(this, 'FeatureStream', {
        encryption: kinesis.StreamEncryption.KMS,
        encryptionKey: storage.key,
        streamMode: kinesis.StreamMode.ON_DEMAND,
        removalPolicy,
      });
      this.streamFailures = new sqs.Queue(this, 'StreamFailures', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: storage.key,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      acknowledge(
        this.stream,
        'AwsSolutions-KDS3',
        'Encrypted with the platform customer-managed key, which the platform rotates, not aws/kinesis.',
      );
      acknowledge(
        this.streamFailures,
        'AwsSolutions-SQS3',
        'This queue is itself the dead letter: the on-failure destination of the stream mapping.',
      );
      const consumer = fn('StreamConsumer', 'stream-consumer.ts', 'cdk-mlops feature stream consumer', {
        timeout: FEATURE_STORE_DEFAULTS.streamConsumerTimeout,
      });
      this.streamConsumer = consumer;
      grantFeatureStorage(consumer, { storage, bucket: this.offlineBucket, appendsAudit: false });
      // CfnEventSourceMapping: the L2 KinesisEventSource grants the read; the L1 names every
      // property the local mapping reads back from the template.
      this.stream.grantRead(consumer);
      this.streamFailures.grantSendMessages(consumer);
      new lambda.CfnEventSourceMapping(this, 'StreamMapping', {
        functionName: consumer.functionName,
        eventSourceArn: this.stream.streamArn,
        startingPosition: 'TRIM_HORIZON',
        batchSize: FEATURE_STORE_DEFAULTS.streamBatchSize,
        maximumBatchingWindowInSeconds: STREAM_MAX_BATCHING_WINDOW_SECONDS,
        tumblingWindowInSeconds: window.toSeconds(),
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: FEATURE_STORE_DEFAULTS.streamMaximumRetryAttempts,
        functionResponseTypes: ['ReportBatchItemFailures'],
        destinationConfig: { onFailure: { destination: this.streamFailures.queueArn } },
      }).node.addDependency(consumer.role!);

      const heartbeat = new PlatformFunction(this, 'StreamHeartbeat', {
        entry: 'lambdas/features/stream-heartbeat.ts',
        description: 'cdk-mlops feature stream heartbeat',
        environment: { [ENV.featureStreamName]: this.stream.streamName },
        encryptionKey: storage.key,
        removalPolicy,
      });
      this.streamHeartbeat = heartbeat;
      // Exactly what it calls, on the stream, and the data key a producer to a CMK-encrypted
      // stream needs (CDK's grantWrite would add ReEncrypt* and GenerateDataKey* wildcards).
      heartbeat.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'PutHeartbeats',
          actions: ['kinesis:ListShards', 'kinesis:PutRecords'],
          resources: [this.stream.streamArn],
        }),
      );
      storage.key.grant(heartbeat, 'kms:GenerateDataKey');
      acknowledge(
        heartbeat.role!,
        'AwsSolutions-IAM5',
        'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
        'Resource::*',
      );
      new events.Rule(this, 'StreamHeartbeatSchedule', {
        description: 'Close the feature stream consumer windows while no event arrives',
        schedule: events.Schedule.rate(Duration.seconds(STREAM_HEARTBEAT_SECONDS)),
        targets: [new targets.LambdaFunction(heartbeat, { retryAttempts: 2 })],
      });
    }

    if (views.length > 0) this.declareViews(views, storage, environment, removalPolicy);
  }

  /**
   * Age in seconds of the newest offline row of a view, as the materializer reports it.
   * @default - maximum over 5 minutes
   */
  public metricFreshness(featureView: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: FRESHNESS_METRIC.namespace,
      metricName: FRESHNESS_METRIC.name,
      dimensionsMap: { FeatureView: featureView },
      statistic: 'Maximum',
      period: Duration.minutes(5),
      ...props,
    });
  }

  /** Lets `grantee` read the offline store's Parquet files (e.g. a drift job reading features). */
  public grantReadOffline(grantee: iam.IGrantable): iam.Grant {
    return this.offlineBucket.grantRead(grantee);
  }

  private declareViews(
    views: readonly DeclaredFeatureView[],
    storage: FeatureStoreStorage,
    environment: Record<string, string>,
    removalPolicy: RemovalPolicy,
  ) {
    const declarer = new PlatformFunction(this, 'ViewDeclarer', {
      entry: 'lambdas/features/declare-views.ts',
      description: 'cdk-mlops: creates the feature views declared in mlops:featureViews',
      environment,
      encryptionKey: storage.key,
      removalPolicy,
    });
    grantFeatureStorage(declarer, { storage, bucket: this.offlineBucket, appendsAudit: true });
    const resource = new CustomResource(this, 'DeclaredViews', {
      serviceToken: declarer.functionArn,
      // Passed as JSON text: CloudFormation turns every property value into a string anyway.
      properties: { views: JSON.stringify(views) },
    });
    resource.node.addDependency(storage.featureRegistryTable, storage.auditTable);
  }
}

function parseViews(views: readonly DeclaredFeatureView[]): DeclaredFeatureView[] {
  const parsed = DeclaredFeatureViews.safeParse(views);
  if (parsed.success) return parsed.data;
  throw new Error(
    parsed.error.issues.map((i) => `featureViews.${i.path.join('.')}: ${i.message}`).join('; '),
  );
}
