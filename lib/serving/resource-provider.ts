/**
 * What the platform's custom-resource providers share: an `onEvent` and an `isComplete` function
 * behind the CDK provider framework, which polls `isComplete` every 30 s for up to 2 hours (GPU
 * endpoints and tasks take minutes to start; an update may wait for a running rollout), the
 * rollout lock's table, and the check for an initial package.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources-readme.html#provider-framework
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';

export interface ResourceProviderProps {
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** The rollout lock's table: an update waits for a running rollout. Without it, no lock. */
  readonly deploymentsTable?: dynamodb.ITable;
}

/** One of a provider's two functions: its handler module and its description. */
export interface ProviderFunction {
  readonly entry: string;
  readonly description: string;
}

export abstract class ResourceProvider extends Construct {
  public readonly serviceToken: string;
  /** `onEvent` and `isComplete`, in that order. */
  protected readonly functions: readonly PlatformFunction[];

  protected constructor(
    scope: Construct,
    id: string,
    props: ResourceProviderProps,
    handlers: { readonly onEvent: ProviderFunction; readonly isComplete: ProviderFunction },
  ) {
    super(scope, id);
    const environment = props.deploymentsTable
      ? { [ENV.deploymentsTable]: props.deploymentsTable.tableName }
      : undefined;
    const fn = (name: string, { entry, description }: ProviderFunction) =>
      new PlatformFunction(this, name, {
        entry,
        description,
        ...(environment ? { environment } : {}),
        encryptionKey: props.encryptionKey,
        removalPolicy: props.removalPolicy,
        timeout: Duration.minutes(1),
      });
    this.functions = [fn('OnEvent', handlers.onEvent), fn('IsComplete', handlers.isComplete)];
    if (props.deploymentsTable) {
      for (const f of this.functions) {
        props.deploymentsTable.grantReadWriteData(f);
        acknowledge(
          f.role!,
          'AwsSolutions-IAM5',
          "The table grant covers the deployments table's byCreatedAt index; the provider reads and writes only the model's rollout lock item.",
          { arn: `${props.deploymentsTable.tableArn}/index/*` },
        );
      }
    }
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.functions[0],
      isCompleteHandler: this.functions[1],
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.hours(2),
    });
    this.serviceToken = provider.serviceToken;
    acknowledgeFramework(provider, this.functions);
  }

  /**
   * Lets the functions see whether an initial package exists (HeadObject is s3:GetObject; a 404
   * rather than a 403 for a missing key takes s3:ListBucket on its prefix).
   */
  grantInitialPackageCheck(bucket: s3.IBucket, key: string, encryptionKey: kms.IKey): void {
    for (const f of this.functions) {
      f.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(key)] }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['s3:ListBucket'],
          resources: [bucket.bucketArn],
          conditions: { StringEquals: { 's3:prefix': [key] } },
        }),
      );
      encryptionKey.grant(f, 'kms:Decrypt');
    }
  }
}

/** cdk-nag findings on the provider framework's own functions, roles and waiter state machine. */
function acknowledgeFramework(provider: cr.Provider, userFunctions: readonly lambda.IFunction[]): void {
  const frameworkFunctions = provider.node.children.filter(
    (c): c is lambda.Function => c instanceof lambda.Function,
  );
  for (const f of [...userFunctions, ...frameworkFunctions]) {
    acknowledge(provider, 'AwsSolutions-IAM5', "CDK's invoke grant covers the function's versions (`:*`).", {
      arn: `${f.functionArn}:*`,
    });
  }
  acknowledge(
    provider,
    'AwsSolutions-IAM4',
    'The CDK provider framework functions log with AWSLambdaBasicExecutionRole.',
    'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
  );
  acknowledge(
    provider,
    'AwsSolutions-IAM5',
    'The waiter state machine delivers logs and X-Ray traces, which have no resource-level permissions.',
    'Resource::*',
  );
  acknowledge(
    provider,
    'AwsSolutions-L1',
    "The CDK provider framework picks its functions' runtime; it moves with aws-cdk-lib.",
  );
  acknowledge(
    provider,
    'AwsSolutions-SF1',
    'The provider framework waiter only polls isComplete; its failures reach CloudFormation.',
  );
  acknowledge(
    provider,
    'AwsSolutions-SF2',
    'The provider framework waiter is a retry loop over one function; X-Ray adds nothing.',
  );
  for (const f of userFunctions) {
    // The platform functions send X-Ray traces: PutTraceSegments has no resource-level permissions.
    const kmsGrant =
      "CDK's grant on the lock table lets the function use the platform key the table is encrypted with.";
    acknowledge(
      f.role!.node.tryFindChild('DefaultPolicy')!,
      'AwsSolutions-IAM5',
      'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.',
      'Resource::*',
    );
    acknowledge(
      f.role!.node.tryFindChild('DefaultPolicy')!,
      'AwsSolutions-IAM5',
      kmsGrant,
      'Action::kms:ReEncrypt*',
    );
    acknowledge(
      f.role!.node.tryFindChild('DefaultPolicy')!,
      'AwsSolutions-IAM5',
      kmsGrant,
      'Action::kms:GenerateDataKey*',
    );
  }
}
