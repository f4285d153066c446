/**
 * The provider of the stack's SageMaker endpoint custom resources (one per stack, shared by every
 * endpoint), running `lambdas/deployment/endpoint-resource*.ts`.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../shared/nag';
import { ResourceProvider, type ResourceProviderProps } from './resource-provider';
import { sageMakerArns } from './sagemaker-arns';
import { grantVariantScaling } from './scaling-permissions';

const ID = 'SageMakerEndpointProvider';

export class EndpointProvider extends ResourceProvider {
  /** The stack's provider, made on first use. */
  static of(scope: Construct, props: ResourceProviderProps): EndpointProvider {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild(ID) as EndpointProvider | undefined) ?? new EndpointProvider(stack, ID, props)
    );
  }

  private constructor(scope: Construct, id: string, props: ResourceProviderProps) {
    super(scope, id, props, {
      onEvent: {
        entry: 'lambdas/deployment/endpoint-resource-handler.ts',
        description:
          "cdk-mlops: creates, updates (keeping the rollouts' models) and deletes SageMaker endpoints",
      },
      isComplete: {
        entry: 'lambdas/deployment/endpoint-resource-complete.ts',
        description: 'cdk-mlops: reports when a SageMaker endpoint has settled',
      },
    });
  }

  /** Lets the functions create, update, scale and delete one endpoint on configs of its model. */
  grantEndpoint(endpointName: string, modelName: string): void {
    for (const f of this.functions) grantVariantScaling(f, [endpointName]);
    const { endpoint, configs } = sageMakerArns(this, modelName, endpointName);
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
      f.addToRolePolicy(
        new iam.PolicyStatement({
          actions: [
            'sagemaker:DescribeEndpointConfig',
            'sagemaker:CreateEndpointConfig',
            // Creating or updating an endpoint is authorized on its config as well.
            'sagemaker:CreateEndpoint',
            'sagemaker:UpdateEndpoint',
          ],
          resources: [configs],
        }),
      );
      acknowledge(
        f.role!,
        'AwsSolutions-IAM5',
        'An update makes a config of the stack settings and the live models, named under the endpoint prefix.',
        { arn: configs },
      );
    }
  }
}
