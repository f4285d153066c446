/**
 * IAM for registering scaled resources with Application Auto Scaling, shared by the serving
 * resources' functions and the rollout's task function (a promotion registers what the first
 * rollout created): Application Auto Scaling's own calls (scalable targets have generated ids, so
 * no narrower resource), the alarms target tracking makes for these resources, and the
 * service-linked role it creates on first use.
 * @see https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html
 */
import { ArnFormat, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { acknowledgeFindings } from '../shared/nag';
import type { PlatformFunction } from '../shared/platform-function';

/** What differs between the kinds of scaled resource: its scaling service and its alarm names. */
interface ScaledKind {
  readonly scalingService: string;
  readonly serviceLinkedRole: string;
  /** Why the tracking alarms' wildcard is narrow enough, for the acknowledgement. */
  readonly alarmsReason: string;
}

const SAGEMAKER_VARIANTS: ScaledKind = {
  scalingService: 'sagemaker.application-autoscaling.amazonaws.com',
  serviceLinkedRole: 'AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
  alarmsReason:
    "Target tracking names its alarms after the variant with a random suffix; this endpoint's only.",
};

const ECS_SERVICES: ScaledKind = {
  scalingService: 'ecs.application-autoscaling.amazonaws.com',
  serviceLinkedRole: 'AWSServiceRoleForApplicationAutoScaling_ECSService',
  alarmsReason:
    "Target tracking names its alarms after the service with a random suffix; this service's only.",
};

/** A SageMaker endpoint's variants; target tracking names its alarms after the variant. */
export function grantVariantScaling(fn: PlatformFunction, endpointNames: readonly string[]): void {
  grantScaling(
    fn,
    SAGEMAKER_VARIANTS,
    endpointNames.map((name) => `TargetTracking-endpoint/${name}/*`),
  );
}

/**
 * An ECS-served endpoint's services (the services custom resource registers the champion's, a
 * rollout the challenger's while it runs tasks).
 */
export function grantServiceScaling(
  fn: PlatformFunction,
  clusterName: string,
  serviceNames: readonly string[],
): void {
  grantScaling(
    fn,
    ECS_SERVICES,
    serviceNames.map((name) => `TargetTracking-service/${clusterName}/${name}-*`),
  );
}

function grantScaling(fn: PlatformFunction, kind: ScaledKind, alarmNames: readonly string[]): void {
  if (alarmNames.length === 0) return;
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
  const trackingAlarms = alarmNames.map((resourceName) =>
    stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName,
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
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/aws-service-role/${kind.scalingService}/${kind.serviceLinkedRole}`,
      ],
      conditions: { StringLike: { 'iam:AWSServiceName': kind.scalingService } },
    }),
  );
  // On the role: its acknowledgements cover the default policy and any overflow policies.
  acknowledgeFindings(fn.role!, 'AwsSolutions-IAM5', [
    [
      { arn: scalableTargets },
      'Application Auto Scaling gives scalable targets generated ids; the actions are its own.',
    ],
    ...trackingAlarms.map((arn) => [{ arn }, kind.alarmsReason] as const),
  ]);
}
