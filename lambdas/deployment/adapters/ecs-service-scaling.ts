/**
 * Autoscaling of the services of an ECS-served endpoint with Application Auto Scaling: a scalable
 * target on `ecs:service:DesiredCount` and target tracking on `ALBRequestCountPerTarget` of the
 * variant's target group, as CDK's `scaleOnRequestCount` would make them. A variant is a scalable
 * target only while it runs tasks: the challenger during a rollout, the champion once it has a
 * package (a target's minimum would otherwise start tasks with nothing to serve).
 * @see https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html
 */
import {
  type ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  PutScalingPolicyCommand,
  RegisterScalableTargetCommand,
} from '@aws-sdk/client-application-auto-scaling';
import type { PerVariant } from '../../../contracts/deployment';
import type { VariantName } from '../../../contracts/serving';
import type { EndpointScaling, VariantScaling } from '../domain/ports';

const DIMENSION = 'ecs:service:DesiredCount' as const;

/** The Application Auto Scaling resource id of a service. */
export const serviceResourceId = (cluster: string, service: string) => `service/${cluster}/${service}`;

/** The services' autoscaling, behind the same port as SageMaker variants' (the endpoint is this one). */
export class EcsServiceScaling implements EndpointScaling {
  /**
   * @param cluster the cluster's name
   * @param services each variant's service name
   * @param resourceLabels each variant's `ALBRequestCountPerTarget` resource label
   */
  constructor(
    private readonly client: ApplicationAutoScalingClient,
    private readonly cluster: string,
    private readonly services: PerVariant<string>,
    private readonly resourceLabels: PerVariant<string>,
  ) {}

  private target(variant: string) {
    return {
      ServiceNamespace: 'ecs' as const,
      ResourceId: serviceResourceId(this.cluster, this.services[variant as VariantName]),
      ScalableDimension: DIMENSION,
    };
  }

  async apply(_endpointName: string, variant: string, scaling: VariantScaling): Promise<void> {
    const target = this.target(variant);
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
        PolicyName: `${this.services[variant as VariantName]}-requests-per-task`,
        PolicyType: 'TargetTrackingScaling',
        TargetTrackingScalingPolicyConfiguration: {
          TargetValue: scaling.targetInvocationsPerInstance,
          PredefinedMetricSpecification: {
            PredefinedMetricType: 'ALBRequestCountPerTarget',
            ResourceLabel: this.resourceLabels[variant as VariantName],
          },
          ScaleInCooldown: scaling.scaleInCooldownSeconds,
          ScaleOutCooldown: scaling.scaleOutCooldownSeconds,
        },
      }),
    );
  }

  async remove(_endpointName: string, variant: string): Promise<void> {
    try {
      await this.client.send(new DeregisterScalableTargetCommand(this.target(variant)));
    } catch (err) {
      if ((err as Error)?.name !== 'ObjectNotFoundException') throw err;
    }
  }
}
