/**
 * The predictions function behind `POST /v2/models/{name}/infer`: validates OIP v2 tensors and
 * calls InvokeEndpoint on the model's endpoint (`mlops-<model>`), reading variant weights with
 * DescribeEndpoint for sticky routing, and, when given the feature store's tables, reading
 * online features for enrichment.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { Aws, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';

export interface PredictionsProps {
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
        ...(props.featureStore
          ? {
              [ENV.onlineStoreTable]: props.featureStore.onlineTable.tableName,
              [ENV.featureRegistryTable]: props.featureStore.registryTable.tableName,
            }
          : {}),
        ...(props.modelRegistryTable ? { [ENV.registryTable]: props.modelRegistryTable.tableName } : {}),
      },
    });
    // Only the platform's endpoints (named by contracts/serving.ts endpointName). SageMaker ARNs
    // are lowercase. Pseudo parameters keep the ARN (and its cdk-nag finding id) env-agnostic.
    this.handler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['sagemaker:InvokeEndpoint', 'sagemaker:DescribeEndpoint'],
        resources: [`arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:endpoint/mlops-*`],
      }),
    );
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
    // On this construct: the role (and its policy) is a sibling of the function, not a child.
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'Endpoints are created per model by rollouts after deploy; the platform prefix mlops- scopes them.',
      'Resource::arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/mlops-*',
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      'Resource::*',
    );
  }
}
