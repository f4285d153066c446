/**
 * The rollout's backend steps for a model served by ECS, with the same semantics and records as
 * the SageMaker steps (`tasks.ts`, `outcome.ts`): a variant's "model" is the task definition
 * revision its service runs, which loads one package; traffic is the listener's weights.
 * - challenger: a revision of the challenger's task definition on the version's package, deployed
 *   to the challenger service while it has no traffic;
 * - promotion: a revision of the champion's task definition on that package, deployed to the
 *   champion service while the challenger takes all traffic, then champion 100;
 * - rollback: champion 100 at once, both services back on their pre-rollout revisions.
 * Revisions the rollout made and no service runs any more are deregistered; the stack's own never.
 */
import { Variant } from '../../../contracts/serving';
import { bothProgress, primaryTaskDefinition, serviceProgress, steadyTaskDefinition } from './ecs-rollout';
import { completePromotion, completeRollback, startRollback } from './outcome';
import type { DeploymentDeps, ServiceControl, ServiceState } from './ports';
import { weightsAt } from './rollout';
import { type RolloutState, record } from './state';
import { afterCheck, readyVersion, refuseChallenger, shiftTrafficWith } from './tasks';

/** A task of the rollout on an endpoint served by ECS. */
export type EcsTask = (
  deps: DeploymentDeps,
  services: ServiceControl,
  state: RolloutState,
) => Promise<RolloutState>;

const WAITING = { state: 'WAITING', polls: 0 } as const;
const nextPoll = (state: RolloutState) => (state.progress?.polls ?? 0) + 1;

/**
 * What the challenger service runs before the rollout (restored by a rollback) and the revision
 * to copy. A retried task finds the service already on (or deploying) the version's package: the
 * revision it replaces is then the older deployment's, or the stack's own when that is gone.
 */
async function challengerBaseline(
  services: ServiceControl,
  service: ServiceState | undefined,
  modelDataUrl: string,
): Promise<{ template: string; previous: string } | { refusal: string }> {
  const current = primaryTaskDefinition(service);
  if (!service || !current) return { refusal: 'the challenger service does not exist' };
  const steady = steadyTaskDefinition(service);
  if ((await services.modelDataUrl(current)) === modelDataUrl) {
    const older = service.deployments.find((d) => d.taskDefinition !== current)?.taskDefinition;
    return { template: current, previous: older ?? services.initialTaskDefinition(Variant.CHALLENGER) };
  }
  if (!steady) return { refusal: `the challenger service is deploying ${current}` };
  return { template: steady, previous: steady };
}

/** A revision of the challenger's task definition on the version's package, deployed at weight 0. */
export const createChallenger: EcsTask = async (deps, services, state) => {
  const refuse = (reason: string) => refuseChallenger(deps, state, reason);
  const version = await readyVersion(deps, state);
  if ('refusal' in version) return refuse(version.refusal);
  const champion = steadyTaskDefinition(await services.describeService(Variant.CHAMPION));
  if (!champion) return refuse(`the champion service of ${state.endpointName} is missing or deploying`);
  const modelDataUrl = await deps.packages.ensurePackage({
    modelName: state.modelName,
    version: state.version,
    artifactKey: version.artifactKey,
  });
  if ((await services.modelDataUrl(champion)) === modelDataUrl)
    return refuse(`version ${state.version} is already the champion`);
  const baseline = await challengerBaseline(
    services,
    await services.describeService(Variant.CHALLENGER),
    modelDataUrl,
  );
  if ('refusal' in baseline) return refuse(baseline.refusal);

  // The challenger's tasks are replaced: no traffic may reach them meanwhile.
  if ((await services.getWeights()).challenger > 0) await services.setWeights(weightsAt(0));
  const taskDefinition = await services.registerTaskDefinitionLike(baseline.template, modelDataUrl);
  await services.updateService(Variant.CHALLENGER, taskDefinition);
  const previousVersion = await deps.registry.aliasVersion(state.modelName, 'champion');
  await record(deps, state, {
    phase: 'CREATING_CHALLENGER',
    weights: weightsAt(0),
    ...(previousVersion ? { previousVersion } : {}),
  });
  return {
    ...state,
    challenger: {
      created: true,
      modelName: taskDefinition,
      modelDataUrl,
      previousChampionModel: champion,
      previousChallengerModel: baseline.previous,
      ...(previousVersion ? { previousVersion } : {}),
    },
    progress: WAITING,
  };
};

export const checkChallenger: EcsTask = async (deps, services, state) => {
  const polls = nextPoll(state);
  const found = serviceProgress(
    await services.describeService(Variant.CHALLENGER),
    state.challenger?.modelName ?? '',
    polls,
    state.maxEndpointPolls,
  );
  return afterCheck(deps, state, 'challenger', found, polls);
};

export const shiftTraffic: EcsTask = (deps, services, state) =>
  shiftTrafficWith(deps, state, (weights) => services.setWeights(weights));

/** The champion service moves to the version while the challenger takes all traffic. */
export const promote: EcsTask = async (deps, services, state) => {
  const challenger = state.challenger!;
  const taskDefinition = await services.registerTaskDefinitionLike(
    challenger.previousChampionModel!,
    challenger.modelDataUrl!,
  );
  await services.updateService(Variant.CHAMPION, taskDefinition);
  await record(deps, state, { phase: 'PROMOTING' });
  return { ...state, promotion: { taskDefinition }, progress: WAITING };
};

export const checkPromotion: EcsTask = async (deps, services, state) => {
  const polls = nextPoll(state);
  const found = serviceProgress(
    await services.describeService(Variant.CHAMPION),
    state.promotion?.taskDefinition ?? '',
    polls,
    state.maxEndpointPolls,
  );
  return afterCheck(deps, state, 'promotion', found, polls);
};

/** Champion (now the version) 100, registry alias and stage, the old revisions retired. */
export const finishPromotion: EcsTask = async (deps, services, state) => {
  const challenger = state.challenger!;
  await services.setWeights(weightsAt(0));
  await deps.registry.promote(state.modelName, state.version, {
    principal: state.requestedBy,
    requestId: state.deploymentId,
  });
  const serving = [challenger.modelName, state.promotion?.taskDefinition];
  await retire(services, [challenger.previousChampionModel, challenger.previousChallengerModel], serving);
  return completePromotion(deps, state);
};

/** First move of a rollback: all traffic back to the champion, at once. */
export const restoreWeights: EcsTask = async (deps, services, state) => {
  if ((await services.getWeights()).challenger > 0) await services.setWeights(weightsAt(0));
  return startRollback(deps, state);
};

/** A listener change applies at once; this reads it back. */
export const checkSettled: EcsTask = async (deps, services, state) => {
  const polls = nextPoll(state);
  const weights = await services.getWeights();
  const found =
    weights.challenger === 0
      ? { progress: 'READY' as const }
      : polls >= state.maxEndpointPolls
        ? {
            progress: 'FAILED' as const,
            reason: `the challenger still has ${weights.challenger}% of traffic`,
          }
        : { progress: 'WAITING' as const };
  return afterCheck(deps, state, 'settled', found, polls);
};

/** Both services back on the revisions they ran before the rollout (no-op where they still do). */
export const restoreConfig: EcsTask = async (_deps, services, state) => {
  const challenger = state.challenger;
  if (challenger?.created) {
    if (challenger.previousChampionModel)
      await services.updateService(Variant.CHAMPION, challenger.previousChampionModel);
    if (challenger.previousChallengerModel)
      await services.updateService(Variant.CHALLENGER, challenger.previousChallengerModel);
  }
  return { ...state, progress: WAITING };
};

export const checkRestored: EcsTask = async (deps, services, state) => {
  const polls = nextPoll(state);
  const challenger = state.challenger;
  if (!challenger?.created) return afterCheck(deps, state, 'restore', { progress: 'READY' }, polls);
  const check = async (variant: typeof Variant.CHAMPION | typeof Variant.CHALLENGER, expected?: string) =>
    expected
      ? serviceProgress(await services.describeService(variant), expected, polls, state.maxEndpointPolls)
      : { progress: 'READY' as const };
  const found = bothProgress(
    await check(Variant.CHAMPION, challenger.previousChampionModel),
    await check(Variant.CHALLENGER, challenger.previousChallengerModel),
  );
  return afterCheck(deps, state, 'restore', found, polls);
};

/** The rollout's revisions deregistered, registry untouched, `DeploymentRolledBack` with the cause. */
export const finishRollback: EcsTask = async (deps, services, state) => {
  const challenger = state.challenger;
  if (challenger?.created) {
    const serving = [challenger.previousChampionModel, challenger.previousChallengerModel];
    await retire(services, [challenger.modelName, state.promotion?.taskDefinition], serving);
  }
  return completeRollback(deps, state);
};

/** Deregisters the revisions no service runs any more; the stack's own are CloudFormation's. */
async function retire(
  services: ServiceControl,
  revisions: ReadonlyArray<string | undefined>,
  serving: ReadonlyArray<string | undefined>,
): Promise<void> {
  const initial = [
    services.initialTaskDefinition(Variant.CHAMPION),
    services.initialTaskDefinition(Variant.CHALLENGER),
  ];
  for (const revision of new Set(revisions)) {
    if (revision && !serving.includes(revision) && !initial.includes(revision)) {
      await services.deregisterTaskDefinition(revision);
    }
  }
}
