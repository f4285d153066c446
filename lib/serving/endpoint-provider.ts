/**
 * The provider of the stack's SageMaker endpoint custom resources (one per stack, shared by every
 * endpoint): `onEvent` and `isComplete` functions running `lambdas/deployment/endpoint-resource*.ts`
 * behind the CDK provider framework, which polls `isComplete` every 30 s for up to 2 hours (a GPU
 * endpoint takes minutes to create; an update may wait for a running rollout).
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.custom_resources-readme.html#provider-framework
 */
import { ArnFormat, Aws, Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as cr from 'aws-cdk-lib/custom-resources';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { Construct } from 'constructs';
import { ENV } from '../../contracts/env';
import { endpointConfigName } from '../../contracts/serving';
import { PlatformFunction } from '../shared/platform-function';

export interface EndpointProviderProps {
  readonly encryptionKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  /** The rollout lock's table: an update waits for a running rollout. Without it, no lock. */
  readonly deploymentsTable?: dynamodb.ITable;
}

const ID = 'SageMakerEndpointProvider';

export class EndpointProvider extends Construct {
  /** The stack's provider, made on first use. */
  static of(scope: Construct, props: EndpointProviderProps): EndpointProvider {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild(ID) as EndpointProvider | undefined) ?? new EndpointProvider(stack, ID, props)
    );
  }

  public readonly serviceToken: string;
  private readonly functions: PlatformFunction[];

  private constructor(scope: Construct, id: string, props: EndpointProviderProps) {
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
        'lambdas/deployment/endpoint-resource-handler.ts',
        "cdk-mlops: creates, updates (keeping the rollouts' models) and deletes SageMaker endpoints",
      ),
      fn(
        'IsComplete',
        'lambdas/deployment/endpoint-resource-complete.ts',
        'cdk-mlops: reports when a SageMaker endpoint has settled',
      ),
    ];
    if (props.deploymentsTable) {
      for (const f of this.functions) props.deploymentsTable.grantReadWriteData(f);
    }
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.functions[0],
      isCompleteHandler: this.functions[1],
      queryInterval: Duration.seconds(30),
      totalTimeout: Duration.hours(2),
    });
    this.serviceToken = provider.serviceToken;
    this.grantScaling();
    acknowledgeFramework(provider, this.functions);
  }

  /** Lets the functions create, update, scale and delete one endpoint on configs of its model. */
  grantEndpoint(endpointName: string, modelName: string): void {
    const stack = Stack.of(this);
    const arn = (resource: string, resourceName: string) =>
      stack.formatArn({
        service: 'sagemaker',
        resource,
        resourceName,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
    // SageMaker ARNs carry names in lower case.
    const endpoint = arn('endpoint', endpointName.toLowerCase());
    const configs = arn('endpoint-config', `${endpointConfigName(modelName, '').toLowerCase()}*`);
    const trackingAlarms = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `TargetTracking-endpoint/${endpointName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    for (const f of this.functions) {
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [
            'sagemaker:DescribeEndpoint',
            'sagemaker:CreateEndpoint',
            'sagemaker:UpdateEndpoint',
            'sagemaker:DeleteEndpoint',
            // Registering a variant for autoscaling checks the caller may scale it.
            'sagemaker:UpdateEndpointWeightsAndCapacities',
          ],
          resources: [endpoint],
        }),
      );
      // Target tracking creates and deletes its own alarms, named after the scaled variant.
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
          resources: [trackingAlarms],
        }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:CreateEndpointConfig'],
          resources: [configs],
        }),
      );
      Validations.of(f.role!).acknowledge(
        {
          id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(configs))}]`,
          reason:
            'An update makes a config of the stack settings and the live models, named under the endpoint prefix.',
        },
        {
          id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(trackingAlarms))}]`,
          reason:
            "Target tracking names its alarms after the variant with a random suffix; this endpoint's only.",
        },
      );
    }
  }

  /**
   * What registering variants with Application Auto Scaling takes, once for all endpoints: its own
   * calls (scalable targets have generated ids, so no narrower resource), reading alarms, and the
   * service-linked role it creates on first use.
   * @see https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
   */
  private grantScaling(): void {
    const stack = Stack.of(this);
    const scalableTargets = stack.formatArn({
      service: 'application-autoscaling',
      resource: 'scalable-target',
      resourceName: '*',
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    for (const f of this.functions) {
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [
            'application-autoscaling:RegisterScalableTarget',
            'application-autoscaling:DeregisterScalableTarget',
            'application-autoscaling:PutScalingPolicy',
          ],
          resources: [scalableTargets],
        }),
      );
      // Application Auto Scaling checks the caller may read alarms; read-only, no narrower scope.
      f.addToRolePolicy(
        new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }),
      );
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['iam:CreateServiceLinkedRole'],
          resources: [
            `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/${SCALING_SERVICE}/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
          ],
          conditions: { StringLike: { 'iam:AWSServiceName': SCALING_SERVICE } },
        }),
      );
      Validations.of(f.role!).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(scalableTargets))}]`,
        reason: 'Application Auto Scaling gives scalable targets generated ids; the actions are its own.',
      });
    }
  }
}

const SCALING_SERVICE = 'sagemaker.application-autoscaling.amazonaws.com';

/** cdk-nag findings on the provider framework's own functions, roles and waiter state machine. */
function acknowledgeFramework(provider: cr.Provider, userFunctions: readonly lambda.IFunction[]): void {
  const stack = Stack.of(provider);
  const frameworkFunctions = provider.node.children.filter(
    (c): c is lambda.Function => c instanceof lambda.Function,
  );
  const invoked = [...userFunctions, ...frameworkFunctions].map((f) => ({
    id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(`${f.functionArn}:*`))}]`,
    reason: "CDK's invoke grant covers the function's versions (`:*`).",
  }));
  Validations.of(provider).acknowledge(
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'The CDK provider framework functions log with AWSLambdaBasicExecutionRole.',
    },
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'The waiter state machine delivers logs and X-Ray traces, which have no resource-level permissions.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: "The CDK provider framework picks its functions' runtime; it moves with aws-cdk-lib.",
    },
    {
      id: 'AwsSolutions-SF1',
      reason: 'The provider framework waiter only polls isComplete; its failures reach CloudFormation.',
    },
    {
      id: 'AwsSolutions-SF2',
      reason: 'The provider framework waiter is a retry loop over one function; X-Ray adds nothing.',
    },
    ...invoked,
  );
  for (const f of userFunctions) {
    // The platform functions send X-Ray traces: PutTraceSegments has no resource-level permissions.
    const kmsGrant =
      "CDK's grant on the lock table lets the function use the platform key the table is encrypted with.";
    Validations.of(f.role!.node.tryFindChild('DefaultPolicy')!).acknowledge(
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray PutTraceSegments/PutTelemetryRecords have no resource-level permissions; cloudwatch:DescribeAlarms (read-only) is what Application Auto Scaling asks of its caller.',
      },
      { id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]', reason: kmsGrant },
      { id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]', reason: kmsGrant },
    );
  }
}
