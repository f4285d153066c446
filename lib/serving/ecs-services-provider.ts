/**
 * The provider of the stack's ECS services custom resources (one per stack, shared by every
 * ECS-served endpoint): `onEvent` and `isComplete` functions running
 * `lambdas/deployment/ecs-services-resource*.ts` behind the CDK provider framework, polled every
 * 30 s for up to 2 hours (GPU tasks take minutes to start; an update may wait for a running rollout).
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources-readme.html#provider-framework
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { acknowledge } from '../shared/nag';
import { PlatformFunction } from '../shared/platform-function';
import { acknowledgeFramework } from './endpoint-provider';
import { grantServiceScaling } from './scaling-permissions';

export interface EcsServicesProviderProps {
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** The rollout lock's table: an update waits for a running rollout. Without it, no lock. */
  readonly deploymentsTable?: dynamodb.ITable;
}

const ID = 'EcsServicesProvider';

export class EcsServicesProvider extends Construct {
  /** The stack's provider, made on first use. */
  static of(scope: Construct, props: EcsServicesProviderProps): EcsServicesProvider {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild(ID) as EcsServicesProvider | undefined) ??
      new EcsServicesProvider(stack, ID, props)
    );
  }

  public readonly serviceToken: string;
  private readonly functions: PlatformFunction[];

  private constructor(scope: Construct, id: string, props: EcsServicesProviderProps) {
    super(scope, id);
    const environment = props.deploymentsTable
      ? { [ENV.deploymentsTable]: props.deploymentsTable.tableName }
      : undefined;
    const fn = (name: string, entry: string, description: string) =>
      new PlatformFunction(this, name, {
        entry,
        description,
        ...(environment ? { environment } : {}),
        encryptionKey: props.encryptionKey,
        removalPolicy: props.removalPolicy,
        timeout: Duration.minutes(1),
      });
    this.functions = [
      fn(
        'OnEvent',
        'lambdas/deployment/ecs-services-resource-handler.ts',
        "cdk-mlops: creates, updates (keeping the rollouts' packages) and deletes ECS model services",
      ),
      fn(
        'IsComplete',
        'lambdas/deployment/ecs-services-resource-complete.ts',
        'cdk-mlops: reports when the ECS model services have settled',
      ),
    ];
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
    // Task definition revisions have no resource-level permissions: a policy of their own, so that
    // its acknowledgement covers them and nothing else.
    for (const f of this.functions) {
      const unscoped = new iam.Policy(f, 'TaskDefinitionsPolicy', {
        statements: [
          new iam.PolicyStatement({
            actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition'],
            resources: ['*'],
          }),
        ],
      });
      f.role!.attachInlinePolicy(unscoped);
      acknowledge(
        unscoped,
        'AwsSolutions-IAM5',
        'ecs:DescribeTaskDefinition and ecs:RegisterTaskDefinition support no resource-level permissions; the services they run on are scoped in the role policy.',
        'Resource::*',
      );
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

  /** Lets the functions see whether an initial package exists (HeadObject; ListBucket for a 404). */
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

  /**
   * Lets the functions create, update, scale and delete one endpoint's services, and pass their
   * task definitions' roles, only to ECS tasks (a revision like the stack's passes both).
   */
  grantServices(input: {
    readonly clusterName: string;
    readonly serviceNames: readonly string[];
    readonly roleArns: readonly string[];
  }): void {
    const stack = Stack.of(this);
    const services = input.serviceNames.map((name) =>
      stack.formatArn({ service: 'ecs', resource: 'service', resourceName: `${input.clusterName}/${name}` }),
    );
    for (const f of this.functions) {
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ecs:CreateService', 'ecs:UpdateService', 'ecs:DeleteService', 'ecs:DescribeServices'],
          resources: services,
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [...input.roleArns],
          conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
        }),
      );
      grantServiceScaling(f, input.clusterName, input.serviceNames);
    }
  }
}
