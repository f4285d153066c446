/**
 * Wires the deployment custom resources' ports from env, once per container: every event they
 * get drives an endpoint or its services, so their control planes are imported up front, and
 * they load neither the registry nor the rollout routes' wiring (`deps.ts`).
 */
import { ENV } from '../../contracts/env';
import { documentClient } from '../shared/clients';
import { lazyPort } from '../shared/lazy-port';
import { DynamoDbDeploymentStore } from './adapters/dynamodb-deployment-store';
import type { S3ObjectProbe } from './adapters/s3-object-probe';
import { ecsServiceControl, ecsServiceScaling, endpointScaling, sageMakerEndpoints } from './control-planes';
import type { EcsServicesResourceDeps } from './ecs-services-resource';
import type { EndpointResourceDeps } from './endpoint-resource';

/** S3 (the initial package's probe) imported on first use. */
const objectProbe = () =>
  lazyPort<S3ObjectProbe>(async () => (await import('./on-demand')).objectProbe(), {});

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
  return {
    services: (settings) => ecsServiceControl(settings.target),
    scaling: (settings) =>
      settings.scaling ? ecsServiceScaling(settings.target, settings.scaling.resourceLabels) : undefined,
    packages: objectProbe(),
    ...rolloutLocks(),
    now: () => new Date(),
  };
}
