/** Wires the deployment ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { StartDeploymentRequest } from '../../contracts/deployment';
import { ENV } from '../../contracts/env';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, withTimeouts } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { traced } from '../shared/tracing';
import { ApplicationAutoScalingEndpointScaling } from './adapters/application-autoscaling';
import { CloudWatchAlarmReader } from './adapters/cloudwatch-alarms';
import { DynamoDbDeploymentStore } from './adapters/dynamodb-deployment-store';
import { describeEcsEndpoint } from './adapters/ecs-endpoint-inventory';
import { EcsServiceScaling } from './adapters/ecs-service-scaling';
import { EcsServiceControl } from './adapters/ecs-services';
import { EcsVariantBackend } from './adapters/ecs-variant-backend';
import type { S3ObjectProbe } from './adapters/s3-object-probe';
import { SageMakerEndpointControl } from './adapters/sagemaker-endpoint';
import { describeSageMakerEndpoint } from './adapters/sagemaker-endpoint-inventory';
import { SageMakerVariantBackend } from './adapters/sagemaker-variant-backend';
import { StepFunctionsExecutions } from './adapters/step-functions-executions';
import { type DeploymentApiDeps, type StartOutcome, startDeployment } from './domain/api';
import { EndpointChallenger } from './domain/endpoint-challenger';
import type { EndpointDescriber, InventoryDeps } from './domain/inventory';
import type { DeploymentDeps, ModelPackages } from './domain/ports';
import { PromptVariantBackend } from './domain/prompt-variant-backend';
import { backendsByTarget, type DeploymentTargetSource } from './domain/targets';
import type { VariantBackend } from './domain/variant-backend';
import { winnerRollouts } from './domain/winner-rollouts';
import type { EcsServicesResourceDeps } from './ecs-services-resource';
import type { EndpointResourceDeps } from './endpoint-resource';
import { deploymentTargets } from './targets-from-env';

const endpoint = (name: string) => process.env[name] || undefined;

/** S3 (packages, probes) imported on first use. */
const onDemand = () => import('./on-demand');
const objectProbe = () => lazyPort<S3ObjectProbe>(async () => (await onDemand()).objectProbe(), {});

function deploymentStore() {
  return new DynamoDbDeploymentStore({
    client: documentClient(),
    deploymentsTable: requiredEnv(ENV.deploymentsTable),
    auditTable: requiredEnv(ENV.auditTable),
  });
}

/**
 * The backend serving each model, from the stack's targets (not from the execution input: the
 * stack decides which resources a rollout may drive). Clients are made on first use.
 */
function variantBackends(targets: DeploymentTargetSource): (modelName: string) => Promise<VariantBackend> {
  let sageMaker: SageMakerVariantBackend | undefined;
  let clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client } | undefined;
  let prompts: PromptVariantBackend | undefined;
  return backendsByTarget(targets, {
    prompt: () => {
      prompts ??= new PromptVariantBackend(registryServiceFromEnv());
      return prompts;
    },
    sagemaker: () => {
      sageMaker ??= new SageMakerVariantBackend(sageMakerEndpoints(), endpointScaling().scaling);
      return sageMaker;
    },
    ecs: (modelName, target) => {
      if (!target?.ecs)
        throw new Error(`${modelName} is served by ECS but its deployment target names no services`);
      clients ??= {
        ecs: traced(new ECSClient(withTimeouts())),
        elb: traced(new ElasticLoadBalancingV2Client(withTimeouts())),
      };
      const labels = target.ecs.scalingResourceLabels;
      return new EcsVariantBackend(
        new EcsServiceControl(clients.ecs, clients.elb, target.ecs),
        labels
          ? new EcsServiceScaling(autoScaling(), target.ecs.cluster, target.ecs.services, labels)
          : undefined,
      );
    },
  });
}

/** SageMaker's control plane (the local SageMaker's where `MLOPS_SAGEMAKER_ENDPOINT` is set). */
const sageMakerEndpoints = () =>
  new SageMakerEndpointControl(
    traced(new SageMakerClient({ ...withTimeouts(), endpoint: endpoint(ENV.sageMakerEndpoint) })),
  );

let autoScalingClient: ApplicationAutoScalingClient | undefined;
const autoScaling = () => {
  autoScalingClient ??= traced(new ApplicationAutoScalingClient(withTimeouts()));
  return autoScalingClient;
};

/**
 * Application Auto Scaling of SageMaker variants; none where SageMaker is the local one (it has
 * no autoscaling, one process per variant).
 */
function endpointScaling(): { scaling?: ApplicationAutoScalingEndpointScaling } {
  if (endpoint(ENV.sageMakerEndpoint)) return {};
  return { scaling: new ApplicationAutoScalingEndpointScaling(autoScaling()) };
}

const alarmReader = () =>
  new CloudWatchAlarmReader(
    traced(new CloudWatchClient({ ...withTimeouts(), endpoint: endpoint(ENV.cloudWatchEndpoint) })),
  );

const modelPackages = (bucket: string) =>
  lazyPort<ModelPackages>(async () => (await onDemand()).modelPackages(bucket), {});

/** Ports of the state machine's tasks. */
export function taskDeps(): DeploymentDeps {
  const bucket = requiredEnv(ENV.artifactsBucket);
  return {
    backends: variantBackends(deploymentTargets()),
    alarms: alarmReader(),
    store: deploymentStore(),
    registry: registryServiceFromEnv(),
    packages: modelPackages(bucket),
    now: () => new Date(),
    newId: randomUUID,
  };
}

export interface DeploymentHandlerDeps extends DeploymentApiDeps, InventoryDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

/** Reads an endpoint from the backend its target names; clients are made on first use. */
function endpointDescriber(): EndpointDescriber {
  let sageMaker: SageMakerClient | undefined;
  let clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client } | undefined;
  return async (_modelName, target) => {
    if (target.backend === 'ecs' && target.ecs) {
      clients ??= {
        ecs: traced(new ECSClient(withTimeouts())),
        elb: traced(new ElasticLoadBalancingV2Client(withTimeouts())),
      };
      return describeEcsEndpoint(new EcsServiceControl(clients.ecs, clients.elb, target.ecs));
    }
    sageMaker ??= traced(
      new SageMakerClient({ ...withTimeouts(), endpoint: endpoint(ENV.sageMakerEndpoint) }),
    );
    return describeSageMakerEndpoint(sageMaker, target.endpointName);
  };
}

/**
 * The endpoint's challenger as an experiment holds it, on the backends, alarms and packages the
 * rollout's tasks use.
 */
export function endpointChallengerFromEnv(): EndpointChallenger {
  const targets = deploymentTargets();
  return new EndpointChallenger({
    targets,
    backends: variantBackends(targets),
    packages: modelPackages(requiredEnv(ENV.artifactsBucket)),
    registry: registryServiceFromEnv(),
    alarms: alarmReader(),
  });
}

/** What starting a rollout needs, from the function's environment. */
function startDeps(): DeploymentApiDeps {
  return {
    targets: deploymentTargets(),
    store: deploymentStore(),
    registry: registryServiceFromEnv(),
    executions: new StepFunctionsExecutions(
      traced(new SFNClient({ ...withTimeouts(), endpoint: endpoint(ENV.stepFunctionsEndpoint) })),
      requiredEnv(ENV.deploymentStateMachineArn),
    ),
    now: () => new Date(),
    newId: randomUUID,
  };
}

/** Starts rollouts as the route does (same checks, lock and execution), for an experiment's winner. */
export function rolloutStarterFromEnv() {
  return winnerRollouts(startDeps());
}

/**
 * Starts a prompt's rollout as the deployment route starts a model's (checks, sign-off, lock,
 * execution), for the prompt rollout route, which has checked the evaluation score floors.
 */
export function promptRolloutStarterFromEnv() {
  const deps = startDeps();
  return (
    actor: { principal: string; requestId?: string },
    prompt: string,
    req: StartDeploymentRequest,
  ): Promise<StartOutcome> => startDeployment(deps, actor, prompt, req, { promptReleaseChecked: true });
}

/** Ports of the rollout routes. */
export function apiDeps(): DeploymentHandlerDeps {
  return {
    ...startDeps(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
    describeEndpoint: endpointDescriber(),
  };
}

/** The rollout lock, where the stack has a deployments table. */
function rolloutLocks(): { locks?: DynamoDbDeploymentStore } {
  const table = process.env[ENV.deploymentsTable];
  if (!table) return {};
  return {
    locks: new DynamoDbDeploymentStore({
      client: documentClient(),
      deploymentsTable: table,
      // Locks write no audit record.
      auditTable: process.env[ENV.auditTable] ?? '',
    }),
  };
}

/** The endpoint custom resource's ports: SageMaker, autoscaling, and the rollout lock when the stack has one. */
export function endpointResourceDeps(): EndpointResourceDeps {
  return {
    endpoints: sageMakerEndpoints(),
    ...endpointScaling(),
    packages: objectProbe(),
    ...rolloutLocks(),
    now: () => new Date(),
  };
}

/** The ECS services custom resource's ports: ECS, the services' autoscaling, S3 and the rollout lock. */
export function ecsServicesResourceDeps(): EcsServicesResourceDeps {
  const ecs = traced(new ECSClient(withTimeouts()));
  const elb = traced(new ElasticLoadBalancingV2Client(withTimeouts()));
  return {
    services: (settings) => new EcsServiceControl(ecs, elb, settings.target),
    scaling: (settings) =>
      settings.scaling
        ? new EcsServiceScaling(
            autoScaling(),
            settings.target.cluster,
            settings.target.services,
            settings.scaling.resourceLabels,
          )
        : undefined,
    packages: objectProbe(),
    ...rolloutLocks(),
    now: () => new Date(),
  };
}
