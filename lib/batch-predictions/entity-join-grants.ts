/**
 * The steps' entity joins on the feature store's Athena engine: what Athena does with the caller's
 * rights for one join, and nothing more.
 */
import { Stack } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import type { JobLocation } from './grants';

/**
 * The entity join on Athena, with the caller's rights as Athena uses them: queries in the feature
 * store's workgroup; the job's two tables (and the view's) in its Glue database; the view's
 * partitions listed; the workgroup's results written under `athena-results/`; the job's staged
 * entity table and file list read, and the UNLOAD output written, in the job's locations (granted
 * with the steps' job objects).
 * @see https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 * @see https://docs.aws.amazon.com/athena/latest/ug/unload.html
 */
export function grantEntityJoins(
  grantee: iam.IGrantable & Construct,
  features: {
    readonly offlineBucket: s3.IBucket;
    readonly workGroup: athena.CfnWorkGroup;
    readonly glueDatabase: glue.CfnDatabase;
  },
  locations: readonly JobLocation[],
): void {
  // ARNs in the steps' own stack: the workgroup and database may live in another (nested) one.
  const stack = Stack.of(grantee);
  const tasks = grantee.grantPrincipal;
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'RunEntityJoins',
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
      resources: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: features.workGroup.name }),
      ],
    }),
  );
  const database = features.glueDatabase.ref;
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ManageEntityJoinTables',
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:CreateTable',
        'glue:DeleteTable',
        'glue:GetPartitions',
      ],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
        entityJoinTableArns(stack, database),
      ],
    }),
  );
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'ListOfflineFeatures',
      actions: ['s3:ListBucket'],
      resources: [features.offlineBucket.bucketArn],
      conditions: {
        StringLike: {
          's3:prefix': [`${FEATURE_BUCKET_LAYOUT.offline}*`, `${FEATURE_BUCKET_LAYOUT.athenaResults}*`],
        },
      },
    }),
  );
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'WriteEntityJoinResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
      resources: [features.offlineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.athenaResults}*`)],
    }),
  );
  tasks.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'LocateEntityJoinBuckets',
      actions: ['s3:GetBucketLocation'],
      resources: [features.offlineBucket.bucketArn, ...new Set(locations.map((l) => l.bucket.bucketArn))],
    }),
  );
}

/** The Glue tables of the feature database (the views' and each join's, made at run time). */
export const entityJoinTableArns = (stack: Stack, database: string): string =>
  stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` });
