/**
 * IAM of the inventory route (`GET /endpoints`) on the rollout API's function: reads only.
 * SageMaker DescribeEndpoint and DescribeEndpointConfig on this environment's endpoints and
 * configs (`mlops-<envName>-*`, one statement whatever the number of endpoints); on ECS,
 * DescribeServices on the targets' services, and the task definition and listener reads that
 * have no resource-level permissions.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { endpointNamePrefix, Variant } from '../../contracts/serving';
import { acknowledge } from '../shared/nag';
import type { PlatformFunction } from '../shared/platform-function';
import type { DeploymentTargetProps } from './model-deployment';

export function grantEndpointInventory(
  fn: PlatformFunction,
  envName: string,
  targets: readonly DeploymentTargetProps[],
): void {
  if (targets.length === 0) return;
  const stack = Stack.of(fn);
  // SageMaker ARNs carry names in lower case.
  const prefix = endpointNamePrefix(envName).toLowerCase();
  const arn = (resource: string) =>
    stack.formatArn({
      service: 'sagemaker',
      resource,
      resourceName: `${prefix}*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  const endpoints = arn('endpoint');
  const configs = arn('endpoint-config');
  if (targets.some((t) => t.endpoint.sageMaker)) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'DescribeEndpoints',
        actions: ['sagemaker:DescribeEndpoint', 'sagemaker:DescribeEndpointConfig'],
        resources: [endpoints, configs],
      }),
    );
    for (const resource of [endpoints, configs]) {
      acknowledge(
        fn.role!,
        'AwsSolutions-IAM5',
        "Reads only, of this environment's endpoints and their configs (made per rollout), named mlops-<envName>-<model>.",
        { arn: resource },
      );
    }
  }
  const ecs = targets.flatMap((t) => (t.endpoint.ecs ? [t.endpoint.ecs] : []));
  if (ecs.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'DescribeServices',
      actions: ['ecs:DescribeServices'],
      resources: ecs.flatMap((b) =>
        [Variant.CHAMPION, Variant.CHALLENGER].map((v) => b.services[v].serviceArn),
      ),
    }),
  );
  const unscoped = new iam.Policy(fn, 'InventoryUnscopedPolicy', {
    statements: [
      new iam.PolicyStatement({
        sid: 'ReadTaskDefinitionsAndListeners',
        actions: ['ecs:DescribeTaskDefinition', 'elasticloadbalancing:DescribeListeners'],
        resources: ['*'],
      }),
    ],
  });
  fn.role!.attachInlinePolicy(unscoped);
  acknowledge(
    unscoped,
    'AwsSolutions-IAM5',
    'ecs:DescribeTaskDefinition and elasticloadbalancing:DescribeListeners support no resource-level permissions; both are reads.',
    'Resource::*',
  );
}
