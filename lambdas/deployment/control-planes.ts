/**
 * The deployment adapters over AWS control planes: SageMaker, ECS with its load balancer,
 * Application Auto Scaling and CloudWatch alarms, with their clients made once per container.
 * A route or task imports this module on its first call that drives or reads an endpoint
 * (`deps.ts`), so the rollout routes that only read the deployments table, and the experiments
 * function, load none of these clients at a cold start; the custom resources, whose every event
 * drives an endpoint, import it up front (`resource-deps.ts`).
 */
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { DeploymentTarget, EcsServingTarget, PerVariant } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { traced } from '../shared/tracing';
import { ApplicationAutoScalingEndpointScaling } from './adapters/application-autoscaling';
import { CloudWatchAlarmReader } from './adapters/cloudwatch-alarms';
import { describeEcsEndpoint } from './adapters/ecs-endpoint-inventory';
import { EcsServiceScaling } from './adapters/ecs-service-scaling';
import { EcsServiceControl } from './adapters/ecs-services';
import { EcsVariantBackend } from './adapters/ecs-variant-backend';
import { SageMakerEndpointControl } from './adapters/sagemaker-endpoint';
import { describeSageMakerEndpoint } from './adapters/sagemaker-endpoint-inventory';
import { type SageMakerRolloutNaming, SageMakerVariantBackend } from './adapters/sagemaker-variant-backend';
import type { EndpointView } from './domain/inventory';
import type { EndpointControl } from './domain/ports';
import type { VariantBackend } from './domain/variant-backend';

const endpoint = (name: string) => process.env[name] || undefined;

let sageMakerClient: SageMakerClient | undefined;
/** SageMaker's control plane (the local SageMaker's where `MLOPS_SAGEMAKER_ENDPOINT` is set). */
const sageMaker = () => {
  sageMakerClient ??= traced(
    new SageMakerClient({ ...withTimeouts(), endpoint: endpoint(ENV.sageMakerEndpoint) }),
  );
  return sageMakerClient;
};

let ecsClients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client } | undefined;
const ecs = () => {
  ecsClients ??= {
    ecs: traced(new ECSClient(withTimeouts())),
    elb: traced(new ElasticLoadBalancingV2Client(withTimeouts())),
  };
  return ecsClients;
};

let autoScalingClient: ApplicationAutoScalingClient | undefined;
const autoScaling = () => {
  autoScalingClient ??= traced(new ApplicationAutoScalingClient(withTimeouts()));
  return autoScalingClient;
};

/** SageMaker endpoints, configs and variant weights. */
export const sageMakerEndpoints = () => new SageMakerEndpointControl(sageMaker());

/**
 * Application Auto Scaling of SageMaker variants; none where SageMaker is the local one (it has
 * no autoscaling, one process per variant).
 */
export function endpointScaling(): { scaling?: ApplicationAutoScalingEndpointScaling } {
  if (endpoint(ENV.sageMakerEndpoint)) return {};
  return { scaling: new ApplicationAutoScalingEndpointScaling(autoScaling()) };
}

let sageMakerBackend: SageMakerVariantBackend | undefined;
/** The backend of the models SageMaker serves, one per container. */
export function sageMakerVariantBackend(): VariantBackend {
  sageMakerBackend ??= new SageMakerVariantBackend(sageMakerEndpoints(), endpointScaling().scaling);
  return sageMakerBackend;
}

/**
 * A SageMaker backend under other names than a registry model's (an LMI endpoint's variants), on
 * `endpoints` or SageMaker's control plane; no autoscaling (the stack registers none there).
 */
export const sageMakerVariantsNamed = (
  naming: SageMakerRolloutNaming,
  endpoints: EndpointControl = sageMakerEndpoints(),
): VariantBackend => new SageMakerVariantBackend(endpoints, undefined, naming);

/** The ECS services the target names, driven through ECS and their load balancer. */
export const ecsServiceControl = (target: EcsServingTarget) =>
  new EcsServiceControl(ecs().ecs, ecs().elb, target);

/** The scaling of the target's services, under the labels the stack registered them with. */
export const ecsServiceScaling = (target: EcsServingTarget, labels: PerVariant<string>) =>
  new EcsServiceScaling(autoScaling(), target.cluster, target.services, labels);

/** The backend of a model ECS serves: its target's services and, where labelled, their scaling. */
export function ecsVariantBackend(target: EcsServingTarget): VariantBackend {
  const labels = target.scalingResourceLabels;
  return new EcsVariantBackend(
    ecsServiceControl(target),
    labels ? ecsServiceScaling(target, labels) : undefined,
  );
}

/** CloudWatch alarms (the local stand-in's where `MLOPS_CLOUDWATCH_ENDPOINT` is set). */
export const alarmReader = () =>
  new CloudWatchAlarmReader(
    traced(new CloudWatchClient({ ...withTimeouts(), endpoint: endpoint(ENV.cloudWatchEndpoint) })),
  );

/** An endpoint as its target's backend serves it now. */
export function describeEndpoint(target: DeploymentTarget): Promise<EndpointView | undefined> {
  if (target.backend === 'ecs' && target.ecs) return describeEcsEndpoint(ecsServiceControl(target.ecs));
  return describeSageMakerEndpoint(sageMaker(), target.endpointName);
}
