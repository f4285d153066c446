/**
 * IAM for registering SageMaker variants with Application Auto Scaling, shared by the endpoint
 * resource's functions and the rollout's task function (a promotion registers the variants of an
 * endpoint the first rollout created): Application Auto Scaling's own calls (scalable targets have
 * generated ids, so no narrower resource), the alarms target tracking makes for these endpoints,
 * and the service-linked role it creates on first use.
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
 */
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings } from '../shared/nag';
import type { PlatformFunction } from '../shared/platform-function';

const SCALING_SERVICE = 'sagemaker.application-autoscaling.amazonaws.com';

export function grantVariantScaling(fn: PlatformFunction, endpointNames: readonly string[]): void {
  if (endpointNames.length === 0) return;
  const stack = Stack.of(fn);
  const scalableTargets = stack.formatArn({
    service: 'application-autoscaling',
    resource: 'scalable-target',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
      ],
      resources: [scalableTargets],
    }),
  );
  // Target tracking creates and deletes its own alarms, named after the scaled variant.
  const trackingAlarms = endpointNames.map((name) =>
    stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `TargetTracking-endpoint/${name}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  // Application Auto Scaling checks its caller may manage (and read) those alarms.
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
      resources: trackingAlarms,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/${SCALING_SERVICE}/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint`,
      ],
      conditions: { StringLike: { 'iam:AWSServiceName': SCALING_SERVICE } },
    }),
  );
  // On the role: its acknowledgements cover the default policy and any overflow policies.
  acknowledgeFindings(fn.role!, 'AwsSolutions-IAM5', [
    [
      { arn: scalableTargets },
      'Application Auto Scaling gives scalable targets generated ids; the actions are its own.',
    ],
    ...trackingAlarms.map(
      (arn) =>
        [
          { arn },
          "Target tracking names its alarms after the variant with a random suffix; this endpoint's only.",
        ] as const,
    ),
  ]);
}

const ECS_SCALING_SERVICE = 'ecs.application-autoscaling.amazonaws.com';

/**
 * IAM for registering an ECS-served endpoint's services with Application Auto Scaling (the services
 * custom resource registers the champion's, a rollout the challenger's while it runs tasks): the
 * scalable targets, the alarms target tracking makes for these services, the service-linked role.
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
 */
export function grantServiceScaling(
  fn: PlatformFunction,
  clusterName: string,
  serviceNames: readonly string[],
): void {
  if (serviceNames.length === 0) return;
  const stack = Stack.of(fn);
  const scalableTargets = stack.formatArn({
    service: 'application-autoscaling',
    resource: 'scalable-target',
    resourceName: '*',
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: [
        'application-autoscaling:RegisterScalableTarget',
        'application-autoscaling:DeregisterScalableTarget',
        'application-autoscaling:PutScalingPolicy',
      ],
      resources: [scalableTargets],
    }),
  );
  const trackingAlarms = serviceNames.map((name) =>
    stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `TargetTracking-service/${clusterName}/${name}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms'],
      resources: trackingAlarms,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['iam:CreateServiceLinkedRole'],
      resources: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/${ECS_SCALING_SERVICE}/AWSServiceRoleForApplicationAutoScaling_ECSService`,
      ],
      conditions: { StringLike: { 'iam:AWSServiceName': ECS_SCALING_SERVICE } },
    }),
  );
  acknowledgeFindings(fn.role!, 'AwsSolutions-IAM5', [
    [
      { arn: scalableTargets },
      'Application Auto Scaling gives scalable targets generated ids; the actions are its own.',
    ],
    ...trackingAlarms.map(
      (arn) =>
        [
          { arn },
          "Target tracking names its alarms after the service with a random suffix; this service's only.",
        ] as const,
    ),
  ]);
}
