/**
 * The deployment state machine's task Lambda: one function, dispatching on `task`, so the whole
 * rollout shares one role scoped to the platform's endpoints. Each task gets the execution state
 * and returns it updated (see `domain/state.ts`). One definition serves both backends: a model
 * whose deployment target is on ECS runs the ECS steps where the backends differ.
 */

import { taskDeps } from './deps';
import * as ecs from './domain/ecs-tasks';
import * as outcome from './domain/outcome';
import type { DeploymentDeps } from './domain/ports';
import type { RolloutState } from './domain/state';
import * as tasks from './domain/tasks';

export const TASKS = {
  acquireLock: tasks.acquireLock,
  createChallenger: tasks.createChallenger,
  checkChallenger: (d: DeploymentDeps, s: RolloutState) => tasks.checkEndpoint(d, s, 'challenger'),
  shiftTraffic: tasks.shiftTraffic,
  checkAlarms: tasks.checkAlarms,
  promote: outcome.promote,
  checkPromotion: (d: DeploymentDeps, s: RolloutState) => tasks.checkEndpoint(d, s, 'promotion'),
  finishPromotion: outcome.finishPromotion,
  restoreWeights: outcome.restoreWeights,
  checkSettled: (d: DeploymentDeps, s: RolloutState) => tasks.checkEndpoint(d, s, 'settled'),
  restoreConfig: outcome.restoreConfig,
  checkRestored: (d: DeploymentDeps, s: RolloutState) => tasks.checkEndpoint(d, s, 'restore'),
  finishRollback: outcome.finishRollback,
} as const;
export type TaskName = keyof typeof TASKS;

/** The ECS steps; the lock and the alarm reads are the same for both backends. */
export const ECS_TASKS: Partial<Record<TaskName, ecs.EcsTask>> = {
  createChallenger: ecs.createChallenger,
  checkChallenger: ecs.checkChallenger,
  shiftTraffic: ecs.shiftTraffic,
  promote: ecs.promote,
  checkPromotion: ecs.checkPromotion,
  finishPromotion: ecs.finishPromotion,
  restoreWeights: ecs.restoreWeights,
  checkSettled: ecs.checkSettled,
  restoreConfig: ecs.restoreConfig,
  checkRestored: ecs.checkRestored,
  finishRollback: ecs.finishRollback,
};

/** What a Task state sends: the task to run and the whole execution state. */
export interface TaskEvent {
  readonly task: TaskName;
  readonly state: RolloutState;
}

/** Builds the dispatcher over the given ports: tests pass their own, Lambda uses `taskDeps()`. */
export function makeTaskHandler(deps: DeploymentDeps) {
  return async (event: TaskEvent): Promise<RolloutState> => {
    const run = TASKS[event.task];
    if (!run) throw new Error(`unknown deployment task ${String(event.task)}`);
    const onEcs = ECS_TASKS[event.task];
    const services = onEcs && (await deps.ecsServices?.(event.state.modelName));
    return services ? onEcs(deps, services, event.state) : run(deps, event.state);
  };
}

let cached: ReturnType<typeof makeTaskHandler> | undefined;

export const handler = (event: TaskEvent): Promise<RolloutState> => {
  cached ??= makeTaskHandler(taskDeps());
  return cached(event);
};
