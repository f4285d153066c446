/**
 * An endpoint on ECS as the inventory route reports it: each variant's service (its primary
 * deployment's running tasks and the package its task definition loads, whose key carries the
 * registry version) and the listener's weights. A variant with neither tasks nor traffic (the
 * challenger between rollouts) is left out. Read-only.
 */
import { versionOfPackage } from '../../../contracts/serving';
import type { EndpointView } from '../domain/inventory';
import type { ServiceControl } from './ecs-services';

const VARIANTS = ['champion', 'challenger'] as const;

export async function describeEcsEndpoint(control: ServiceControl): Promise<EndpointView | undefined> {
  const [services, weights] = await Promise.all([
    Promise.all(VARIANTS.map((v) => control.describeService(v))),
    control.getWeights(),
  ]);
  if (services[0]?.status !== 'ACTIVE') return undefined;
  const variants = [];
  let updating = false;
  let serving = true;
  for (const [i, name] of VARIANTS.entries()) {
    const primary = services[i]?.deployments.find((d) => d.status === 'PRIMARY');
    const weight = weights[name];
    if (!primary || (primary.desiredCount === 0 && weight === 0)) continue;
    if (primary.rolloutState === 'IN_PROGRESS') updating = true;
    if (weight > 0 && primary.runningCount === 0) serving = false;
    const version = versionOfPackage(await control.modelDataUrl(primary.taskDefinition));
    variants.push({
      name,
      ...(version === undefined ? {} : { version }),
      weight,
      instanceCount: primary.runningCount,
    });
  }
  return { status: updating ? 'Updating' : serving ? 'InService' : 'OutOfService', variants };
}
