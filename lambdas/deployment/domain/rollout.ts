/**
 * Pure rollout decisions: the plan a rollout runs, the weights of a step, and what the alarms mean
 * at each bake check. No I/O: the task functions feed these with what the adapters read. What a
 * backend's progress means is the backend's (`adapters/sagemaker-rollout.ts`, `ecs-rollout.ts`).
 */
import type { DeploymentTarget, RolloutInput } from '../../../contracts/deployment';
import type { AlarmState } from './ports';

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
  /** The API request that started it. */
  requestId?: string;
  /** The APPROVED request that lets a governed model's version into Production. */
  approvalId?: string;
  /** A model rollout of an LLM endpoint: the model id it moves the endpoint to. */
  candidateModel?: string;
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
    ...(input.requestId ? { requestId: input.requestId } : {}),
    ...(input.approvalId ? { approvalId: input.approvalId } : {}),
    ...(input.candidateModel ? { candidateModel: input.candidateModel } : {}),
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

export type Progress = 'READY' | 'WAITING' | 'FAILED';

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
