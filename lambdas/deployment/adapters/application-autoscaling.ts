/**
 * Autoscaling of SageMaker endpoint variants with Application Auto Scaling: a scalable target on
 * `sagemaker:variant:DesiredInstanceCount` and a target-tracking policy on
 * `SageMakerVariantInvocationsPerInstance`, as CloudFormation's scalable target and policy would
 * make them.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-auto-scaling-add-code.html
 */
import {
  type ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { EndpointScaling, VariantScaling } from '../domain/ports';

const DIMENSION = 'sagemaker:variant:DesiredInstanceCount' as const;

/** The Application Auto Scaling resource id of a variant. */
export const variantResourceId = (endpointName: string, variant: string) =>
  `endpoint/${endpointName}/variant/${variant}`;

export class ApplicationAutoScalingEndpointScaling implements EndpointScaling {
  constructor(private readonly client: ApplicationAutoScalingClient) {}

  async apply(endpointName: string, variant: string, scaling: VariantScaling): Promise<void> {
    const target = {
      ServiceNamespace: 'sagemaker' as const,
      ResourceId: variantResourceId(endpointName, variant),
      ScalableDimension: DIMENSION,
    };
    await this.client.send(
      new RegisterScalableTargetCommand({
        ...target,
        MinCapacity: scaling.minCapacity,
        MaxCapacity: scaling.maxCapacity,
      }),
    );
    await this.client.send(
      new PutScalingPolicyCommand({
        ...target,
        PolicyName: `${endpointName}-${variant}-invocations-per-instance`,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: scaling.targetInvocationsPerInstance,
          PredefinedMetricSpecification: { PredefinedMetricType: 'SageMakerVariantInvocationsPerInstance' },
          ScaleInCooldown: scaling.scaleInCooldownSeconds,
          ScaleOutCooldown: scaling.scaleOutCooldownSeconds,
        },
      }),
    );
  }

  async remove(endpointName: string, variant: string): Promise<void> {
    try {
      await this.client.send(
        new DeregisterScalableTargetCommand({
          ServiceNamespace: 'sagemaker',
          ResourceId: variantResourceId(endpointName, variant),
          ScalableDimension: DIMENSION,
        }),
      );
    } catch (err) {
      if ((err as Error)?.name !== 'ObjectNotFoundException') throw err;
    }
  }
}
