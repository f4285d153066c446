/** Wires the deployment ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ApplicationAutoScalingClient } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { ENV } from '../../contracts/env';
import { GovernancePolicy } from '../../contracts/registry';
import { DynamoDbRegistryStore } from '../registry/adapters/dynamodb-registry-store';
import { S3ArtifactStore } from '../registry/adapters/s3-artifact-store';
import type { RegistryDeps } from '../registry/domain/ports';
import { documentClient, dynamoDbClient, requiredEnv, s3Client } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { ApplicationAutoScalingEndpointScaling } from './adapters/application-autoscaling';
import { CloudWatchAlarmReader } from './adapters/cloudwatch-alarms';
import { DynamoDbDeploymentStore } from './adapters/dynamodb-deployment-store';
import { EcsServiceControl } from './adapters/ecs-services';
import { RegistryDomainPort } from './adapters/registry-port';
import { S3ModelPackages } from './adapters/s3-model-packages';
import { S3ObjectProbe } from './adapters/s3-object-probe';
import { SageMakerEndpointControl } from './adapters/sagemaker-endpoint';
import { SsmDeploymentTargets } from './adapters/ssm-deployment-targets';
import { StepFunctionsExecutions } from './adapters/step-functions-executions';
import type { DeploymentApiDeps } from './domain/api';
import type { DeploymentDeps, ServiceControl } from './domain/ports';
import { type DeploymentTargetSource, fixedTargets } from './domain/targets';
import type { EndpointResourceDeps } from './endpoint-resource';

const endpoint = (name: string) => process.env[name] || undefined;

function registryDeps(): RegistryDeps {
  return {
    store: new DynamoDbRegistryStore({
      client: documentClient(),
      registryTable: requiredEnv(ENV.registryTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    artifacts: new S3ArtifactStore({
      client: s3Client(),
      bucket: requiredEnv(ENV.artifactsBucket),
      urlTtlSeconds: 900,
    }),
    policy: GovernancePolicy.parse(JSON.parse(process.env[ENV.governancePolicy] ?? '{}')),
    now: () => new Date(),
    newId: randomUUID,
  };
}

function deploymentStore() {
  return new DynamoDbDeploymentStore({
    client: documentClient(),
    deploymentsTable: requiredEnv(ENV.deploymentsTable),
    auditTable: requiredEnv(ENV.auditTable),
  });
}

let targets: DeploymentTargetSource | undefined;

/**
 * The stack's rollout targets (SSM parameters under `DEPLOYMENT_TARGETS_PATH`), one cached reader
 * per container; none when the stack declares no endpoint. The retraining tasks read them too.
 */
export function deploymentTargets(): DeploymentTargetSource {
  const path = process.env[ENV.deploymentTargetsPath];
  targets ??= path
    ? new SsmDeploymentTargets({ client: new SSMClient({ endpoint: endpoint(ENV.ssmEndpoint) }), path })
    : fixedTargets({});
  return targets;
}

/**
 * The ECS services of each model whose target is on ECS, from the stack's targets (not from the
 * execution input: the stack decides which resources a rollout may drive).
 */
function ecsServices(
  targets: DeploymentTargetSource,
): (modelName: string) => Promise<ServiceControl | undefined> {
  let clients: { ecs: ECSClient; elb: ElasticLoadBalancingV2Client } | undefined;
  return async (modelName) => {
    const target = await targets.get(modelName);
    if (target?.backend !== 'ecs') return undefined;
    if (!target.ecs)
      throw new Error(`${modelName} is served by ECS but its deployment target names no services`);
    clients ??= { ecs: new ECSClient({}), elb: new ElasticLoadBalancingV2Client({}) };
    return new EcsServiceControl(clients.ecs, clients.elb, target.ecs);
  };
}

/** SageMaker's control plane (the local SageMaker's where `MLOPS_SAGEMAKER_ENDPOINT` is set). */
const sageMakerEndpoints = () =>
  new SageMakerEndpointControl(new SageMakerClient({ endpoint: endpoint(ENV.sageMakerEndpoint) }));

/**
 * Application Auto Scaling of SageMaker variants; none where SageMaker is the local one (it has
 * no autoscaling, one process per variant).
 */
function endpointScaling(): { scaling?: ApplicationAutoScalingEndpointScaling } {
  if (endpoint(ENV.sageMakerEndpoint)) return {};
  return { scaling: new ApplicationAutoScalingEndpointScaling(new ApplicationAutoScalingClient({})) };
}

/** Ports of the state machine's tasks. */
export function taskDeps(): DeploymentDeps {
  return {
    endpoints: sageMakerEndpoints(),
    ecsServices: ecsServices(deploymentTargets()),
    ...endpointScaling(),
    alarms: new CloudWatchAlarmReader(new CloudWatchClient({ endpoint: endpoint(ENV.cloudWatchEndpoint) })),
    store: deploymentStore(),
    registry: new RegistryDomainPort(registryDeps()),
    packages: new S3ModelPackages(s3Client(), requiredEnv(ENV.artifactsBucket)),
    now: () => new Date(),
    newId: randomUUID,
  };
}

export interface DeploymentHandlerDeps extends DeploymentApiDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

/** Ports of the rollout routes. */
export function apiDeps(): DeploymentHandlerDeps {
  const registry = registryDeps();
  return {
    targets: deploymentTargets(),
    store: deploymentStore(),
    registry: registry.store,
    policy: registry.policy,
    executions: new StepFunctionsExecutions(
      new SFNClient({ endpoint: endpoint(ENV.stepFunctionsEndpoint) }),
      requiredEnv(ENV.deploymentStateMachineArn),
    ),
    now: () => new Date(),
    newId: randomUUID,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}

/** The endpoint custom resource's ports: SageMaker, autoscaling, and the rollout lock when the stack has one. */
export function endpointResourceDeps(): EndpointResourceDeps {
  const table = process.env[ENV.deploymentsTable];
  return {
    endpoints: sageMakerEndpoints(),
    ...endpointScaling(),
    packages: new S3ObjectProbe(s3Client()),
    ...(table
      ? {
          locks: new DynamoDbDeploymentStore({
            client: documentClient(),
            deploymentsTable: table,
            // Locks write no audit record.
            auditTable: process.env[ENV.auditTable] ?? '',
          }),
        }
      : {}),
    now: () => new Date(),
  };
}
