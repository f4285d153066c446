/**
 * Pure rollout decisions: the plan a rollout runs, the endpoint configs it derives, whether an
 * endpoint update finished, and what the alarms mean at each bake check. No I/O: the task
 * functions feed these with what the adapters read.
 */
import type { DeploymentTarget, RolloutInput } from '../../../contracts/deployment';
import { Variant } from '../../../contracts/serving';
import type { AlarmState, EndpointConfigSpec, EndpointState } from './ports';

/** Polls of DescribeEndpoint (one per check interval) before an update counts as failed. */
export const DEFAULT_MAX_ENDPOINT_POLLS = 120;

/** The state machine input for one rollout. */
export function planRollout(input: {
  deploymentId: string;
  modelName: string;
  version: number;
  target: DeploymentTarget;
  canarySteps?: number[];
  bakeMinutes?: number;
  requestedBy: string;
}): RolloutInput {
  const { target } = input;
  const bakeSeconds = Math.round((input.bakeMinutes ?? target.bakeMinutes) * 60);
  const checkIntervalSeconds = Math.max(1, target.alarmCheckSeconds);
  return {
    deploymentId: input.deploymentId,
    modelName: input.modelName,
    version: input.version,
    endpointName: target.endpointName,
    steps: [...(input.canarySteps ?? target.canarySteps)],
    // At least one read per step: even a zero bake looks at the alarms once before moving on.
    checksPerStep: Math.max(1, Math.ceil(bakeSeconds / checkIntervalSeconds)),
    checkIntervalSeconds,
    alarmNames: [...target.alarmNames],
    maxEndpointPolls: DEFAULT_MAX_ENDPOINT_POLLS,
    requestedBy: input.requestedBy,
    ...(target.initialEndpointConfigName
      ? { initialEndpointConfigName: target.initialEndpointConfigName }
      : {}),
    ...(target.scaling ? { scaling: target.scaling } : {}),
  };
}

/** Weights at a canary step: the challenger gets `percent`, the champion the rest. */
export function weightsAt(percent: number): { champion: number; challenger: number } {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`canary weight must be an integer 0..100, got ${percent}`);
  }
  return { champion: 100 - percent, challenger: percent };
}

const variantOf = (config: EndpointConfigSpec, name: string) => {
  const found = config.variants.find((v) => v.variantName === name);
  if (!found) throw new Error(`endpoint config ${config.name} has no ${name} variant`);
  return found;
};

/** The champion's model in a config. */
export const championModel = (config: EndpointConfigSpec): string =>
  variantOf(config, Variant.CHAMPION).modelName;

/**
 * A config derived from `base`: same variants and settings, the given models and weights.
 * SageMaker configs are immutable, so every change of model is a new config.
 */
export function deriveConfig(
  base: EndpointConfigSpec,
  name: string,
  models: { champion: string; challenger: string },
  weights: { champion: number; challenger: number },
): EndpointConfigSpec {
  const champion = variantOf(base, Variant.CHAMPION);
  const challenger = variantOf(base, Variant.CHALLENGER);
  return {
    name,
    rest: base.rest,
    variants: [
      { ...champion, modelName: models.champion, weight: weights.champion },
      { ...challenger, modelName: models.challenger, weight: weights.challenger },
    ],
  };
}

export type Progress = 'READY' | 'WAITING' | 'FAILED';

/**
 * Whether an endpoint update to `expectedConfig` finished. A failed update leaves the endpoint
 * InService on its PREVIOUS config (SageMaker rolls it back), so InService alone is not success.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_UpdateEndpoint.html
 */
export function endpointProgress(
  state: EndpointState | undefined,
  expectedConfig: string | undefined,
  polls: number,
  maxPolls: number,
): { progress: Progress; reason?: string } {
  if (!state) return { progress: 'FAILED', reason: 'the endpoint does not exist' };
  if (
    state.status === 'Failed' ||
    state.status === 'UpdateRollbackFailed' ||
    state.status === 'OutOfService'
  ) {
    return {
      progress: 'FAILED',
      reason: `endpoint is ${state.status}: ${state.failureReason ?? 'no reason given'}`,
    };
  }
  if (state.status === 'InService') {
    if (expectedConfig === undefined || state.endpointConfigName === expectedConfig)
      return { progress: 'READY' };
    return {
      progress: 'FAILED',
      reason: `update to ${expectedConfig} did not take: ${state.failureReason ?? `endpoint runs ${state.endpointConfigName}`}`,
    };
  }
  if (polls >= maxPolls) {
    return { progress: 'FAILED', reason: `endpoint still ${state.status} after ${polls} checks` };
  }
  return { progress: 'WAITING' };
}

export type BakeDecision = 'ALARM' | 'BAKING' | 'NEXT_STEP' | 'COMPLETE';

/**
 * What one alarm read means. Any watched alarm in ALARM rolls back; a watched alarm that does not
 * exist does too (a rollout must not run blind). Otherwise the step bakes until it has had
 * `checksPerStep` clean reads, then moves on or completes.
 */
export function bakeDecision(input: {
  watched: readonly string[];
  alarms: readonly AlarmState[];
  stepIndex: number;
  steps: readonly number[];
  checksDone: number;
  checksPerStep: number;
}): { decision: BakeDecision; checksDone: number; alarm?: string; reason?: string } {
  const byName = new Map(input.alarms.map((a) => [a.name, a]));
  const missing = input.watched.filter((n) => !byName.has(n));
  if (missing.length > 0) {
    return {
      decision: 'ALARM',
      checksDone: input.checksDone,
      alarm: missing[0],
      reason: `watched alarm(s) not found: ${missing.join(', ')}`,
    };
  }
  const firing = input.watched.map((n) => byName.get(n)!).find((a) => a.state === 'ALARM');
  if (firing) {
    return {
      decision: 'ALARM',
      checksDone: input.checksDone,
      alarm: firing.name,
      reason: firing.reason ?? `${firing.name} is in ALARM`,
    };
  }
  const checksDone = input.checksDone + 1;
  if (checksDone < input.checksPerStep) return { decision: 'BAKING', checksDone };
  return { decision: input.stepIndex >= input.steps.length - 1 ? 'COMPLETE' : 'NEXT_STEP', checksDone };
}

/**
 * Lock lifetime: the whole rollout at most (bakes, endpoint updates) plus a margin, after which a
 * crashed execution's lock may be taken over.
 */
export function lockExpiry(input: RolloutInput, now: Date): string {
  const bake = input.steps.length * input.checksPerStep * input.checkIntervalSeconds;
  const updates = 4 * input.maxEndpointPolls * input.checkIntervalSeconds;
  return new Date(now.getTime() + (bake + updates + 3600) * 1000).toISOString();
}
