/**
 * The rollout's task functions, one per Task state of the deployment state machine. Each takes
 * the execution state and returns it updated; the Choice states branch on what they set. I/O
 * goes through the ports; the decisions are in `rollout.ts`.
 */
import { DeploymentEvent } from '../../../contracts/events';
import { endpointConfigName, sagemakerModelName, Variant } from '../../../contracts/serving';
import type { DeploymentDeps } from './ports';
import {
  bakeDecision,
  championModel,
  deriveConfig,
  endpointProgress,
  lockExpiry,
  type Progress,
  weightsAt,
} from './rollout';
import { deploymentAudit, newDeployment, type RolloutState, record, short } from './state';

/** Takes the model's rollout lock; a rollout started without the route gets its record here. */
export async function acquireLock(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
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
 * Adds the challenger: a SageMaker model for the version (made like the champion's, with the
 * version's package), a config with the champion unchanged and the challenger on it at weight 0,
 * and an endpoint update to that config.
 */
export async function createChallenger(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
  const refuse = (reason: string) => refuseChallenger(deps, state, reason);
  const version = await readyVersion(deps, state);
  if ('refusal' in version) return refuse(version.refusal);
  const endpoint = await deps.endpoints.describeEndpoint(state.endpointName);
  if (!endpoint) {
    if (!state.initialEndpointConfigName) return refuse(`endpoint ${state.endpointName} does not exist`);
    return createEndpoint(deps, state, state.initialEndpointConfigName, version.artifactKey);
  }
  if (endpoint.status !== 'InService') return refuse(`endpoint ${state.endpointName} is ${endpoint.status}`);

  const current = await deps.endpoints.describeEndpointConfig(endpoint.endpointConfigName);
  const champion = championModel(current);
  const challengerModel = sagemakerModelName(state.modelName, state.version);
  if (challengerModel === champion) return refuse(`version ${state.version} is already the champion`);
  const modelDataUrl = await deps.packages.ensurePackage({
    modelName: state.modelName,
    version: state.version,
    artifactKey: version.artifactKey,
  });
  const like = await modelTemplate(deps, state, champion);
  await deps.endpoints.createModelLike(like, challengerModel, modelDataUrl);
  const canary = deriveConfig(
    current,
    endpointConfigName(state.modelName, `c${short(state.deploymentId)}`),
    { champion, challenger: challengerModel },
    weightsAt(0),
  );
  await deps.endpoints.createEndpointConfig(canary);
  await deps.endpoints.updateEndpoint(state.endpointName, canary.name);
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
      modelName: challengerModel,
      endpointConfigName: canary.name,
      previousEndpointConfigName: current.name,
      previousChampionModel: champion,
      ...(previousVersion ? { previousVersion } : {}),
    },
    progress: { state: 'WAITING', polls: 0 },
  };
}

/**
 * The model a challenger's is made like: the stack's initial model, whose image, role and
 * environment are the stack's current ones (so a Triton upgrade reaches served versions, canaried),
 * else the champion's. The target naming the stack's config is cached for a minute, so a deploy
 * that has just replaced that config leaves the champion's to copy.
 */
async function modelTemplate(deps: DeploymentDeps, state: RolloutState, champion: string): Promise<string> {
  if (!state.initialEndpointConfigName) return champion;
  const initial = await deps.endpoints.findEndpointConfig(state.initialEndpointConfigName);
  return initial ? championModel(initial) : champion;
}

/** No challenger: the reason is recorded and the rollout rolls back (changing nothing). */
export async function refuseChallenger(
  deps: DeploymentDeps,
  state: RolloutState,
  reason: string,
): Promise<RolloutState> {
  await record(deps, state, { phase: 'CHALLENGER_FAILED', reason });
  return { ...state, challenger: { created: false, reason } };
}

/** The version to roll out, if it is still READY (it may have changed since the route checked). */
export async function readyVersion(
  deps: DeploymentDeps,
  state: RolloutState,
): Promise<{ artifactKey: string } | { refusal: string }> {
  const version = await deps.registry.getVersion(state.modelName, state.version);
  if (!version) return { refusal: `${state.modelName} has no version ${state.version}` };
  if (version.status !== 'READY')
    return { refusal: `${state.modelName} version ${state.version} is ${version.status}` };
  return { artifactKey: version.artifact.key };
}

/**
 * A model's first rollout: no endpoint yet, so it is created from the stack's initial config with
 * both variants on the version. There is no champion to protect; the canary steps and alarms still
 * run, and a rollback deletes the endpoint again.
 */
async function createEndpoint(
  deps: DeploymentDeps,
  state: RolloutState,
  initialConfig: string,
  artifactKey: string,
): Promise<RolloutState> {
  const initial = await deps.endpoints.describeEndpointConfig(initialConfig);
  const model = sagemakerModelName(state.modelName, state.version);
  const modelDataUrl = await deps.packages.ensurePackage({
    modelName: state.modelName,
    version: state.version,
    artifactKey,
  });
  await deps.endpoints.createModelLike(championModel(initial), model, modelDataUrl);
  const config = deriveConfig(
    initial,
    endpointConfigName(state.modelName, `c${short(state.deploymentId)}`),
    { champion: model, challenger: model },
    weightsAt(0),
  );
  await deps.endpoints.createEndpointConfig(config);
  await deps.endpoints.createEndpoint(state.endpointName, config.name);
  await record(deps, state, { phase: 'CREATING_ENDPOINT', weights: weightsAt(0) });
  return {
    ...state,
    challenger: { created: true, createdEndpoint: true, modelName: model, endpointConfigName: config.name },
    progress: { state: 'WAITING', polls: 0 },
  };
}

/**
 * What a poll waits for: the canary config, the promoted config, the pre-rollout config, or just
 * the endpoint settling (InService on any config, e.g. after a weight change).
 */
export type EndpointCheck = 'challenger' | 'promotion' | 'restore' | 'settled';

/** One DescribeEndpoint poll: READY, WAITING (poll again after the Wait) or FAILED. */
export async function checkEndpoint(
  deps: DeploymentDeps,
  state: RolloutState,
  check: EndpointCheck,
): Promise<RolloutState> {
  const expected =
    check === 'challenger'
      ? state.challenger?.endpointConfigName
      : check === 'promotion'
        ? state.promotion?.endpointConfigName
        : check === 'restore'
          ? state.challenger?.previousEndpointConfigName
          : undefined;
  const polls = (state.progress?.polls ?? 0) + 1;
  const found = endpointProgress(
    await deps.endpoints.describeEndpoint(state.endpointName),
    expected,
    polls,
    state.maxEndpointPolls,
  );
  return afterCheck(deps, state, check, found, polls);
}

/** The state after a poll; a ready challenger is recorded and starts the first bake. */
export async function afterCheck(
  deps: DeploymentDeps,
  state: RolloutState,
  check: EndpointCheck,
  found: { progress: Progress; reason?: string },
  polls: number,
): Promise<RolloutState> {
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

/** Sets the weights of the current step (no redeploy). */
export const shiftTraffic = (deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> =>
  shiftTrafficWith(deps, state, (weights) =>
    deps.endpoints.setWeights(state.endpointName, {
      [Variant.CHAMPION]: weights.champion,
      [Variant.CHALLENGER]: weights.challenger,
    }),
  );

/** Sets the weights of the current step with the backend's `setWeights`, and records the shift. */
export async function shiftTrafficWith(
  deps: DeploymentDeps,
  state: RolloutState,
  setWeights: (weights: { champion: number; challenger: number }) => Promise<void>,
): Promise<RolloutState> {
  const stepIndex = state.bake?.stepIndex ?? 0;
  const weights = weightsAt(state.steps[stepIndex]);
  await setWeights(weights);
  await record(
    deps,
    state,
    { phase: `BAKING_STEP_${stepIndex + 1}`, weights },
    DeploymentEvent.DEPLOYMENT_TRAFFIC_SHIFTED,
    {
      step: stepIndex + 1,
      weights,
    },
  );
  return { ...state, bake: { stepIndex, checksDone: 0 } };
}

/** One alarm read while baking; decides ALARM, BAKING, NEXT_STEP or COMPLETE. */
export async function checkAlarms(deps: DeploymentDeps, state: RolloutState): Promise<RolloutState> {
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
