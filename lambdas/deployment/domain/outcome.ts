/**
 * The rollout's last task functions: promotion (the challenger's model becomes the champion's,
 * registry updated) and rollback (traffic and config restored, challenger removed, registry
 * untouched). Each takes the execution state and returns it updated.
 */
import { DeploymentEvent } from '../../../contracts/events';
import { endpointConfigName, Variant } from '../../../contracts/serving';
import type { DeploymentDeps } from './ports';
import { deriveConfig, weightsAt } from './rollout';
import { deploymentAudit, madeByRollout, newDeployment, type RolloutState, record, short } from './state';

/** The challenger's model becomes the champion's (both variants, champion weight 100). */
export async function promote(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const challenger = state.challenger!;
  const base = await deps.endpoints.describeEndpointConfig(challenger.endpointConfigName!);
  const promoted = deriveConfig(
    base,
    endpointConfigName(state.modelName, `p${short(state.deploymentId)}`),
    { champion: challenger.modelName!, challenger: challenger.modelName! },
    weightsAt(0),
  );
  await deps.endpoints.createEndpointConfig(promoted);
  await deps.endpoints.updateEndpoint(state.endpointName, promoted.name);
  await record(deps, state, { phase: 'PROMOTING' });
  return {
    ...state,
    promotion: { endpointConfigName: promoted.name },
    progress: { state: 'WAITING', polls: 0 },
  };
}

/** Registry alias and stage, old champion retired, lock released, `DeploymentPromoted`. */
export async function finishPromotion(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const challenger = state.challenger!;
  await deps.registry.promote(state.modelName, state.version, {
    principal: state.requestedBy,
    requestId: state.deploymentId,
  });
  // UpdateEndpoint took the promoted config's weights (champion 100); an endpoint that kept its
  // old weights (a stand-in that ignores ExcludeRetainedVariantProperties) is corrected here.
  const endpoint = await deps.endpoints.describeEndpoint(state.endpointName);
  if (endpoint?.status === 'InService' && (endpoint.weights[Variant.CHALLENGER] ?? 0) > 0) {
    await deps.endpoints.setWeights(state.endpointName, { [Variant.CHAMPION]: 100, [Variant.CHALLENGER]: 0 });
  }
  // The old champion's model and the configs before the promoted one serve nothing any more.
  if (
    madeByRollout(challenger.previousChampionModel) &&
    challenger.previousChampionModel !== challenger.modelName
  ) {
    await deps.endpoints.deleteModel(challenger.previousChampionModel);
  }
  for (const config of [challenger.previousEndpointConfigName, challenger.endpointConfigName]) {
    if (madeByRollout(config)) await deps.endpoints.deleteEndpointConfig(config);
  }
  // An endpoint the first rollout created has no autoscaling yet (the stack's endpoint resource
  // registers it only for an endpoint it made); registering is an upsert, so every promotion does.
  if (state.scaling && deps.scaling) {
    for (const variant of [Variant.CHAMPION, Variant.CHALLENGER]) {
      await deps.scaling.apply(state.endpointName, variant, state.scaling);
    }
  }
  return completePromotion(deps, state);
}

/**
 * The end of every promotion, whatever the backend: the final record (champion 100) and
 * `DeploymentPromoted` naming what was retired, the lock released.
 */
export async function completePromotion(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const challenger = state.challenger!;
  const at = deps.now().toISOString();
  const current =
    (await deps.store.getDeployment(state.modelName, state.deploymentId)) ?? newDeployment(state, at);
  await deps.store.finishDeployment(
    {
      ...current,
      status: 'PROMOTED',
      phase: 'DONE',
      weights: { champion: 100, challenger: 0 },
      updatedAt: at,
    },
    deploymentAudit(state, deps, at, DeploymentEvent.DEPLOYMENT_PROMOTED, {
      retiredModel: challenger.previousChampionModel,
      ...(challenger.previousVersion ? { previousVersion: challenger.previousVersion } : {}),
    }),
  );
  return { ...state, outcome: { status: 'PROMOTED' } };
}

/** Why the rollout is rolling back, from whichever step found out. */
export function rollbackCause(state: RolloutState): { reason: string; alarm?: string } {
  if (state.rollback) return state.rollback;
  if (state.challenger && !state.challenger.created)
    return { reason: state.challenger.reason ?? 'no challenger' };
  if (state.error) return { reason: `${state.error.Error ?? 'Error'}: ${state.error.Cause ?? ''}`.trim() };
  if (state.progress?.state === 'FAILED')
    return { reason: state.progress.reason ?? 'endpoint update failed' };
  return { reason: 'rolled back' };
}

/** First move of a rollback: all traffic back to the champion, at once (no redeploy). */
export async function restoreWeights(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const endpoint = await deps.endpoints.describeEndpoint(state.endpointName);
  // Weights only matter once traffic moved; an endpoint mid-update takes them with the config.
  if (state.bake && endpoint?.status === 'InService' && (endpoint.weights[Variant.CHALLENGER] ?? 0) > 0) {
    await deps.endpoints.setWeights(state.endpointName, { [Variant.CHAMPION]: 100, [Variant.CHALLENGER]: 0 });
  }
  return startRollback(deps, state);
}

/** Records that the rollout is rolling back (traffic is on the champion) and why. */
export async function startRollback(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const cause = rollbackCause(state);
  await record(deps, state, { phase: 'ROLLING_BACK', weights: weightsAt(0), reason: cause.reason });
  return { ...state, rollback: cause, progress: { state: 'WAITING', polls: 0 } };
}

/** Puts the endpoint back on the config it had before the rollout, if it is not on it. */
export async function restoreConfig(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const previous = state.challenger?.previousEndpointConfigName;
  const endpoint = await deps.endpoints.describeEndpoint(state.endpointName);
  if (previous && endpoint && endpoint.endpointConfigName !== previous) {
    await deps.endpoints.updateEndpoint(state.endpointName, previous);
  }
  return { ...state, progress: { state: 'WAITING', polls: 0 } };
}

/** Challenger removed, lock released, registry untouched, `DeploymentRolledBack` with the cause. */
export async function finishRollback(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const challenger = state.challenger;
  if (challenger?.createdEndpoint) await deps.endpoints.deleteEndpoint(state.endpointName);
  if (challenger?.created) {
    for (const config of [challenger.endpointConfigName, state.promotion?.endpointConfigName]) {
      if (madeByRollout(config)) await deps.endpoints.deleteEndpointConfig(config);
    }
    if (madeByRollout(challenger.modelName) && challenger.modelName !== challenger.previousChampionModel) {
      await deps.endpoints.deleteModel(challenger.modelName);
    }
  }
  return completeRollback(deps, state);
}

/**
 * The end of every rollback, whatever the backend: the final record and `DeploymentRolledBack`
 * with the cause (the alarm that fired), the lock released, the registry untouched.
 */
export async function completeRollback(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const cause = rollbackCause(state);
  const at = deps.now().toISOString();
  const current =
    (await deps.store.getDeployment(state.modelName, state.deploymentId)) ?? newDeployment(state, at);
  await deps.store.finishDeployment(
    {
      ...current,
      status: 'ROLLED_BACK',
      phase: 'DONE',
      weights: weightsAt(0),
      reason: cause.reason,
      ...(cause.alarm ? { alarm: cause.alarm } : {}),
      updatedAt: at,
    },
    deploymentAudit(state, deps, at, DeploymentEvent.DEPLOYMENT_ROLLED_BACK, {
      reason: cause.reason,
      ...(cause.alarm ? { alarm: cause.alarm } : {}),
      step: (state.bake?.stepIndex ?? -1) + 1,
    }),
  );
  return { ...state, rollback: cause, outcome: { status: 'ROLLED_BACK', ...cause } };
}
