/**
 * The right to erasure: the API function behind `/privacy/erasures` and the erasure worker it
 * invokes asynchronously (as training-set jobs run), with exactly the access an erasure needs:
 * the feature tables and offline files, the capture prefix of the artifacts bucket, ground truth
 * in the monitoring table, experiments' per-unit items, the registry (through its service) and
 * appends to the audit trail. A run whose time runs short invokes the worker again for the rest.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import { DEFAULT_CAPTURE_PREFIX, outermostPrefixes } from '../../contracts/monitoring-names';
import { ERASURE_RUNS_PREFIX } from '../../contracts/privacy';
import type { GovernancePolicy } from '../../contracts/registry';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { PRIVACY_DEFAULTS } from './defaults';

/** The stores an erasure reads and clears. */
export interface PrivacyStorage {
  readonly key: kms.IKey;
  /** Feature views, training-set jobs, erasure records and tombstones. */
  readonly featureRegistryTable: dynamodb.ITable;
  readonly onlineStoreTable: dynamodb.ITable;
  readonly featureOfflineBucket: s3.IBucket;
  /** Holds the SageMaker data capture (`serving/data-capture/`). */
  readonly artifactsBucket: s3.IBucket;
  /** Ground-truth labels. */
  readonly monitoringTable: dynamodb.ITable;
  /** Experiments' predictions and outcome markers by unit, and the units' tombstones. */
  readonly experimentsTable: dynamodb.ITable;
  /** Model versions, tagged through the registry service. */
  readonly registryTable: dynamodb.ITable;
  readonly auditTable: dynamodb.ITable;
  readonly idempotencyTable: dynamodb.ITable;
}

/** Properties of `Privacy`. */
export interface PrivacyProps {
  readonly storage: PrivacyStorage;
  /** The registry's governance policy, which the registry service the worker tags versions through reads. */
  readonly governance: GovernancePolicy;
  /**
   * The platform's environment, which names its endpoints (`mlops-<envName>-<model>`): an erasure
   * finds a model's capture files under its endpoint's name.
   */
  readonly envName: string;
  /**
   * Where monitoring reads capture files (`mlops:monitoring`'s `capturePrefix`); searched beside
   * serving's own prefix when it differs.
   * @default - serving's capture prefix only
   */
  readonly monitoringCapturePrefix?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export class Privacy extends Construct {
  /** Serves every `privacy` route. */
  public readonly handler: PlatformFunction;
  /** Runs an erasure (invoked asynchronously by `handler`). */
  public readonly erasureWorker: PlatformFunction;

  constructor(scope: Construct, id: string, props: PrivacyProps) {
    super(scope, id);
    const { storage } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const capturePrefixes = outermostPrefixes([
      DEFAULT_CAPTURE_PREFIX,
      props.monitoringCapturePrefix ?? DEFAULT_CAPTURE_PREFIX,
    ]);
    const environment = {
      [ENV.featureRegistryTable]: storage.featureRegistryTable.tableName,
      [ENV.onlineStoreTable]: storage.onlineStoreTable.tableName,
      [ENV.featureOfflineBucket]: storage.featureOfflineBucket.bucketName,
      [ENV.artifactsBucket]: storage.artifactsBucket.bucketName,
      [ENV.monitoringTable]: storage.monitoringTable.tableName,
      [ENV.experimentsTable]: storage.experimentsTable.tableName,
      [ENV.registryTable]: storage.registryTable.tableName,
      [ENV.auditTable]: storage.auditTable.tableName,
      [ENV.idempotencyTable]: storage.idempotencyTable.tableName,
      [ENV.governancePolicy]: JSON.stringify(props.governance),
      [ENV.envName]: props.envName,
      [ENV.privacyCapturePrefixes]: JSON.stringify(capturePrefixes),
    };
    this.erasureWorker = new PlatformFunction(this, 'ErasureWorker', {
      entry: 'lambdas/privacy/erasure-worker.ts',
      description: 'cdk-mlops erasure of entities (online, offline, capture, ground truth)',
      environment,
      encryptionKey: storage.key,
      removalPolicy,
      timeout: PRIVACY_DEFAULTS.workerTimeout,
      memorySize: PRIVACY_DEFAULTS.workerMemorySize,
    });
    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/privacy/handler.ts',
      description: 'cdk-mlops privacy API (erasures)',
      environment: { ...environment, [ENV.privacyErasureWorkerFunction]: this.erasureWorker.functionName },
      encryptionKey: storage.key,
      removalPolicy,
    });

    // The API records erasures and tombstones (feature registry table) with their audit records.
    storage.featureRegistryTable.grantReadWriteData(this.handler);
    storage.idempotencyTable.grantReadWriteData(this.handler);
    appendAudit(this.handler, storage.auditTable);
    storage.key.grant(this.handler, 'kms:Decrypt', 'kms:GenerateDataKey');
    this.erasureWorker.grantInvoke(this.handler);

    const worker = this.erasureWorker;
    storage.featureRegistryTable.grantReadWriteData(worker);
    storage.onlineStoreTable.grantReadWriteData(worker);
    storage.featureOfflineBucket.grantReadWrite(worker, `${FEATURE_BUCKET_LAYOUT.offline}*`);
    storage.featureOfflineBucket.grantReadWrite(worker, `${FEATURE_BUCKET_LAYOUT.manifest}*`);
    storage.featureOfflineBucket.grantRead(worker, `${FEATURE_BUCKET_LAYOUT.training}*`);
    for (const prefix of capturePrefixes) storage.artifactsBucket.grantReadWrite(worker, `${prefix}*`);
    // The inference ids a run finds, kept off its DynamoDB record (400 KB at most) until it is done.
    storage.artifactsBucket.grantReadWrite(worker, `${ERASURE_RUNS_PREFIX}*`);
    storage.monitoringTable.grantReadWriteData(worker);
    // A Scan for the units' items (none is keyed by the unit), deletes, redactions, tombstones.
    storage.experimentsTable.grantReadWriteData(worker);
    // The worker hands over to itself: a policy apart from its default one, which the function
    // depends on, so that naming the function's ARN makes no cycle.
    new iam.Policy(this, 'ErasureWorkerHandOver', {
      statements: [
        new iam.PolicyStatement({
          sid: 'HandOverErasure',
          actions: ['lambda:InvokeFunction'],
          resources: [worker.functionArn],
        }),
      ],
    }).attachToRole(worker.role as iam.IRole);
    storage.registryTable.grantReadWriteData(worker);
    appendAudit(worker, storage.auditTable);
    storage.key.grant(worker, 'kms:Decrypt', 'kms:GenerateDataKey');

    const kmsGrant =
      "CDK's KMS grant for the CMK-encrypted tables and buckets; scoped to the one platform key.";
    const common: Array<readonly [Finding, string]> = [
      ['Resource::*', 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.'],
      ['Action::kms:ReEncrypt*', kmsGrant],
      ['Action::kms:GenerateDataKey*', kmsGrant],
      [{ arn: `${storage.featureRegistryTable.tableArn}/index/*` }, 'The table grant covers the byKind GSI.'],
    ];
    acknowledgeOn(this.handler, [
      ...common,
      [{ arn: `${this.erasureWorker.functionArn}:*` }, "CDK's invoke grant covers the worker's versions."],
    ]);
    const bucketGrant = (what: string) => `CDK's bucket grant (${what}), on the named prefixes only.`;
    acknowledgeOn(worker, [
      ...common,
      [{ arn: `${storage.onlineStoreTable.tableArn}/index/*` }, 'The table grant covers GSIs (none today).'],
      [{ arn: `${storage.monitoringTable.tableArn}/index/*` }, 'The table grant covers GSIs (none today).'],
      [
        { arn: `${storage.experimentsTable.tableArn}/index/*` },
        'The table grant covers the experiments GSIs.',
      ],
      [{ arn: `${storage.registryTable.tableArn}/index/*` }, 'The table grant covers the registry GSIs.'],
      ['Action::s3:GetObject*', bucketGrant('GetObject, GetObjectVersion...')],
      ['Action::s3:GetBucket*', bucketGrant('GetBucketLocation...')],
      ['Action::s3:List*', bucketGrant('ListBucket...')],
      ['Action::s3:DeleteObject*', bucketGrant('DeleteObject: the offline files an erasure replaces')],
      ['Action::s3:Abort*', bucketGrant('AbortMultipartUpload')],
      [
        { arn: storage.featureOfflineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.offline}*`) },
        'Offline Parquet files are keyed by view, date and file id.',
      ],
      [
        { arn: storage.featureOfflineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.manifest}*`) },
        'Manifest entries are keyed by view, date and file id.',
      ],
      [
        { arn: storage.featureOfflineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.training}*`) },
        'Training-set requests are keyed by job id (read only).',
      ],
      [
        { arn: storage.artifactsBucket.arnForObjects(`${ERASURE_RUNS_PREFIX}*`) },
        "An erasure run's found inference ids are keyed by erasure id and batch.",
      ],
      ...capturePrefixes.map(
        (prefix) =>
          [
            { arn: storage.artifactsBucket.arnForObjects(`${prefix}*`) },
            'Capture files are keyed by endpoint, variant and hour, as SageMaker writes them.',
          ] as const,
      ),
    ]);
  }
}

/** Audit records are appended, never changed: PutItem only (as the registry). */
function appendAudit(f: PlatformFunction, auditTable: dynamodb.ITable): void {
  f.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'AppendAudit',
      actions: ['dynamodb:PutItem'],
      resources: [auditTable.tableArn],
    }),
  );
}

/** Acknowledges IAM5 findings one at a time on the function's default policy. */
function acknowledgeOn(f: PlatformFunction, findings: ReadonlyArray<readonly [Finding, string]>): void {
  const policy = f.role?.node.tryFindChild('DefaultPolicy');
  if (!policy) throw new Error(`${f.node.path} has no default policy to acknowledge findings on`);
  acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}
