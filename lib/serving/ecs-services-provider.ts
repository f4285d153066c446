/**
 * The provider of the stack's ECS services custom resources (one per stack, shared by every
 * ECS-served endpoint), running `lambdas/deployment/ecs-services-resource*.ts`.
 */
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../shared/nag';
import { ResourceProvider, type ResourceProviderProps } from './resource-provider';
import { grantServiceScaling } from './scaling-permissions';

const ID = 'EcsServicesProvider';

export class EcsServicesProvider extends ResourceProvider {
  /** The stack's provider, made on first use. */
  static of(scope: Construct, props: ResourceProviderProps): EcsServicesProvider {
    const stack = Stack.of(scope);
    return (
      (stack.node.tryFindChild(ID) as EcsServicesProvider | undefined) ??
      new EcsServicesProvider(stack, ID, props)
    );
  }

  private constructor(scope: Construct, id: string, props: ResourceProviderProps) {
    super(scope, id, props, {
      onEvent: {
        entry: 'lambdas/deployment/ecs-services-resource-handler.ts',
        description:
          "cdk-mlops: creates, updates (keeping the rollouts' packages) and deletes ECS model services",
      },
      isComplete: {
        entry: 'lambdas/deployment/ecs-services-resource-complete.ts',
        description: 'cdk-mlops: reports when the ECS model services have settled',
      },
    });
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
