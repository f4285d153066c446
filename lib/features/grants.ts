/**
 * IAM grants of the feature store's functions, each wildcard a CDK grant produces acknowledged
 * for cdk-nag one finding at a time, with its reason, on the function's default policy.
 * @see https://docs.aws.amazon.com/athena/latest/ug/fine-grained-access-to-glue-resources.html
 */
import { Stack } from 'aws-cdk-lib';
import type * as athena from 'aws-cdk-lib/aws-athena';
import type * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import type { FeatureStoreStorage } from './feature-store';

/**
 * Tables, the offline bucket's `features/*` keys and the platform key; optionally appending to
 * the audit trail (PutItem only) and invoking the training-set worker.
 */
export function grantFeatureStorage(
  f: lambda.Function,
  options: {
    storage: FeatureStoreStorage;
    bucket: s3.IBucket;
    appendsAudit: boolean;
    invokes?: lambda.IFunction;
  },
): void {
  const { storage, bucket } = options;
  storage.featureRegistryTable.grantReadWriteData(f);
  storage.onlineStoreTable.grantReadWriteData(f);
  // Audit records are appended, never changed: PutItem only (as the registry).
  if (options.appendsAudit) {
    f.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'AppendAudit',
        actions: ['dynamodb:PutItem'],
        resources: [storage.auditTable.tableArn],
      }),
    );
  }
  bucket.grantReadWrite(f, 'features/*');
  storage.key.grant(f, 'kms:Decrypt', 'kms:GenerateDataKey');
  options.invokes?.grantInvoke(f);
  const kmsGrant = "CDK's KMS grant for the CMK-encrypted tables and bucket; scoped to the one platform key.";
  acknowledge(f, [
    ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
    ['Action::kms:ReEncrypt*', kmsGrant],
    ['Action::kms:GenerateDataKey*', kmsGrant],
    [
      'Action::s3:GetObject*',
      "CDK's bucket read grant (GetObject, GetObjectVersion...), scoped to features/*.",
    ],
    ['Action::s3:GetBucket*', "CDK's bucket read grant (GetBucketLocation...), on the offline bucket only."],
    ['Action::s3:List*', "CDK's bucket read grant (ListBucket...), on the offline bucket only."],
    [
      'Action::s3:DeleteObject*',
      "CDK's bucket write grant; the functions delete Athena's temporary objects and the files of an offline append that failed before its manifest commit.",
    ],
    ['Action::s3:Abort*', "CDK's bucket write grant (AbortMultipartUpload) for large Parquet uploads."],
    [
      { arn: bucket.arnForObjects('features/*') },
      'Parquet files, manifests and training sets are keyed by view, date and job id under features/.',
    ],
    [
      { arn: `${storage.featureRegistryTable.tableArn}/index/*` },
      'The table grant covers the byKind GSI (listing views).',
    ],
    [{ arn: `${storage.onlineStoreTable.tableArn}/index/*` }, 'The table grant covers GSIs (none today).'],
    ...(options.invokes
      ? ([
          [{ arn: `${options.invokes.functionArn}:*` }, "CDK's invoke grant covers the worker's versions."],
        ] as const)
      : []),
  ]);
}

/**
 * Athena queries in the one workgroup, and the Glue tables (one per view version and per job)
 * its DDL creates and drops in the one feature database.
 */
export function grantTrainingQueries(
  f: lambda.Function,
  options: { workGroup: athena.CfnWorkGroup; glueDatabase: glue.CfnDatabase; key: kms.IKey },
): void {
  const stack = Stack.of(f);
  f.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RunQueries',
      actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
      resources: [
        stack.formatArn({ service: 'athena', resource: 'workgroup', resourceName: options.workGroup.name }),
      ],
    }),
  );
  const database = options.glueDatabase.ref;
  const tables = stack.formatArn({ service: 'glue', resource: 'table', resourceName: `${database}/*` });
  // Athena DDL (CREATE EXTERNAL TABLE, DROP TABLE) acts on the Glue catalog with the caller's rights.
  f.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ManageViewTables',
      actions: [
        'glue:GetDatabase',
        'glue:GetTable',
        'glue:GetTables',
        'glue:CreateTable',
        'glue:UpdateTable',
        'glue:DeleteTable',
        'glue:GetPartitions',
      ],
      resources: [
        stack.formatArn({ service: 'glue', resource: 'catalog' }),
        stack.formatArn({ service: 'glue', resource: 'database', resourceName: database }),
        tables,
      ],
    }),
  );
  options.key.grant(f, 'kms:Decrypt', 'kms:GenerateDataKey');
  acknowledge(f, [
    [
      { arn: tables },
      'One Glue table per feature view version and per job, created at run time inside the one feature database.',
    ],
  ]);
}

/** Acknowledges IAM5 findings one at a time on the function's default policy. */
function acknowledge(f: lambda.Function, findings: ReadonlyArray<readonly [Finding, string]>): void {
  const policy = f.role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${f.node.path} has no default policy to acknowledge findings on`);
  acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}
