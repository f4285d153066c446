import { type Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { GovernancePolicy } from '../../contracts/registry';
import { acknowledge, acknowledgeFindings, type Finding } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { allowCloudWatchLogsToUseKey } from '../storage/platform-storage';
import {
  ARTIFACTS_PREFIX,
  FUNCTION_DEFAULTS,
  OUTBOX_DEFAULTS,
  REGISTRY_DEFAULTS,
  UPLOAD_URL_TTL_RANGE,
} from './defaults';

/** The state the registry reads and writes; `PlatformStorage` provides all of it. */
export interface RegistryStorage {
  /**
   * The key encrypting the tables, bucket, log groups and dead-letter queue. An imported key's
   * policy must already let CloudWatch Logs use it (see `allowCloudWatchLogsToUseKey`).
   */
  readonly key: kms.IKey;
  /** Model artifacts; the registry uses keys under `artifacts/` only. */
  readonly artifactsBucket: s3.IBucket;
  /** Models, versions and aliases. */
  readonly registryTable: dynamodb.ITable;
  /** The audit trail; must have a NEW_IMAGE stream: it is the event outbox. */
  readonly auditTable: dynamodb.ITable;
  /** Idempotency records of mutating requests. */
  readonly idempotencyTable: dynamodb.ITable;
}

/** Properties of `ModelRegistry`. */
export interface ModelRegistryProps {
  /** Tables, artifacts bucket and key, typically a `PlatformStorage`. */
  readonly storage: RegistryStorage;
  /**
   * The bus platform events go to.
   * @default - a new custom event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * Keep an archive of the new bus's events for replay, for this long.
   * @default - no archive
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
   */
  readonly eventArchiveRetention?: Duration;
  /** The default governance policy for reaching Production; models may override parts of it. */
  readonly governance: GovernancePolicy;
  /**
   * How often approval requests past their expiry are closed (a decision on one closes it too).
   * @default events.Schedule.rate(Duration.minutes(15))
   */
  readonly approvalSweepSchedule?: events.Schedule;
  /**
   * How long a presigned artifact upload URL stays valid (1 minute..12 hours).
   * @default Duration.minutes(15)
   */
  readonly uploadUrlTtl?: Duration;
  /**
   * Retention of the functions' log groups.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to log groups, the new bus and the dead-letter queue on removal.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The model registry's compute: the registry API function and the outbox publisher that turns
 * audit-table stream records into EventBridge events on the platform bus.
 *
 * The registry function never calls EventBridge: it writes each state change and its audit
 * record in one DynamoDB transaction, and the publisher forwards the audit stream, so events go out
 * (at least once) for exactly the changes that committed. Failed batches are bisected and retried, then
 * parked in an encrypted dead-letter queue.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 * @see https://docs.aws.amazon.com/prescriptive-guidance/latest/cloud-design-patterns/transactional-outbox.html
 */
export class ModelRegistry extends Construct {
  /** The registry API function (serves every `registry` route). */
  public readonly handler: nodejs.NodejsFunction;
  /** Publishes audit-table stream records to the bus. */
  public readonly publisher: nodejs.NodejsFunction;
  /** The platform event bus. */
  public readonly eventBus: events.IEventBus;
  /** Where stream batches go after the publisher's retries are exhausted. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Closes approval requests past their expiry, on `approvalSweepSchedule`. */
  public readonly approvalSweeper: nodejs.NodejsFunction;

  constructor(scope: Construct, id: string, props: ModelRegistryProps) {
    super(scope, id);
    const { storage } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const uploadUrlTtl = props.uploadUrlTtl ?? REGISTRY_DEFAULTS.uploadUrlTtl;
    checkUploadUrlTtl(uploadUrlTtl);
    const governance = parseGovernance(props.governance);
    if (props.eventBus && props.eventArchiveRetention) {
      throw new Error(
        'eventArchiveRetention applies only to a bus this construct creates; archive eventBus yourself',
      );
    }
    if (!storage.auditTable.tableStreamArn) {
      throw new Error('storage.auditTable must have a stream (NEW_IMAGE): it is the event outbox');
    }
    allowCloudWatchLogsToUseKey(storage.key);

    this.eventBus = props.eventBus ?? this.createEventBus(props.eventArchiveRetention, removalPolicy);
    const settings = { key: storage.key, logRetention: props.logRetention, removalPolicy };

    this.handler = this.createFunction('Handler', {
      entry: 'lambdas/registry/handler.ts',
      description: 'cdk-mlops model registry API',
      environment: {
        [ENV.registryTable]: storage.registryTable.tableName,
        [ENV.auditTable]: storage.auditTable.tableName,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
        [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
        [ENV.eventBusName]: this.eventBus.eventBusName,
        [ENV.governancePolicy]: JSON.stringify(governance),
        [ENV.uploadUrlTtlSeconds]: String(uploadUrlTtl.toSeconds()),
      },
      settings,
    });
    this.grantRegistryAccess(storage);

    this.approvalSweeper = this.createFunction('ApprovalSweeper', {
      entry: 'lambdas/registry/approval-sweep.ts',
      description: 'cdk-mlops approval requests: expire the ones past due',
      environment: {
        [ENV.registryTable]: storage.registryTable.tableName,
        [ENV.auditTable]: storage.auditTable.tableName,
        [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
        [ENV.governancePolicy]: JSON.stringify(governance),
        [ENV.uploadUrlTtlSeconds]: String(uploadUrlTtl.toSeconds()),
      },
      settings,
    });
    // Reads open requests by expiry (the byKind index) and closes each with its audit record.
    storage.registryTable.grantReadWriteData(this.approvalSweeper);
    storage.auditTable.grant(this.approvalSweeper, 'dynamodb:PutItem');
    new events.Rule(this, 'ApprovalSweep', {
      description: 'Expire approval requests past their expiry',
      schedule: props.approvalSweepSchedule ?? REGISTRY_DEFAULTS.approvalSweepSchedule,
      targets: [new targets.LambdaFunction(this.approvalSweeper)],
    });

    this.publisher = this.createFunction('Publisher', {
      entry: 'lambdas/events/outbox-publisher.ts',
      description: 'cdk-mlops outbox: audit stream to EventBridge',
      environment: { [ENV.eventBusName]: this.eventBus.eventBusName },
      settings,
    });
    this.eventBus.grantPutEventsTo(this.publisher);

    this.deadLetterQueue = new sqs.Queue(this, 'PublisherDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: storage.key,
      enforceSSL: true,
      retentionPeriod: REGISTRY_DEFAULTS.deadLetterRetention,
      removalPolicy,
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the on-failure destination of the outbox stream mapping; a DLQ for a DLQ adds nothing.',
    );
    this.publisher.addEventSource(
      new DynamoEventSource(storage.auditTable, {
        // From the oldest record: an event lost at first deploy or after an outage is still sent.
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: OUTBOX_DEFAULTS.batchSize,
        bisectBatchOnError: true,
        retryAttempts: OUTBOX_DEFAULTS.retryAttempts,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(this.deadLetterQueue),
      }),
    );

    const kmsGrant =
      "CDK's KMS grant for CMK-encrypted tables and queues; the statement is scoped to the one platform key.";
    acknowledgeWildcards(this.approvalSweeper, [
      ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [
        { arn: `${storage.registryTable.tableArn}/index/*` },
        'The table grant covers the byKind index, which lists open approval requests by expiry.',
      ],
    ]);
    acknowledgeWildcards(this.handler, [
      ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [
        { arn: storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`) },
        'Artifact keys are content-addressed per model version, so the function needs every key under ' +
          'artifacts/ (and nothing outside it).',
      ],
      [
        { arn: `${storage.registryTable.tableArn}/index/*` },
        "The table grant covers the registry table's GSIs (byKind lists models by name prefix).",
      ],
    ]);
    // dynamodb:ListStreams (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html) and X-Ray's trace actions
    // (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html) have no resource-level permissions.
    acknowledgeWildcards(this.publisher, [
      [
        'Resource::*',
        'X-Ray PutTraceSegments/PutTelemetryRecords and dynamodb:ListStreams have no resource-level permissions.',
      ],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
    ]);
  }

  /**
   * Errors of the registry API function (uncaught exceptions and timeouts, not 4xx replies).
   * @default - sum over 5 minutes
   */
  public metricErrors(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.handler.metricErrors(props);
  }

  /**
   * Stream batches the publisher gave up on: any value above 0 means events were not sent.
   * @default - maximum over 5 minutes
   */
  public metricDeadLetters(props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: 'Maximum', ...props });
  }

  private createEventBus(
    archiveRetention: Duration | undefined,
    removalPolicy: RemovalPolicy,
  ): events.EventBus {
    const bus = new events.EventBus(this, 'EventBus', { description: 'cdk-mlops platform events' });
    bus.applyRemovalPolicy(removalPolicy);
    if (archiveRetention) {
      bus.archive('Archive', {
        description: 'Every platform event, for replay',
        eventPattern: { account: [Stack.of(this).account] },
        retention: archiveRetention,
      });
    }
    return bus;
  }

  private createFunction(
    id: string,
    options: {
      entry: string;
      description: string;
      environment: Record<string, string>;
      settings: { key: kms.IKey; logRetention?: logs.RetentionDays; removalPolicy: RemovalPolicy };
    },
  ): PlatformFunction {
    const { settings } = options;
    return new PlatformFunction(this, id, {
      entry: options.entry,
      description: options.description,
      environment: options.environment,
      encryptionKey: settings.key,
      removalPolicy: settings.removalPolicy,
      logRetention: settings.logRetention ?? REGISTRY_DEFAULTS.logRetention,
      memorySize: FUNCTION_DEFAULTS.memorySize,
      timeout: FUNCTION_DEFAULTS.timeout,
    });
  }

  private grantRegistryAccess(storage: RegistryStorage): void {
    storage.registryTable.grantReadWriteData(this.handler);
    // The audit trail is append-only to the registry: it adds records (inside its transactions) and
    // reads history, never updates or deletes one. The same key encrypts it as the registry table.
    storage.auditTable.grant(this.handler, 'dynamodb:PutItem', 'dynamodb:Query');
    storage.idempotencyTable.grantReadWriteData(this.handler);
    const artifacts = storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`);
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'ReadArtifacts', actions: ['s3:GetObject'], resources: [artifacts] }),
    );
    // Artifacts are never overwritten: uploads signed by this role must carry `If-None-Match`, so a
    // PUT to an existing key fails even if some code path forgets the header.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CreateArtifactsOnly',
        actions: ['s3:PutObject'],
        resources: [artifacts],
        conditions: { Null: { 's3:if-none-match': 'false' } },
      }),
    );
    // Without ListBucket, S3 answers a missing key with 403 instead of 404, and the registry could
    // not tell "not uploaded yet" from "access denied". A prefix condition would not help: GetObject
    // and HeadObject requests carry no s3:prefix key.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListArtifacts',
        actions: ['s3:ListBucket'],
        resources: [storage.artifactsBucket.bucketArn],
      }),
    );
    // SSE-KMS objects: GenerateDataKey to write (presigned PUTs are signed by this role), Decrypt to read.
    storage.key.grant(this.handler, 'kms:Decrypt', 'kms:GenerateDataKey');
  }
}

/**
 * Acknowledges IAM5 findings one at a time on the function role's default policy, the narrowest
 * construct holding them, so any new wildcard still fails synth.
 */
function acknowledgeWildcards(
  fn: lambda.Function,
  findings: ReadonlyArray<readonly [Finding, string]>,
): void {
  const policy = fn.role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${fn.node.path} has no default policy to acknowledge findings on`);
  acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}

function checkUploadUrlTtl(ttl: Duration): void {
  const [seconds, min, max] = [ttl, UPLOAD_URL_TTL_RANGE.min, UPLOAD_URL_TTL_RANGE.max].map((d) =>
    d.toSeconds(),
  );
  if (Token.isUnresolved(seconds) || (seconds >= min && seconds <= max)) return;
  throw new Error(`uploadUrlTtl must be ${min}..${max} seconds, got ${seconds}`);
}

function parseGovernance(governance: GovernancePolicy): GovernancePolicy {
  const parsed = GovernancePolicy.safeParse(governance);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `governance.${i.path.join('.')}: ${i.message}`);
  throw new Error(problems.join('; '));
}
