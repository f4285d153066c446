/**
 * The rollout's forward task functions: lock, challenger, canary steps and alarm reads. Each takes
 * the execution state and returns it updated; the Choice states branch on what they set. The
 * serving side goes through the `VariantBackend` port, whichever backend serves the model; the
 * decisions are in `rollout.ts`.
 */
import { DeploymentEvent } from '../../../contracts/events';
import type { RolloutDeps } from './ports';
import { bakeDecision, lockExpiry, weightsAt } from './rollout';
import {
  deploymentAudit,
  newDeployment,
  type RolloutState,
  record,
  recordRouting,
  releasesRegistryVersion,
} from './state';
import type { ProgressCheck, ProgressReport } from './variant-backend';

/**
 * Refuses to move the endpoint for a rollout that has ended: a task still running when its
 * execution was stopped (StopExecution does not stop a running Lambda) must not shift traffic
 * after the stop was recorded and the lock released.
 */
export async function ensureRunning(deps: RolloutDeps, state: RolloutState): Promise<void> {
  const found = await deps.store.getDeployment(state.modelName, state.deploymentId);
  if (found && found.status !== 'RUNNING')
    throw new Error(`deployment ${state.deploymentId} has ended ${found.status}`);
}

/** Takes the model's rollout lock; a rollout started without the route gets its record here. */
export async function acquireLock(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const now = deps.now();
  const result = await deps.store.acquireLock(
    state.modelName,
    state.deploymentId,
    lockExpiry(state, now),
    now.toISOString(),
  );
  if (!result.acquired) {
    const at = now.toISOString();
    await deps.store.recordAudit(
      deploymentAudit(state, deps, at, DeploymentEvent.DEPLOYMENT_REFUSED, {
        reason: `rollout ${result.holder} is in progress for ${state.modelName}`,
        holder: result.holder,
      }),
    );
    return { ...state, lock: { acquired: false, holder: result.holder } };
  }
  if (!(await deps.store.getDeployment(state.modelName, state.deploymentId))) {
    const at = now.toISOString();
    await deps.store.createDeployment(
      newDeployment(state, at),
      deploymentAudit(state, deps, at, DeploymentEvent.DEPLOYMENT_STARTED, { steps: state.steps }),
    );
  }
  return { ...state, lock: { acquired: true } };
}

/**
 * Adds the challenger: the version (still READY) deployed on the challenger variant at weight 0,
 * the champion unchanged; or, on a model's first rollout, the endpoint created on the version.
 */
export async function createChallenger(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const registered = releasesRegistryVersion(state);
  // A model id has no registry version to check or package: the backend checks what it can.
  const version = registered ? await readyVersion(deps, state) : { artifactKey: '' };
  if ('refusal' in version) return refuseChallenger(deps, state, version.refusal);
  await ensureRunning(deps, state);
  const prepared = await deps.backend.prepareChallenger(state, () =>
    deps.packages.ensurePackage({
      modelName: state.modelName,
      version: state.version,
      artifactKey: version.artifactKey,
    }),
  );
  if ('refusal' in prepared) return refuseChallenger(deps, state, prepared.refusal);
  const { challenger } = prepared;
  try {
    // A first rollout has no champion to go back to: nothing to report as the previous version; a
    // model id rollout's previous model is the one the backend found serving.
    const previousVersion =
      challenger.createdEndpoint || !registered
        ? undefined
        : await deps.registry.aliasVersion(state.modelName, 'champion');
    const made = { created: true, ...challenger, ...(previousVersion ? { previousVersion } : {}) };
    // Kept with the record: a stopped execution's undo has no execution state to find it in.
    await record(
      deps,
      state,
      {
        phase: challenger.createdEndpoint ? 'CREATING_ENDPOINT' : 'CREATING_CHALLENGER',
        weights: weightsAt(0),
        ...(previousVersion ? { previousVersion } : {}),
        ...(registered ? {} : { previousModel: challenger.previousChampionModel }),
      },
      undefined,
      {},
      { challenger: made },
    );
    return { ...state, challenger: made, progress: { state: 'WAITING', polls: 0 } };
  } catch (err) {
    // The endpoint has changed already. Thrown, the error would reach the rollback through a
    // Catch, which keeps the state as it came in: without the challenger, the rollback would not
    // know what to remove and the endpoint would go on serving it. So the state carries what was
    // made, and the rollback's cause.
    const reason = `the challenger could not be recorded: ${err instanceof Error ? err.message : String(err)}`;
    return { ...state, challenger: { created: true, ...challenger }, rollback: { reason } };
  }
}

/** No challenger: the reason is recorded and the rollout rolls back (changing nothing). */
async function refuseChallenger(
  deps: RolloutDeps,
  state: RolloutState,
  reason: string,
): Promise<RolloutState> {
  await record(deps, state, { phase: 'CHALLENGER_FAILED', reason });
  return { ...state, challenger: { created: false, reason } };
}

/** The version to roll out, if it is still READY (it may have changed since the route checked). */
async function readyVersion(
  deps: RolloutDeps,
  state: RolloutState,
): Promise<{ artifactKey: string } | { refusal: string }> {
  const version = await deps.registry.getVersion(state.modelName, state.version);
  if (!version) return { refusal: `${state.modelName} has no version ${state.version}` };
  if (version.status !== 'READY')
    return { refusal: `${state.modelName} version ${state.version} is ${version.status}` };
  return { artifactKey: version.artifact.key };
}

/** One poll of the backend for `check`; a ready challenger is recorded and starts the first bake. */
export async function checkProgress(
  deps: RolloutDeps,
  state: RolloutState,
  check: ProgressCheck,
): Promise<RolloutState> {
  const polls = (state.progress?.polls ?? 0) + 1;
  const found: ProgressReport = await deps.backend.progress(state, check, polls);
  const next: RolloutState = {
    ...state,
    progress: { state: found.progress, polls, ...(found.reason ? { reason: found.reason } : {}) },
  };
  if (check === 'challenger' && found.progress === 'READY') {
    await record(deps, state, { phase: 'CHALLENGER_READY' }, DeploymentEvent.DEPLOYMENT_CHALLENGER_READY, {
      challengerModel: state.challenger?.modelName,
    });
    return { ...next, bake: { stepIndex: 0, checksDone: 0 } };
  }
  return next;
}

/** Sets the weights of the current step (no redeploy) and records the shift. */
export async function shiftTraffic(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const stepIndex = state.bake?.stepIndex ?? 0;
  const weights = weightsAt(state.steps[stepIndex]);
  await ensureRunning(deps, state);
  await deps.backend.setWeights(state, weights);
  await recordRouting(deps, state, weights);
  await record(
    deps,
    state,
    { phase: `BAKING_STEP_${stepIndex + 1}`, weights },
    DeploymentEvent.DEPLOYMENT_TRAFFIC_SHIFTED,
    { step: stepIndex + 1, weights },
  );
  return { ...state, bake: { stepIndex, checksDone: 0 } };
}

/** One alarm read while baking; decides ALARM, BAKING, NEXT_STEP or COMPLETE. */
export async function checkAlarms(deps: RolloutDeps, state: RolloutState): Promise<RolloutState> {
  const bake = state.bake ?? { stepIndex: 0, checksDone: 0 };
  const decided = bakeDecision({
    watched: state.alarmNames,
    alarms: await deps.alarms.describeAlarms(state.alarmNames),
    stepIndex: bake.stepIndex,
    steps: state.steps,
    checksDone: bake.checksDone,
    checksPerStep: state.checksPerStep,
  });
  if (decided.decision === 'ALARM') {
    const rollback = {
      reason: decided.reason ?? 'alarm',
      ...(decided.alarm ? { alarm: decided.alarm } : {}),
    };
    return { ...state, bake: { ...bake, ...decided }, rollback };
  }
  if (decided.decision === 'BAKING')
    return { ...state, bake: { ...bake, decision: 'BAKING', checksDone: decided.checksDone } };
  await record(deps, state, {}, DeploymentEvent.DEPLOYMENT_STEP_PASSED, {
    step: bake.stepIndex + 1,
    challengerPercent: state.steps[bake.stepIndex],
    checks: decided.checksDone,
  });
  return decided.decision === 'NEXT_STEP'
    ? { ...state, bake: { stepIndex: bake.stepIndex + 1, checksDone: 0, decision: 'NEXT_STEP' } }
    : { ...state, bake: { ...bake, checksDone: decided.checksDone, decision: 'COMPLETE' } };
}
