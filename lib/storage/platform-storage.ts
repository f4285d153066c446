import { ArnFormat, type Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import {
  AUDIT_TABLE,
  IDEMPOTENCY_TABLE,
  REGISTRY_TABLE,
  TABLES,
  type TableDeclaration,
} from '../../contracts/tables';
import { platformStackName } from '../shared/capability-stack';
import { acknowledge } from '../shared/nag';
import { SERVER_ACCESS_LOGS_PREFIX, STORAGE_DEFAULTS } from './defaults';

/** Properties of `PlatformStorage`. */
export interface PlatformStorageProps {
  /**
   * What happens to the key, buckets and tables when they leave the stack. `DESTROY` also empties
   * the buckets first (a custom resource) and turns off table deletion protection.
   * `SNAPSHOT` is refused: none of S3, DynamoDB or KMS supports it.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Alias of the platform key, so operators can find it in the KMS console.
   * @default `alias/cdk-mlops/<stack name>`
   */
  readonly keyAlias?: string;
  /**
   * How long server access logs of the artifacts bucket are kept.
   * @default Duration.days(365)
   */
  readonly accessLogsExpiration?: Duration;
  /**
   * How long an overwritten or deleted artifact version stays recoverable.
   * @default Duration.days(90)
   */
  readonly noncurrentVersionExpiration?: Duration;
}

/**
 * The platform's state: one customer-managed KMS key, the artifacts bucket (with a separate
 * access-logs bucket) and one DynamoDB table per declaration in `contracts/tables.ts`.
 *
 * Everything is encrypted with the one key, so a single key policy governs who can read platform
 * data. The key policy also lets CloudWatch Logs in this account and Region use it, so every
 * capability's log groups can be encrypted with it.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/encryption.usagenotes.html
 */
export class PlatformStorage extends Construct {
  /** The platform key: encrypts the artifacts bucket, the tables, log groups and queues. */
  public readonly key: kms.Key;
  /** Model artifacts under content-addressed keys (`artifacts/...`). */
  public readonly artifactsBucket: s3.Bucket;
  /** Target of the artifacts bucket's server access logs (SSE-S3: log delivery cannot use KMS). */
  public readonly accessLogsBucket: s3.Bucket;
  /** Every declared table, by declaration id (`Registry`, `Audit`, `Idempotency`). */
  public readonly tables: Readonly<Record<string, dynamodb.Table>>;
  /** Models, versions and aliases. */
  public readonly registryTable: dynamodb.Table;
  /** The audit trail and event outbox; publishes a NEW_IMAGE stream. */
  public readonly auditTable: dynamodb.Table;
  /** Powertools idempotency records. */
  public readonly idempotencyTable: dynamodb.Table;

  constructor(scope: Construct, id: string, props: PlatformStorageProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? STORAGE_DEFAULTS.removalPolicy;
    if (removalPolicy === RemovalPolicy.SNAPSHOT) {
      throw new Error(
        'removalPolicy must be DESTROY or RETAIN, got SNAPSHOT (S3, DynamoDB and KMS do not support it)',
      );
    }
    const destroy = removalPolicy === RemovalPolicy.DESTROY;

    // Server access logging via a bucket policy instead of the legacy LogDeliveryWrite ACL, so both
    // buckets can disable ACLs (BucketOwnerEnforced). Scoped to this construct: cdk.json may not set it.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
    this.node.setContext(S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    this.key = new kms.Key(this, 'Key', {
      description: `cdk-mlops platform data key (${platformStackName(this)})`,
      alias: props.keyAlias ?? `alias/cdk-mlops/${platformStackName(this)}`,
      enableKeyRotation: true,
      pendingWindow: STORAGE_DEFAULTS.keyPendingWindow,
      removalPolicy,
    });
    allowCloudWatchLogsToUseKey(this.key);

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // Log delivery only writes to SSE-S3 targets.
      // https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: props.accessLogsExpiration ?? STORAGE_DEFAULTS.accessLogsExpiration,
        },
      ],
      removalPolicy,
      autoDeleteObjects: destroy,
    });
    acknowledge(
      this.accessLogsBucket,
      'AwsSolutions-S1',
      'This bucket is the server access log target; logging it would need a third bucket with the same finding.',
    );

    this.artifactsBucket = new s3.Bucket(this, 'ArtifactsBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.key,
      // One data key per bucket instead of per object: far fewer KMS calls on large artifacts.
      bucketKeyEnabled: true,
      versioned: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: SERVER_ACCESS_LOGS_PREFIX,
      lifecycleRules: [
        {
          id: 'AbortIncompleteUploads',
          abortIncompleteMultipartUploadAfter: STORAGE_DEFAULTS.abortIncompleteMultipartUploadAfter,
        },
        {
          id: 'ExpireNoncurrentVersions',
          noncurrentVersionExpiration:
            props.noncurrentVersionExpiration ?? STORAGE_DEFAULTS.noncurrentVersionExpiration,
        },
      ],
      removalPolicy,
      autoDeleteObjects: destroy,
    });

    const tables: Record<string, dynamodb.Table> = {};
    for (const declaration of TABLES) {
      tables[declaration.id] = this.createTable(declaration, removalPolicy);
    }
    this.tables = tables;
    this.registryTable = tables[REGISTRY_TABLE.id];
    this.auditTable = tables[AUDIT_TABLE.id];
    this.idempotencyTable = tables[IDEMPOTENCY_TABLE.id];
  }

  private createTable(declaration: TableDeclaration, removalPolicy: RemovalPolicy): dynamodb.Table {
    const key = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    // Table (AWS::DynamoDB::Table) rather than TableV2 (GlobalTable): one Region is enough, and
    // cdk-nag's DynamoDB rules (PITR) only inspect AWS::DynamoDB::Table.
    const table = new dynamodb.Table(this, declaration.id, {
      partitionKey: key(declaration.partitionKey),
      sortKey: declaration.sortKey ? key(declaration.sortKey) : undefined,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: declaration.streamNewImages ? dynamodb.StreamViewType.NEW_IMAGE : undefined,
      timeToLiveAttribute: declaration.timeToLiveAttribute,
      // A retained table should not be deletable by a stray console click either.
      deletionProtection: removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
    for (const index of declaration.globalSecondaryIndexes ?? []) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
      });
    }
    return table;
  }
}

const logsKeyUsers = new WeakSet<kms.IKey>();

/**
 * Lets CloudWatch Logs in the key's account and Region encrypt log groups with `key`. Idempotent;
 * a no-op on an imported key (whose policy this app cannot change).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function allowCloudWatchLogsToUseKey(key: kms.IKey): void {
  if (logsKeyUsers.has(key)) return;
  logsKeyUsers.add(key);
  const stack = Stack.of(key);
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchLogsInThisAccount',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: [
        'kms:Encrypt',
        'kms:Decrypt',
        'kms:ReEncryptFrom',
        'kms:ReEncryptTo',
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:DescribeKey',
      ],
      resources: ['*'],
      conditions: {
        // The confused-deputy guard from the CloudWatch Logs guide: only this account's log groups.
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
}
