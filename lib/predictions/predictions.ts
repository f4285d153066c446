/**
 * The predictions function behind `POST /v2/models/{name}/infer`: validates OIP v2 tensors and
 * calls InvokeEndpoint on the model's endpoint (`mlops-<envName>-<model>`), reading the traffic
 * split for sticky routing from the deployments table (where rollouts record it; no SageMaker
 * control-plane call), and, when given the feature store's tables, reading online features for
 * enrichment.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { Aws, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { endpointNamePrefix } from '../../contracts/serving';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { featureKeys } from '../../contracts/tables';
import type { IDeploymentTargets } from '../deployment/target-parameters';
import { acknowledge, acknowledgeFindings } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';

export interface PredictionsProps {
  /** The platform's environment: the function may invoke its endpoints (`mlops-<envName>-*`) only. */
  readonly envName: string;
  /** Encrypts the function's log group. */
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /**
   * The feature store's online table and view registry, for enrichment by entity keys.
   * @default - no enrichment: requests with `parameters.entities` get a 400
   */
  readonly featureStore?: { readonly onlineTable: dynamodb.ITable; readonly registryTable: dynamodb.ITable };
  /**
   * The model registry's table, to read a model's registered feature list (its `mlops:features`
   * tag) for enrichment.
   * @default - callers list the features in each request
   */
  readonly modelRegistryTable?: dynamodb.ITable;
  /**
   * The rollouts' table, where each rollout records its endpoint's traffic split for sticky routing.
   * @default - every endpoint counts as at rest: a routing key always reaches the champion
   */
  readonly deploymentsTable?: dynamodb.ITable;
  /**
   * The experiments' table, where a keyed request with an `id` served inside a running experiment
   * is recorded (a TTL'd item), so ground truth sent to monitoring for it feeds the experiment.
   * @default - predictions are not recorded: ground truth feeds no experiment
   */
  readonly experimentsTable?: dynamodb.ITable;
  /**
   * OIP discovery (`GET /v2/models/{name}`, `.../ready`): the configured endpoints (the rollout
   * targets) and the bucket of the registry's artifacts, whose ONNX graph gives a model's inputs
   * and outputs. Needs `modelRegistryTable` too.
   * @default - discovery serves no model (404)
   */
  readonly discovery?: {
    readonly deploymentTargets: IDeploymentTargets;
    readonly artifactsBucket: s3.IBucket;
  };
}

export class Predictions extends Construct {
  /** The Lambda serving the predict route. */
  public readonly handler: PlatformFunction;

  constructor(scope: Construct, id: string, props: PredictionsProps) {
    super(scope, id);
    this.handler = new PlatformFunction(this, 'Handler', {
      entry: 'lambdas/serving/handler.ts',
      description: 'OIP v2 predictions: validate tensors, invoke the model endpoint',
      encryptionKey: props.encryptionKey,
      removalPolicy: props.removalPolicy,
      environment: {
        [ENV.envName]: props.envName,
        ...(props.deploymentsTable ? { [ENV.deploymentsTable]: props.deploymentsTable.tableName } : {}),
        ...(props.featureStore
          ? {
              [ENV.onlineStoreTable]: props.featureStore.onlineTable.tableName,
              [ENV.featureRegistryTable]: props.featureStore.registryTable.tableName,
            }
          : {}),
        ...(props.modelRegistryTable ? { [ENV.registryTable]: props.modelRegistryTable.tableName } : {}),
        ...(props.experimentsTable ? { [ENV.experimentsTable]: props.experimentsTable.tableName } : {}),
        ...(props.discovery?.deploymentTargets.hasTargets
          ? {
              [ENV.deploymentTargetsPath]: props.discovery.deploymentTargets.parameterPath,
              [ENV.artifactsBucket]: props.discovery.artifactsBucket.bucketName,
            }
          : {}),
      },
    });
    // Only this environment's endpoints (named by contracts/serving.ts endpointName). SageMaker
    // ARNs are lowercase. Pseudo parameters keep the ARN (and its cdk-nag finding id) env-agnostic.
    const endpoints = `endpoint/${endpointNamePrefix(props.envName).toLowerCase()}*`;
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [`arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${endpoints}`],
      }),
    );
    if (props.deploymentsTable) {
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadTrafficSplits',
          actions: ['dynamodb:GetItem'],
          resources: [props.deploymentsTable.tableArn],
        }),
      );
      props.encryptionKey.grant(this.handler, 'kms:Decrypt', 'kms:DescribeKey');
    }
    if (props.featureStore) {
      // Enrichment reads view definitions (GetItem) and online items (BatchGetItem), nothing
      // else: no Scan, no Query, no index. Both tables are encrypted with the platform key.
      // Explicit statements: Table.grant would add `<table>/index/*` for tables with indexes.
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadOnlineFeatures',
          actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'],
          resources: [props.featureStore.onlineTable.tableArn],
        }),
      );
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadFeatureViews',
          actions: ['dynamodb:GetItem'],
          resources: [props.featureStore.registryTable.tableArn],
        }),
      );
      // The capture key (contracts/tables.ts featureKeys.captureKey), created by the first
      // enriched prediction: a put of that one partition key and nothing else of the table.
      // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'CreateCaptureKey',
          actions: ['dynamodb:PutItem'],
          resources: [props.featureStore.registryTable.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [featureKeys.captureKey.pk] },
          },
        }),
      );
      props.encryptionKey.grant(this.handler, 'kms:Encrypt', 'kms:GenerateDataKey');
      props.encryptionKey.grant(this.handler, 'kms:Decrypt', 'kms:DescribeKey');
    }
    if (props.modelRegistryTable) {
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadModelFeatureLists',
          actions: ['dynamodb:GetItem'],
          resources: [props.modelRegistryTable.tableArn],
        }),
      );
      props.encryptionKey.grant(this.handler, 'kms:Decrypt', 'kms:DescribeKey');
    }
    if (props.experimentsTable) {
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'RecordExposures',
          // A transaction: the put and the check that its unit was not erased.
          actions: ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
          resources: [props.experimentsTable.tableArn],
        }),
      );
      props.encryptionKey.grant(this.handler, 'kms:Decrypt', 'kms:GenerateDataKey');
    }
    if (props.discovery?.deploymentTargets.hasTargets) {
      props.discovery.deploymentTargets.grantRead(this.handler);
      const artifacts = props.discovery.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`);
      this.handler.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'ReadModelGraphs',
          actions: ['s3:GetObject'],
          resources: [artifacts],
        }),
      );
      props.encryptionKey.grant(this.handler, 'kms:Decrypt', 'kms:DescribeKey');
      acknowledgeFindings(this, 'AwsSolutions-IAM5', [
        [
          { arn: artifacts },
          "Artifacts are content-addressed under one prefix; discovery reads the served version's ONNX graph.",
        ],
      ]);
    }
    // On this construct: the role (and its policy) is a sibling of the function, not a child.
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      "Endpoints are created per model by rollouts after deploy; the environment's prefix mlops-<envName>- scopes them.",
      `Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:${endpoints}`,
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      'Resource::*',
    );
  }
}
