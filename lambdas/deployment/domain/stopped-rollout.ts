/**
 * A rollout whose execution ended with no state of its own left to run (stopped by a person, timed
 * out, or a rollback task that failed past its retries) would stay RUNNING, its model's lock held
 * until the lock expires, and what it made would stay on the endpoint. Step Functions reports the
 * end on the default bus; the deployment's rule delivers it here. The report carries no execution
 * state, so the undo works from what the rollout's tasks kept with its record (its challenger's
 * and promotion's resources) and runs the rollback's own steps, in the state machine's order:
 * traffic to the champion, the endpoint settled, the pre-rollout variants restored, what the
 * rollout made removed. A rollout stopped while promoting finishes its promotion once the
 * endpoint has taken it (the registry then names what serves); a promotion that did not take is
 * undone like any rollout. Then the record is finished (FAILED with the execution's error, or
 * PROMOTED), audited once, the lock released.
 *
 * Its first write takes the record out of RUNNING (phase `STOPPING`), so a task still running
 * when the execution stopped refuses to move the endpoint or to record anything; the lock stays
 * until the undo is done. An endpoint still updating past the wait fails the invocation, which
 * Lambda retries (the rule invokes asynchronously: twice, a minute or two apart), and the undo
 * resumes from its phase (every step is a no-op once done).
 * A rollout already finished, or a redelivered report, changes nothing.
 */
import { DeploymentId, type RolloutInput } from '../../../contracts/deployment';
import { DeploymentEvent } from '../../../contracts/events';
import { RolloutSubject } from '../../../contracts/llm-rollouts';
import { ConflictError } from '../../shared/errors';
import { type ExecutionStatusChange, isStopped, stopReason } from '../../shared/execution-status-change';
import { promoteInRegistry } from './outcome';
import type { DeploymentDeps } from './ports';
import { weightsAt } from './rollout';
import { deploymentAudit, type RolloutState, recordRouting, releasesRegistryVersion } from './state';
import type { ProgressCheck, VariantBackend } from './variant-backend';

export type StoppedRolloutResult =
  | { readonly recorded: true; readonly modelName: string; readonly deploymentId: string }
  | { readonly recorded: false; readonly why: string };

/** The phases of a stopped rollout's undo: written only here, so a task's write never matches. */
const STOPPING = 'STOPPING';
const STOPPING_PROMOTION = 'STOPPING_PROMOTION';

/**
 * Pauses between polls of an endpoint still updating: about 30 s in all, inside the task
 * function's minute; a longer update is waited for by the invocation's retry.
 */
const POLL_DELAYS_MS = [200, 500, 1000, 2000, 4000, 4000, 4000, 4000, 4000, 4000, 4000];

export type Pause = (ms: number) => Promise<void>;
const pause: Pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

type StoppedDeps = Pick<DeploymentDeps, 'backends' | 'store' | 'registry' | 'now' | 'newId'>;

/** The rollout an execution ran, from its input (the route's `RolloutInput`). */
function rolloutOf(input: string | null | undefined): RolloutInput | undefined {
  try {
    const raw = JSON.parse(input ?? '') as Partial<RolloutInput>;
    return RolloutSubject.safeParse(raw.modelName).success && DeploymentId.safeParse(raw.deploymentId).success
      ? (raw as RolloutInput)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Undoes (or, stopped while promoting, finishes) the execution's rollout if it has not ended. */
export async function finishStoppedRollout(
  deps: StoppedDeps,
  event: ExecutionStatusChange,
  wait: Pause = pause,
): Promise<StoppedRolloutResult> {
  const { detail } = event;
  if (!isStopped(detail)) return { recorded: false, why: `status ${detail.status} is not a stop` };
  const input = rolloutOf(detail.input);
  if (!input) return { recorded: false, why: 'the execution input names no rollout' };
  const found = await deps.store.getDeployment(input.modelName, input.deploymentId);
  if (!found) return { recorded: false, why: `${input.modelName} has no deployment ${input.deploymentId}` };
  const resuming = found.phase === STOPPING || found.phase === STOPPING_PROMOTION;
  if (found.status !== 'RUNNING' && !resuming)
    return { recorded: false, why: `deployment ${found.deploymentId} already ended ${found.status}` };

  const phase = resuming ? found.phase : found.phase === 'PROMOTING' ? STOPPING_PROMOTION : STOPPING;
  const stopped = resuming ? found : { ...found, status: 'FAILED' as const, phase };
  if (!resuming) {
    try {
      await deps.store.updateDeployment({
        ...stopped,
        reason: stopReason(detail),
        updatedAt: deps.now().toISOString(),
      });
    } catch (err) {
      // Another delivery of the same report took it first (EventBridge delivers at least once).
      if (err instanceof ConflictError)
        return { recorded: false, why: `deployment ${found.deploymentId} ended meanwhile` };
      throw err;
    }
  }

  const resources = (await deps.store.getRolloutResources?.(input.modelName, input.deploymentId)) ?? {};
  // As a rollback's state: `bake` says traffic may have moved.
  const state: RolloutState = { ...input, ...resources, bake: { stepIndex: 0, checksDone: 0 } };
  const backend = await deps.backends(input.modelName);
  let undone = state;
  let promoted = false;
  // The phase the final record is written from: the undo's, once it has been kept.
  let from = phase;
  if (phase === STOPPING_PROMOTION && state.challenger?.created) {
    // Stopped before the task kept what it sent (or before it sent it): the promotion is asked
    // for again, which a backend takes as its own retried work (or sends, the bake having passed).
    undone = { ...state, promotion: state.promotion ?? (await backend.promote(state)) };
    promoted = await finishPromotion(deps, backend, undone, wait);
    // The endpoint did not take the promotion: the undo's phase is kept first, so a delivery that
    // resumes this undo does not ask for the promotion again.
    if (!promoted) {
      const reason = (resuming && found.reason) || stopReason(detail);
      const updatedAt = deps.now().toISOString();
      if (deps.store.updateStoppedPhase) {
        await deps.store.updateStoppedPhase({ ...stopped, phase: STOPPING, reason, updatedAt }, { phase });
        from = STOPPING;
      }
    }
  }
  if (!promoted) await undo(deps, backend, undone, wait);

  const at = deps.now().toISOString();
  // A resumed undo's cause is the one its first delivery recorded.
  const cause = (resuming && found.reason) || stopReason(detail);
  const reason =
    phase !== STOPPING_PROMOTION
      ? cause
      : `${cause}; stopped while promoting: the promotion ${promoted ? `to version ${found.version} was finished` : 'was undone'}`;
  const after = {
    reason,
    stopped: true,
    ...(detail.executionArn ? { executionArn: detail.executionArn } : {}),
  };
  try {
    await deps.store.finishDeployment(
      {
        ...stopped,
        status: promoted ? 'PROMOTED' : 'FAILED',
        phase: 'DONE',
        weights: weightsAt(0),
        reason,
        updatedAt: at,
      },
      deploymentAudit(
        state,
        deps,
        at,
        promoted ? DeploymentEvent.DEPLOYMENT_PROMOTED : DeploymentEvent.DEPLOYMENT_ROLLED_BACK,
        after,
      ),
      { phase: from },
    );
  } catch (err) {
    // Another delivery finished the same undo first.
    if (err instanceof ConflictError)
      return { recorded: false, why: `deployment ${found.deploymentId} ended meanwhile` };
    throw err;
  }
  return { recorded: true, modelName: input.modelName, deploymentId: input.deploymentId };
}

/**
 * A promotion is finished as `FinishPromotion` would once the endpoint has taken it (champion
 * 100, the registry's champion moved, the previous champion retired), so the registry and what
 * serves agree; one the endpoint did not take is for the undo. False when it is not finished.
 */
async function finishPromotion(
  deps: StoppedDeps,
  backend: VariantBackend,
  state: RolloutState,
  wait: Pause,
): Promise<boolean> {
  if ((await settle(backend, state, 'promotion', wait)) !== 'READY') return false;
  await backend.championTakesAll(state);
  await recordRouting(deps, state, weightsAt(0));
  if (releasesRegistryVersion(state)) await promoteInRegistry(deps, state);
  await backend.retirePrevious(state);
  return true;
}

/** The rollback's steps: traffic to the champion, settled, variants restored, the challenger removed. */
async function undo(
  deps: StoppedDeps,
  backend: VariantBackend,
  state: RolloutState,
  wait: Pause,
): Promise<void> {
  await backend.restoreWeights(state);
  await recordRouting(deps, state, weightsAt(0));
  if (!state.challenger?.created) return;
  await settle(backend, state, 'settled', wait);
  await backend.restoreVariants(state);
  await settle(backend, state, 'restore', wait);
  await backend.removeChallenger(state);
}

/**
 * Polls `check` until the backend is no longer WAITING (READY, or FAILED: as in the definition's
 * rollback, the next step goes on); still WAITING after the last pause fails the delivery, so
 * Lambda retries the invocation.
 */
async function settle(
  backend: VariantBackend,
  state: RolloutState,
  check: ProgressCheck,
  wait: Pause,
): Promise<'READY' | 'FAILED'> {
  for (let polls = 1; ; polls++) {
    const found = await backend.progress(state, check, polls);
    if (found.progress !== 'WAITING') return found.progress;
    if (polls > POLL_DELAYS_MS.length)
      throw new Error(
        `endpoint ${state.endpointName} is still updating (${check}); the stopped rollout's undo resumes on a retry`,
      );
    await wait(POLL_DELAYS_MS[polls - 1]);
  }
}
