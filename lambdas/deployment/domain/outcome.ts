/**
 * The rollout's last task functions: promotion (the version becomes the champion, registry
 * updated) and rollback (traffic and variants restored, challenger removed, registry untouched).
 * Each takes the execution state and returns it updated; the serving side goes through the
 * `VariantBackend` port.
 */
import { DeploymentEvent } from '../../../contracts/events';
import { CHAMPION_ALIAS } from '../../../contracts/registry';
import type { RolloutDeps } from './ports';
import { weightsAt } from './rollout';
import {
  deploymentAudit,
  newDeployment,
  type RolloutState,
  record,
  recordRouting,
  releasesRegistryVersion,
} from './state';

const WAITING = { state: 'WAITING', polls: 0 } as const;

/** The version goes onto the champion variant (the challenger keeps serving it meanwhile). */
export async function promote(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  // Recorded first: a write that fails after the endpoint moved would lose the promoted config
  // from the state (a Catch keeps the state as it came in), and the rollback would not remove it.
  await record(deps, state, { phase: 'PROMOTING' });
  const promotion = await deps.backend.promote(state);
  // Kept with the record for a stopped execution's undo. The execution state carries it for this
  // execution's own rollback, so a lost write is no reason to roll back (a stop in between undoes
  // the rollout as if the promotion had not begun).
  const resources = { challenger: state.challenger, promotion };
  await record(deps, state, { phase: 'PROMOTING' }, undefined, {}, resources).catch(() => undefined);
  return { ...state, promotion, progress: WAITING };
}

/** Champion 100, registry alias and stage, old champion retired, lock released, `DeploymentPromoted`. */
export async function finishPromotion(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  await deps.backend.championTakesAll(state);
  await recordRouting(deps, state, weightsAt(0));
  // A model id rollout's promotion is the backend's (the served-model record): no registry version.
  if (releasesRegistryVersion(state)) await promoteInRegistry(deps, state);
  await deps.backend.retirePrevious(state);
  return completePromotion(deps, state);
}

/** `champion` and the stage move to the version (a lost answer of a committed move included). */
export async function promoteInRegistry(
  deps: Pick<RolloutDeps, 'registry'>,
  state: RolloutState,
): Promise<void> {
  try {
    await deps.registry.promote(
      state.modelName,
      state.version,
      { principal: state.requestedBy, requestId: state.requestId ?? state.deploymentId },
      state.approvalId,
    );
  } catch (err) {
    // Committed with its answer lost (alias and stage move in one transaction): the alias says so.
    const champion = await deps.registry.aliasVersion(state.modelName, CHAMPION_ALIAS).catch(() => undefined);
    if (champion !== state.version) throw err;
  }
}

/** The final record (champion 100) and `DeploymentPromoted` naming what was retired, the lock released. */
async function completePromotion(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const challenger = state.challenger!;
  const at = deps.now().toISOString();
  const current =
    (await deps.store.getDeployment(state.modelName, state.deploymentId)) ?? newDeployment(state, at);
  // A retried task after the write committed: it is not written (nor audited) twice.
  if (current.status === 'PROMOTED') return { ...state, outcome: { status: 'PROMOTED' } };
  try {
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
  } catch (err) {
    // The write may have committed with its answer lost: rolling back now would leave the
    // registry's champion, promoted above, on an endpoint serving the old one. The record says.
    const after = await deps.store.getDeployment(state.modelName, state.deploymentId).catch(() => undefined);
    if (after?.status !== 'PROMOTED') throw err;
  }
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
export async function restoreWeights(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  await deps.backend.restoreWeights(state);
  await recordRouting(deps, state, weightsAt(0));
  const cause = rollbackCause(state);
  await record(deps, state, { phase: 'ROLLING_BACK', weights: weightsAt(0), reason: cause.reason });
  return { ...state, rollback: cause, progress: WAITING };
}

/** Puts both variants back on what they served before the rollout. */
export async function restoreConfig(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  await deps.backend.restoreVariants(state);
  return { ...state, progress: WAITING };
}

/** Challenger removed, lock released, registry untouched, `DeploymentRolledBack` with the cause. */
export async function finishRollback(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  await deps.backend.removeChallenger(state);
  return completeRollback(deps, state);
}

/** The final record and `DeploymentRolledBack` with the cause (the alarm that fired), the lock released. */
async function completeRollback(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const cause = rollbackCause(state);
  const at = deps.now().toISOString();
  const current =
    (await deps.store.getDeployment(state.modelName, state.deploymentId)) ?? newDeployment(state, at);
  // A retried task after the write committed with its answer lost: not written (nor audited) twice.
  if (current.status === 'ROLLED_BACK')
    return { ...state, rollback: cause, outcome: { status: 'ROLLED_BACK', ...cause } };
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
