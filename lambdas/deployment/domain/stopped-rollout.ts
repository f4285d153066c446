/**
 * A rollout whose execution ended with no state of its own left to run (stopped by a person, timed
 * out, or a rollback task that failed past its retries) would stay RUNNING, its model's lock held
 * until the lock expires. Step Functions reports the end on the default bus; the deployment's
 * rule delivers it here. The endpoint's traffic goes back to the champion (a weight change, no
 * redeploy: the one move that cannot wait for a person), and the record is finished FAILED with
 * the execution's error, audited, the lock released. A challenger variant left on the endpoint
 * serves nothing and is replaced by the model's next rollout. A rollout already ended, or a
 * redelivered report, changes nothing.
 */
import { DeploymentId, type RolloutInput } from '../../../contracts/deployment';
import { DeploymentEvent } from '../../../contracts/events';
import { RolloutSubject } from '../../../contracts/llm-rollouts';
import { ConflictError } from '../../shared/errors';
import { type ExecutionStatusChange, isStopped, stopReason } from '../../shared/execution-status-change';
import type { DeploymentDeps } from './ports';
import { weightsAt } from './rollout';
import { deploymentAudit, type RolloutState, recordRouting } from './state';

export type StoppedRolloutResult =
  | { readonly recorded: true; readonly modelName: string; readonly deploymentId: string }
  | { readonly recorded: false; readonly why: string };

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

/** Finishes the execution's rollout as FAILED, traffic on the champion, if it is still RUNNING. */
export async function finishStoppedRollout(
  deps: Pick<DeploymentDeps, 'backends' | 'store' | 'now' | 'newId'>,
  event: ExecutionStatusChange,
): Promise<StoppedRolloutResult> {
  const { detail } = event;
  if (!isStopped(detail)) return { recorded: false, why: `status ${detail.status} is not a stop` };
  const input = rolloutOf(detail.input);
  if (!input) return { recorded: false, why: 'the execution input names no rollout' };
  const found = await deps.store.getDeployment(input.modelName, input.deploymentId);
  if (!found) return { recorded: false, why: `${input.modelName} has no deployment ${input.deploymentId}` };
  if (found.status !== 'RUNNING')
    return { recorded: false, why: `deployment ${found.deploymentId} already ended ${found.status}` };

  // As a rollback's first move: all traffic to the champion if any moved (`bake` says it may have).
  const state: RolloutState = { ...input, bake: { stepIndex: 0, checksDone: 0 } };
  await (await deps.backends(input.modelName)).restoreWeights(state);
  await recordRouting(deps, state, weightsAt(0));
  const at = deps.now().toISOString();
  // Stopped between the promotion's move and its finish, the endpoint (or the prompt's alias, or
  // the served model) may already be on the version while the registry is not: the record says so
  // rather than claim a rollback; a rollout of either version settles it.
  const reason =
    found.phase === 'PROMOTING'
      ? `${stopReason(detail)}; stopped while promoting: what serves may already be version ${found.version}`
      : stopReason(detail);
  try {
    await deps.store.finishDeployment(
      { ...found, status: 'FAILED', phase: 'DONE', weights: weightsAt(0), reason, updatedAt: at },
      deploymentAudit(state, deps, at, DeploymentEvent.DEPLOYMENT_ROLLED_BACK, {
        reason,
        stopped: true,
        ...(detail.executionArn ? { executionArn: detail.executionArn } : {}),
      }),
    );
  } catch (err) {
    // Another delivery of the same report (EventBridge delivers at least once) finished it first.
    if (err instanceof ConflictError)
      return { recorded: false, why: `deployment ${found.deploymentId} ended meanwhile` };
    throw err;
  }
  return { recorded: true, modelName: input.modelName, deploymentId: input.deploymentId };
}
