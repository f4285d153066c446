/**
 * Experiment tracking behind MLflow's REST API 2.0: the function serving `/api/2.0/mlflow/...`,
 * with the tracking table (experiments, runs, metric history), the idempotency table, and run
 * artifacts under `mlflow/` in the platform bucket, which it lists and presigns.
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import { type Duration, type RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import type { GovernancePolicy } from '../../contracts/registry';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { TRACKING_ARTIFACTS_PREFIX } from '../../contracts/tracking';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { TRACKING_DEFAULTS } from './defaults';

/** The platform storage tracking uses. */
export interface TrackingStorage {
  readonly key: kms.IKey;
  readonly artifactsBucket: s3.IBucket;
  readonly trackingTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
}

/** The platform registry behind MLflow's registry routes. */
export interface TrackingRegistryAccess {
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  /** The platform's governance policy, which Production transitions through MLflow must pass. */
  readonly governance: GovernancePolicy;
}

export interface ExperimentTrackingProps {
  readonly storage: TrackingStorage;
  /**
   * The registry MLflow's registry routes (`registered-models`, `model-versions`) act on, through
   * the registry's own service (checks, audit records, events).
   * @default - no registry: those routes answer 404 RESOURCE_DOES_NOT_EXIST
   */
  readonly registry?: TrackingRegistryAccess;
  readonly removalPolicy: RemovalPolicy;
  /**
   * How long a presigned artifact URL stays valid (60 s..12 h).
   * @default Duration.minutes(15)
   */
  readonly artifactUrlTtl?: Duration;
}

export class ExperimentTracking extends Construct {
  /** The Lambda serving MLflow's tracking routes. */
  public readonly handler: PlatformFunction;

  constructor(scope: Construct, id: string, props: ExperimentTrackingProps) {
    super(scope, id);
    const ttl = (props.artifactUrlTtl ?? TRACKING_DEFAULTS.artifactUrlTtl).toSeconds();
    if (!Token.isUnresolved(ttl) && (ttl < 60 || ttl > 43_200)) {
      throw new Error(`artifactUrlTtl must be 60..43200 seconds, got ${ttl}`);
    }
    const { storage } = props;
    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/tracking/handler.ts',
      description: 'MLflow REST API 2.0 tracking: experiments, runs, params, metrics, tags, artifacts',
      encryptionKey: storage.key,
      removalPolicy: props.removalPolicy,
      memorySize: TRACKING_DEFAULTS.memorySize,
      timeout: TRACKING_DEFAULTS.timeout,
      environment: {
        [ENV.trackingTable]: storage.trackingTable.tableName,
        [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
        [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
        [ENV.uploadUrlTtlSeconds]: String(ttl),
        ...(props.registry
          ? {
              [ENV.registryTable]: props.registry.registryTable.tableName,
              [ENV.auditTable]: props.registry.auditTable.tableName,
              [ENV.governancePolicy]: JSON.stringify(props.registry.governance),
            }
          : {}),
      },
    });
    this.grantTracking(storage);
    if (props.registry) this.grantRegistry(storage, props.registry);
  }

  /**
   * What the registry's service needs to register, alias and transition versions: its table (no
   * index: the routes served never list models), the append-only audit trail, and content-addressed
   * artifacts under `artifacts/`, written once when a version is registered from a run's artifact.
   */
  private grantRegistry(storage: TrackingStorage, registry: TrackingRegistryAccess): void {
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RegistryTable',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [registry.registryTable.tableArn],
      }),
    );
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AuditTrail',
        actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
        resources: [registry.auditTable.tableArn],
      }),
    );
    const artifacts = storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`);
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ModelArtifacts',
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [artifacts],
      }),
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'Model artifacts are content-addressed keys under artifacts/ created per version; the prefix scopes them.',
      { arn: artifacts },
    );
  }

  private grantTracking(storage: TrackingStorage): void {
    // Explicit actions on the table alone (it has no index): what the store calls, nothing more.
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'TrackingTable',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:Query',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [storage.trackingTable.tableArn],
      }),
    );
    // Powertools' DynamoDB persistence layer: get, put (conditioned), update and delete a record.
    // https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/#iam-permissions
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'IdempotencyRecords',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [storage.idempotencyTable.tableArn],
      }),
    );
    const objects = storage.artifactsBucket.arnForObjects(`${TRACKING_ARTIFACTS_PREFIX}/*`);
    // Presigned URLs carry this role's permissions: reads and writes under mlflow/ only. Multipart
    // uploads (MLflow's artifact proxy) need PutObject to start, upload parts and complete, and
    // AbortMultipartUpload to abort; the proxy's delete needs DeleteObject, under mlflow/ only.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'RunArtifacts',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:DeleteObject'],
        resources: [objects],
      }),
    );
    // Without ListBucket, S3 answers HeadObject on a missing key with 403, not 404, and a download
    // of an artifact never logged could not be told from a refusal. A prefix condition would not
    // help: HeadObject carries no s3:prefix key.
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ListRunArtifacts',
        actions: ['s3:ListBucket'],
        resources: [storage.artifactsBucket.bucketArn],
      }),
    );
    // SSE-KMS: GenerateDataKey to write (presigned PUTs are signed by this role), Decrypt to read.
    storage.key.grant(this.handler, 'kms:Decrypt', 'kms:GenerateDataKey');
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'Run artifacts live under mlflow/<experiment>/<run>/ keys created by clients; the prefix scopes them.',
      { arn: objects },
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      'Resource::*',
    );
  }
}
