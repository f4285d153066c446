/**
 * The custom resource that owns a model's SageMaker endpoint on AWS (CloudFormation provider
 * framework: `onEvent` starts the work, `isComplete` is polled until the endpoint settles).
 *
 * - Create: CreateEndpoint on the stack's config (the champion alone on the initial model), once the
 *   initial package exists; until then the first rollout creates the endpoint (no GPU is paid for
 *   an endpoint with nothing to serve), or, where no rollout creates it (`InitialPackageRequired`,
 *   an LLM endpoint), the deploy fails naming the package to upload. An endpoint of that name that exists already belongs to
 *   someone else: refused, never adopted.
 * - Update: the stack's new settings with the live models and weights (`planEndpointUpdate`), under
 *   the model's rollout lock so no rollout changes the endpoint meanwhile. While a rollout holds
 *   the lock the update waits for it (polled), so neither the deploy nor its rollback fails on it.
 *   An instance type change deregisters the variants' autoscaling first (SageMaker requires it).
 * - Delete: deregisters the autoscaling, then DeleteEndpoint (a missing one is fine).
 * Once the endpoint is InService (also after a failed update) the autoscaling of the variants it
 * has (the champion at rest) is registered with the stack's settings: this resource owns it, not
 * CloudFormation. A variant the stack's config drops (an older stack's challenger) leaves
 * autoscaling before the update removes it.
 */
import { STACK_UPDATE_LOCK_PREFIX } from '../../contracts/endpoint-locks';
import {
  type EndpointResourceProperties,
  VariantScalingSettings as ScalingSchema,
  Variant,
  type VariantScalingSettings,
} from '../../contracts/serving';
import { endpointProgress } from './adapters/sagemaker-rollout';
import { planEndpointUpdate } from './domain/endpoint-update';
import type { DeploymentStore, EndpointControl, EndpointScaling, EndpointState } from './domain/ports';

/** Longer than the provider's total timeout: a lock left by a dead update frees itself. */
const LOCK_MINUTES = 150;
const BUSY: ReadonlySet<EndpointState['status']> = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'Deleting',
]);

const VARIANTS = [Variant.CHAMPION, Variant.CHALLENGER];

export interface EndpointResourceDeps {
  readonly endpoints: EndpointControl;
  /** Variant autoscaling; without it (or without a `Scaling` property) none is registered. */
  readonly scaling?: EndpointScaling;
  /** Whether the initial package exists; without it, assumed to. */
  readonly packages?: { exists(url: string): Promise<boolean> };
  /** The rollout lock; without it (no deployments table) updates take none. */
  readonly locks?: Pick<DeploymentStore, 'acquireLock' | 'releaseLock'>;
  readonly now: () => Date;
}

export interface EndpointResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: EndpointResourceProperties & { readonly ServiceToken?: string };
}

/** What `onEvent` hands to `isComplete` (the framework merges it into the polled event). */
export interface EndpointResourceData {
  readonly EndpointName: string;
  /** The config the endpoint must end up on; absent while the update waits for the lock. */
  readonly ExpectedConfigName?: string;
  /** Set while a rollout holds the lock: `isComplete` takes it and does the update. */
  readonly WaitingForLock?: 'true';
  /** No endpoint and no initial package: the first rollout creates the endpoint. */
  readonly LeftToFirstRollout?: 'true';
  readonly LockId?: string;
}

type OnEventResult = { PhysicalResourceId: string; Data: EndpointResourceData };

function properties(event: EndpointResourceEvent): EndpointResourceProperties {
  const p = event.ResourceProperties;
  for (const key of ['EndpointName', 'EndpointConfigName', 'ModelName'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw new Error(`property ${key} is required`);
  }
  return p;
}

function scalingOf(props: EndpointResourceProperties): VariantScalingSettings | undefined {
  return props.Scaling === undefined ? undefined : ScalingSchema.parse(JSON.parse(props.Scaling));
}

/**
 * Registers the autoscaling (upserts) of the variants the endpoint has, if it is there to scale:
 * a scalable target exists only for a variant that does.
 */
async function applyScaling(deps: EndpointResourceDeps, props: EndpointResourceProperties): Promise<void> {
  const scaling = scalingOf(props);
  if (!deps.scaling || !scaling) return;
  const live = await deps.endpoints.describeEndpoint(props.EndpointName);
  if (live?.status !== 'InService') return;
  for (const variant of VARIANTS.filter((v) => v in live.weights))
    await deps.scaling.apply(props.EndpointName, variant, scaling);
}

async function removeScaling(deps: EndpointResourceDeps, endpointName: string): Promise<void> {
  for (const variant of VARIANTS) await deps.scaling?.remove(endpointName, variant);
}

export function makeOnEvent(deps: EndpointResourceDeps) {
  return async (event: EndpointResourceEvent): Promise<OnEventResult> => {
    if (event.RequestType === 'Delete') {
      const name = event.PhysicalResourceId ?? event.ResourceProperties.EndpointName;
      await removeScaling(deps, name);
      await deps.endpoints.deleteEndpoint(name);
      return { PhysicalResourceId: name, Data: { EndpointName: name } };
    }
    const props = properties(event);
    const name = props.EndpointName;
    // A new name is a new resource (CloudFormation deletes the old one afterwards).
    const creating = event.RequestType === 'Create' || event.PhysicalResourceId !== name;
    const live = await deps.endpoints.describeEndpoint(name);
    if (creating && live) {
      throw new Error(
        `endpoint ${name} already exists: another stack in this account and Region serves ${props.ModelName}`,
      );
    }
    if (!live) {
      if (!(await initialPackageExists(deps, props))) {
        if (props.InitialPackageRequired === 'true') {
          throw new Error(
            `endpoint ${name} serves ${props.InitialPackageUrl}, which does not exist: upload it, then deploy again`,
          );
        }
        return { PhysicalResourceId: name, Data: { EndpointName: name, LeftToFirstRollout: 'true' } };
      }
      // Created on the stack's config, as a first rollout would (also when deleted by hand).
      await deps.endpoints.createEndpoint(name, props.EndpointConfigName);
      return {
        PhysicalResourceId: name,
        Data: { EndpointName: name, ExpectedConfigName: props.EndpointConfigName },
      };
    }
    const lockId = `${STACK_UPDATE_LOCK_PREFIX}${event.RequestId}`;
    if (!(await acquire(deps, props.ModelName, lockId))) {
      return {
        PhysicalResourceId: name,
        Data: { EndpointName: name, WaitingForLock: 'true', LockId: lockId },
      };
    }
    try {
      const expected = await startUpdate(deps, props, live);
      if (expected === undefined) await deps.locks?.releaseLock(props.ModelName, lockId);
      return {
        PhysicalResourceId: name,
        Data: {
          EndpointName: name,
          ExpectedConfigName: expected ?? live.endpointConfigName,
          ...(expected !== undefined && deps.locks ? { LockId: lockId } : {}),
        },
      };
    } catch (err) {
      await deps.locks?.releaseLock(props.ModelName, lockId);
      throw err;
    }
  };
}

export function makeIsComplete(deps: EndpointResourceDeps) {
  return async (
    event: EndpointResourceEvent & { readonly Data?: EndpointResourceData },
  ): Promise<{ IsComplete: boolean }> => {
    if (event.RequestType === 'Delete') {
      const name = event.PhysicalResourceId ?? event.ResourceProperties.EndpointName;
      return { IsComplete: (await deps.endpoints.describeEndpoint(name)) === undefined };
    }
    const props = properties(event);
    const data = event.Data ?? { EndpointName: props.EndpointName };
    const lockId = data.LockId;
    const release = async () => {
      if (lockId) await deps.locks?.releaseLock(props.ModelName, lockId);
    };
    if (data.LeftToFirstRollout) return { IsComplete: true };
    if (data.WaitingForLock) return waitedUpdate(deps, props, lockId!);

    const live = await deps.endpoints.describeEndpoint(data.EndpointName);
    if (live && BUSY.has(live.status)) return { IsComplete: false };
    await release();
    // Also after a failed update (SageMaker back on the old config): never leave it unscaled.
    await applyScaling(deps, props);
    const { progress, reason } = endpointProgress(live, data.ExpectedConfigName, 0, 1);
    if (progress !== 'READY') throw new Error(`endpoint ${data.EndpointName}: ${reason}`);
    return { IsComplete: true };
  };
}

/**
 * The update of a deploy that found a rollout running, polled: take the lock once it is free,
 * then start the update, then wait until the plan has nothing left to do. A SageMaker failure
 * shows as the endpoint back on its old config, so it is tried again until the provider's
 * total timeout fails the resource.
 */
async function waitedUpdate(
  deps: EndpointResourceDeps,
  props: EndpointResourceProperties,
  lockId: string,
): Promise<{ IsComplete: boolean }> {
  if (!(await acquire(deps, props.ModelName, lockId))) return { IsComplete: false };
  const live = await deps.endpoints.describeEndpoint(props.EndpointName);
  if (live && BUSY.has(live.status)) return { IsComplete: false };
  try {
    if (!live) {
      if (!(await initialPackageExists(deps, props))) {
        await deps.locks?.releaseLock(props.ModelName, lockId);
        return { IsComplete: true };
      }
      await deps.endpoints.createEndpoint(props.EndpointName, props.EndpointConfigName);
      return { IsComplete: false };
    }
    if ((await startUpdate(deps, props, live)) !== undefined) return { IsComplete: false };
  } catch (err) {
    await deps.locks?.releaseLock(props.ModelName, lockId);
    await applyScaling(deps, props);
    throw err;
  }
  await deps.locks?.releaseLock(props.ModelName, lockId);
  await applyScaling(deps, props);
  return { IsComplete: true };
}

/** Starts the update the plan asks for; the config to wait for, or undefined for none. */
async function startUpdate(
  deps: EndpointResourceDeps,
  props: EndpointResourceProperties,
  live: EndpointState,
): Promise<string | undefined> {
  if (live.status !== 'InService') {
    throw new Error(
      `endpoint ${props.EndpointName} is ${live.status}: ${live.failureReason ?? 'not in service'}`,
    );
  }
  const plan = planEndpointUpdate({
    endpointName: props.EndpointName,
    template: await deps.endpoints.describeEndpointConfig(props.EndpointConfigName),
    current: await deps.endpoints.describeEndpointConfig(live.endpointConfigName),
    weights: live.weights,
  });
  if (plan.action === 'refuse') throw new Error(`endpoint ${props.EndpointName}: ${plan.reason}`);
  if (plan.action === 'none') return undefined;
  if (plan.create) await deps.endpoints.createEndpointConfig(plan.config);
  if (plan.rescale) await removeScaling(deps, props.EndpointName);
  for (const variant of plan.removed) await deps.scaling?.remove(props.EndpointName, variant);
  await deps.endpoints.updateEndpoint(props.EndpointName, plan.config.name);
  return plan.config.name;
}

async function initialPackageExists(
  deps: EndpointResourceDeps,
  props: EndpointResourceProperties,
): Promise<boolean> {
  if (!deps.packages || !props.InitialPackageUrl) return true;
  return deps.packages.exists(props.InitialPackageUrl);
}

async function acquire(deps: EndpointResourceDeps, modelName: string, lockId: string): Promise<boolean> {
  if (!deps.locks) return true;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
  return (await deps.locks.acquireLock(modelName, lockId, expiresAt, now.toISOString())).acquired;
}
