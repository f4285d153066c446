/**
 * The custom resource that owns the two services of an ECS-served endpoint on AWS (CloudFormation
 * provider framework: `onEvent` starts the work, `isComplete` is polled until the services settle).
 * CloudFormation's own `AWS::ECS::Service` would put a service back on the stack's task definition,
 * so on the initial package, whenever that changes, and reset its desired count on any update.
 *
 * - Create: CreateService of both variants on the stack's task definitions. The champion runs
 *   `InitialCount` tasks once the initial package exists, none before (the first rollout starts
 *   them: a task with no package would only fail its health checks); the challenger runs none (one
 *   variant at rest). Services of those names that exist already are refused, never adopted.
 * - Update: under the model's rollout lock, waiting for a running rollout as the SageMaker endpoint
 *   resource does. A service still on the initial package moves to the stack's new task definition;
 *   one on a rollout's package moves to a revision like the stack's on that package (the stack's
 *   settings, the rollout's model). A champion with no task starts `InitialCount` once the initial
 *   package it serves exists. Desired counts are otherwise autoscaling's and the rollouts'.
 * - Delete: deregisters the autoscaling and deletes both services.
 * Once both services are steady, the champion's autoscaling is registered if it runs tasks.
 */

import type {
  EcsServiceSpec,
  EcsServicesResourceProperties,
  EcsServingTarget,
  PerVariant,
} from '../../contracts/deployment';
import { STACK_UPDATE_LOCK_PREFIX } from '../../contracts/endpoint-locks';
import { VariantScalingSettings as ScalingSchema, Variant, type VariantName } from '../../contracts/serving';
import { bothProgress, primaryTaskDefinition, serviceProgress } from './adapters/ecs-rollout';
import type { ServiceAdmin } from './adapters/ecs-services';
import type { DeploymentStore, EndpointScaling, VariantScaling } from './domain/ports';

/** Longer than the provider's total timeout: a lock left by a dead update frees itself. */
const LOCK_MINUTES = 150;
const VARIANTS = [Variant.CHAMPION, Variant.CHALLENGER] as const;

/** The resource's properties, parsed. */
export interface EcsServicesSettings {
  readonly modelName: string;
  readonly target: EcsServingTarget;
  readonly specs: PerVariant<EcsServiceSpec>;
  readonly taskDefinitions: PerVariant<string>;
  readonly initialPackageUrl: string;
  readonly initialCount: number;
  readonly scaling?: { readonly settings: VariantScaling; readonly resourceLabels: PerVariant<string> };
}

export interface EcsServicesResourceDeps {
  /** The ECS calls on the endpoint's services. */
  readonly services: (settings: EcsServicesSettings) => ServiceAdmin;
  /** The services' autoscaling; without it none is registered. */
  readonly scaling?: (settings: EcsServicesSettings) => EndpointScaling | undefined;
  /** Whether the initial package exists; without it, assumed to. */
  readonly packages?: { exists(url: string): Promise<boolean> };
  /** The rollout lock; without it (no deployments table) updates take none. */
  readonly locks?: Pick<DeploymentStore, 'acquireLock' | 'releaseLock'>;
  readonly now: () => Date;
}

export interface EcsServicesResourceEvent {
  readonly RequestType: 'Create' | 'Update' | 'Delete';
  readonly RequestId: string;
  readonly PhysicalResourceId?: string;
  readonly ResourceProperties: EcsServicesResourceProperties & { readonly ServiceToken?: string };
  readonly OldResourceProperties?: EcsServicesResourceProperties;
}

/** What `onEvent` hands to `isComplete`. */
export interface EcsServicesResourceData {
  /** JSON of `PerVariant<string>`: the task definition each service must end up on. */
  readonly Expected?: string;
  /** Set while a rollout holds the lock: `isComplete` takes it and does the update. */
  readonly WaitingForLock?: 'true';
  readonly LockId?: string;
}

type OnEventResult = { PhysicalResourceId: string; Data: EcsServicesResourceData };

export function parseEcsServicesProperties(p: EcsServicesResourceProperties): EcsServicesSettings {
  for (const key of ['ModelName', 'Cluster', 'Services', 'TaskDefinitions', 'InitialPackageUrl'] as const) {
    if (typeof p[key] !== 'string' || p[key] === '') throw new Error(`property ${key} is required`);
  }
  const specs = JSON.parse(p.Services) as PerVariant<EcsServiceSpec>;
  const taskDefinitions = JSON.parse(p.TaskDefinitions) as PerVariant<string>;
  const scaling = p.Scaling
    ? (JSON.parse(p.Scaling) as { settings: unknown; resourceLabels: PerVariant<string> })
    : undefined;
  const initialCount = Number(p.InitialCount ?? 1);
  if (!Number.isInteger(initialCount) || initialCount < 1)
    throw new Error(`property InitialCount must be a positive integer, got ${p.InitialCount}`);
  const each = <T>(of: (v: VariantName) => T): PerVariant<T> => ({
    champion: of('champion'),
    challenger: of('challenger'),
  });
  return {
    modelName: p.ModelName,
    target: {
      cluster: p.Cluster,
      services: each((v) => specs[v].serviceName),
      listenerArn: '',
      targetGroupArns: each((v) => specs[v].loadBalancers[0]?.targetGroupArn ?? ''),
      taskDefinitionFamilies: each((v) => familyOf(taskDefinitions[v])),
      initialTaskDefinitionArns: taskDefinitions,
    },
    specs,
    taskDefinitions,
    initialPackageUrl: p.InitialPackageUrl,
    initialCount,
    ...(scaling
      ? {
          scaling: {
            settings: ScalingSchema.parse(scaling.settings),
            resourceLabels: scaling.resourceLabels,
          },
        }
      : {}),
  };
}

/** `arn:...:task-definition/<family>:<revision>` -> `<family>`. */
const familyOf = (arn: string) => arn.replace(/^.*task-definition\//, '').replace(/:\d+$/, '');

export function makeOnEvent(deps: EcsServicesResourceDeps) {
  return async (event: EcsServicesResourceEvent): Promise<OnEventResult> => {
    const settings = parseEcsServicesProperties(event.ResourceProperties);
    const id = `${settings.target.cluster}/${settings.modelName}`;
    const services = deps.services(settings);
    if (event.RequestType === 'Delete') {
      const scaling = deps.scaling?.(settings);
      for (const variant of VARIANTS) {
        await scaling?.remove(settings.target.cluster, variant);
        await services.deleteService(variant);
      }
      return { PhysicalResourceId: event.PhysicalResourceId ?? id, Data: {} };
    }
    if (event.RequestType === 'Create') {
      const existing = [];
      for (const variant of VARIANTS) {
        if ((await services.describeService(variant))?.status === 'ACTIVE')
          existing.push(settings.target.services[variant]);
      }
      if (existing.length > 0) {
        throw new Error(
          `service(s) ${existing.join(', ')} already exist in ${settings.target.cluster}: another stack serves ${settings.modelName}`,
        );
      }
      const tasks = (await initialPackageExists(deps, settings)) ? settings.initialCount : 0;
      for (const variant of VARIANTS) {
        const count = variant === Variant.CHAMPION ? tasks : 0;
        await services.createService(
          variant,
          settings.specs[variant],
          settings.taskDefinitions[variant],
          count,
        );
      }
      return { PhysicalResourceId: id, Data: { Expected: JSON.stringify(settings.taskDefinitions) } };
    }
    const lockId = `${STACK_UPDATE_LOCK_PREFIX}${event.RequestId}`;
    if (!(await acquire(deps, settings.modelName, lockId)))
      return { PhysicalResourceId: id, Data: { WaitingForLock: 'true', LockId: lockId } };
    try {
      const expected = await startUpdate(deps, services, settings, event.OldResourceProperties);
      return {
        PhysicalResourceId: id,
        Data: { Expected: JSON.stringify(expected), ...(deps.locks ? { LockId: lockId } : {}) },
      };
    } catch (err) {
      await deps.locks?.releaseLock(settings.modelName, lockId);
      throw err;
    }
  };
}

export function makeIsComplete(deps: EcsServicesResourceDeps) {
  return async (
    event: EcsServicesResourceEvent & { readonly Data?: EcsServicesResourceData },
  ): Promise<{ IsComplete: boolean }> => {
    const settings = parseEcsServicesProperties(event.ResourceProperties);
    const services = deps.services(settings);
    if (event.RequestType === 'Delete') {
      for (const variant of VARIANTS) {
        const service = await services.describeService(variant);
        if (service && service.status !== 'INACTIVE') return { IsComplete: false };
      }
      return { IsComplete: true };
    }
    const data = event.Data ?? {};
    let expected: PerVariant<string>;
    if (data.WaitingForLock) {
      if (!(await acquire(deps, settings.modelName, data.LockId!))) return { IsComplete: false };
      // Planned again at each poll: registering and updating are no-ops once done.
      try {
        expected = await startUpdate(deps, services, settings, event.OldResourceProperties);
      } catch (err) {
        await deps.locks?.releaseLock(settings.modelName, data.LockId!);
        throw err;
      }
    } else {
      expected = data.Expected ? JSON.parse(data.Expected) : settings.taskDefinitions;
    }
    const release = async () => {
      if (data.LockId) await deps.locks?.releaseLock(settings.modelName, data.LockId);
    };
    const progress = bothProgress(
      serviceProgress(await services.describeService('champion'), expected.champion, 0, Infinity),
      serviceProgress(await services.describeService('challenger'), expected.challenger, 0, Infinity),
    );
    if (progress.progress === 'WAITING') return { IsComplete: false };
    await release();
    await applyChampionScaling(deps, services, settings);
    if (progress.progress === 'FAILED')
      throw new Error(`services of ${settings.modelName}: ${progress.reason}`);
    return { IsComplete: true };
  };
}

/**
 * Moves each service to the stack's task definition, or to a revision like it on the package a
 * rollout put there; starts the champion once its initial package exists. Returns the task
 * definition each service must end up on.
 */
async function startUpdate(
  deps: EcsServicesResourceDeps,
  services: ServiceAdmin,
  settings: EcsServicesSettings,
  old?: EcsServicesResourceProperties,
): Promise<PerVariant<string>> {
  const initialUrls = new Set([settings.initialPackageUrl, old?.InitialPackageUrl]);
  const expected: Record<string, string> = {};
  for (const variant of VARIANTS) {
    const stackTaskDefinition = settings.taskDefinitions[variant];
    const service = await services.describeService(variant);
    const current = service?.status === 'ACTIVE' ? primaryTaskDefinition(service) : undefined;
    if (!service || !current) {
      // Deleted by hand: made again, as on create.
      const tasks =
        variant === Variant.CHAMPION && (await initialPackageExists(deps, settings))
          ? settings.initialCount
          : 0;
      await services.createService(variant, settings.specs[variant], stackTaskDefinition, tasks);
      expected[variant] = stackTaskDefinition;
      continue;
    }
    const url = await services.modelDataUrl(current);
    const onInitial = initialUrls.has(url);
    const taskDefinition = onInitial
      ? stackTaskDefinition
      : await services.registerTaskDefinitionLike(stackTaskDefinition, url);
    const start =
      variant === Variant.CHAMPION &&
      service.desiredCount === 0 &&
      onInitial &&
      (await initialPackageExists(deps, settings))
        ? settings.initialCount
        : undefined;
    await services.updateService(variant, taskDefinition, start);
    expected[variant] = taskDefinition;
  }
  return expected as unknown as PerVariant<string>;
}

/** Registers the champion's autoscaling (an upsert) if it runs tasks: its minimum would start some. */
async function applyChampionScaling(
  deps: EcsServicesResourceDeps,
  services: ServiceAdmin,
  settings: EcsServicesSettings,
): Promise<void> {
  const scaling = deps.scaling?.(settings);
  if (!scaling || !settings.scaling) return;
  const champion = await services.describeService(Variant.CHAMPION);
  if (champion?.status === 'ACTIVE' && champion.desiredCount > 0)
    await scaling.apply(settings.target.cluster, Variant.CHAMPION, settings.scaling.settings);
}

async function initialPackageExists(deps: EcsServicesResourceDeps, settings: EcsServicesSettings) {
  return deps.packages ? deps.packages.exists(settings.initialPackageUrl) : true;
}

async function acquire(deps: EcsServicesResourceDeps, modelName: string, lockId: string): Promise<boolean> {
  if (!deps.locks) return true;
  const now = deps.now();
  const expiresAt = new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString();
  return (await deps.locks.acquireLock(modelName, lockId, expiresAt, now.toISOString())).acquired;
}
