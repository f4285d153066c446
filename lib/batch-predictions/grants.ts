/**
 * The batch functions' and engines' permissions, each the actions its code calls on the resources
 * it touches: job objects under the allowed locations only, the job table's items and its one
 * index, registry reads, audit appends. Explicit statements rather than CDK's table and bucket
 * grants, which add action groups (`s3:GetObject*`, `kms:ReEncrypt*`) and `<table>/index/*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 */

import { Stack } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { BATCH_JOB_PREFIX } from '../../contracts/batch-predictions';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import { BATCH_PREDICTIONS_TABLE } from '../../contracts/tables';
import { grantEntityJoins } from './entity-join-grants';

/** A bucket jobs may use, and the key prefix they are held to there (`''`: all of it). */
export interface JobLocation {
  readonly bucket: s3.IBucket;
  readonly prefix: string;
}

/** `arn:...:<bucket>/<prefix>*` of each location. */
export const locationObjectArns = (locations: readonly JobLocation[]): string[] =>
  locations.map((l) => l.bucket.arnForObjects(`${l.prefix}*`));

/** Object actions (`s3:GetObject`, `s3:PutObject`, ...) on every job location. */
export function grantJobObjects(
  grantee: iam.IGrantable,
  sid: string,
  actions: string[],
  locations: readonly JobLocation[],
): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid, actions, resources: locationObjectArns(locations) }),
  );
}

/** `s3:ListBucket` on each location's bucket, held to its prefix by `s3:prefix`. */
export function grantListJobLocations(grantee: iam.IGrantable, locations: readonly JobLocation[]): void {
  for (const l of locations) {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [l.bucket.bucketArn],
        ...(l.prefix ? { conditions: { StringLike: { 's3:prefix': `${l.prefix}*` } } } : {}),
      }),
    );
  }
}

/** The tables a batch function records jobs in and reads models from. */
export interface JobTables {
  readonly batchPredictionsTable: dynamodb.ITable;
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
}

/**
 * Job records (Get, and Put conditioned on the status it replaces, in a transaction with the audit
 * record), registry reads (GetItem of models, versions and aliases), audit appends; `Query` of the
 * by-model index for the API's listing. Tables are encrypted with the platform key.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
export function grantJobTables(
  grantee: iam.IGrantable,
  tables: JobTables,
  key: kms.IKey,
  options: { readonly listByModel?: boolean } = {},
): void {
  const principal = grantee.grantPrincipal;
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'BatchJobRecords',
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [tables.batchPredictionsTable.tableArn],
    }),
  );
  if (options.listByModel) {
    principal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ListJobsByModel',
        actions: ['dynamodb:Query'],
        resources: [
          `${tables.batchPredictionsTable.tableArn}/index/${BATCH_PREDICTIONS_TABLE.globalSecondaryIndexes[0].indexName}`,
        ],
      }),
    );
  }
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadModels',
      actions: ['dynamodb:GetItem'],
      resources: [tables.registryTable.tableArn],
    }),
  );
  // Audit records are appended, never changed: PutItem only (as the registry).
  principal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'AppendAudit',
      actions: ['dynamodb:PutItem'],
      resources: [tables.auditTable.tableArn],
    }),
  );
  grantKey(grantee, key);
}

/** The platform key, for the encrypted tables and objects a batch function reads and writes. */
export function grantKey(grantee: iam.IGrantable, key: kms.IKey): void {
  key.grant(grantee, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey');
}

export { BATCH_JOB_PREFIX };

/** The ARN pattern of every per-job SageMaker model (`mlops-batch-<jobId>-<attempt>`). */
export const jobModelArns = (scope: Construct): string =>
  Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'model',
    resourceName: `${BATCH_JOB_PREFIX}*`,
  });

/**
 * `sagemaker:DeleteModel` on the per-job models only: never a model an endpoint of the platform
 * serves (those are named for the endpoint, not `mlops-batch-`).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export function grantDeleteJobModels(grantee: iam.IGrantable & Construct): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'DeleteJobModels',
      actions: ['sagemaker:DeleteModel'],
      resources: [jobModelArns(grantee)],
    }),
  );
}

/**
 * The engines' permissions: the Distributed Map's readers and ResultWriter on the job locations;
 * SageMaker models and transform jobs (.sync) under the platform's prefix, passing only the
 * transform role.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/sagemaker-iam.html
 */
export function grantEngines(
  role: iam.IRole,
  locations: readonly JobLocation[],
  transformRole: iam.IRole,
): void {
  const stack = Stack.of(role);
  // The readers and the ResultWriter name their bucket at run time (bucketNamePath), so CDK adds
  // no S3 statement of its own: these are the whole of the map's S3 access.
  grantJobObjects(
    role,
    'MapReadersAndResultWriter',
    ['s3:GetObject', 's3:PutObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
    locations,
  );
  // The transform engine's collecting map lists its shards' indexes (a ListObjectsV2 ItemReader).
  grantListJobLocations(role, locations);
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
  // The run deletes its model once the transform job ends (the AWS SDK integration's DeleteModel).
  grantDeleteJobModels(role);
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['iam:PassRole'],
      resources: [transformRole.roleArn],
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

/**
 * Enrichment's reads, nothing more: the API reads a view definition (GetItem) and an entity list's
 * header (a ranged GetObject in the job locations); the steps read the view, list the offline
 * manifest (held to its prefix by `s3:prefix`) and read the offline Parquet files. Which views a
 * job names is known only per job, so both prefixes are the feature store's whole.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html#condition-key-bucket-ops-2
 */
export function grantEnrichment(
  functions: { readonly handler: iam.IGrantable; readonly tasks: iam.IGrantable & Construct },
  features: {
    readonly registryTable: dynamodb.ITable;
    readonly offlineBucket: s3.IBucket;
    readonly workGroup: athena.CfnWorkGroup;
    readonly glueDatabase: glue.CfnDatabase;
  },
  locations: readonly JobLocation[],
): void {
  for (const f of [functions.handler, functions.tasks])
    f.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadFeatureViews',
        actions: ['dynamodb:GetItem'],
        resources: [features.registryTable.tableArn],
      }),
    );
  grantJobObjects(functions.handler, 'ReadEntityListHeaders', ['s3:GetObject'], locations);
  const tasks = functions.tasks.grantPrincipal;
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListOfflineManifest',
      actions: ['s3:ListBucket'],
      resources: [features.offlineBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': `${FEATURE_BUCKET_LAYOUT.manifest}*` } },
    }),
  );
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ReadOfflineFeatures',
      actions: ['s3:GetObject'],
      resources: [features.offlineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.offline}*`)],
    }),
  );
  grantEntityJoins(functions.tasks, features, locations);
}
