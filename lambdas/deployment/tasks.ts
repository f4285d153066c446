/**
 * The deployment state machine's task Lambda: one function, dispatching on `task`, so the whole
 * rollout shares one role scoped to the platform's endpoints. Each task gets the execution state
 * and returns it updated (see `domain/state.ts`). One definition and one task list serve both
 * backends: the model's backend is chosen here, once, from its deployment target. The rule on the
 * machine's status changes delivers an execution that stopped, timed out or failed here too.
 */
import { ROLLOUT_TASK_NAMES, type RolloutTaskName } from '../../contracts/deployment';
import { type ExecutionStatusChange, isExecutionStatusChange } from '../shared/execution-status-change';
import { logger } from '../shared/logger';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { taskDeps } from './deps';
import type { DeploymentDeps } from './domain/ports';
import { rolloutMetrics } from './domain/rollout-metrics';
import { ROLLOUT_TASKS } from './domain/rollout-tasks';
import type { RolloutState } from './domain/state';
import { finishStoppedRollout, type StoppedRolloutResult } from './domain/stopped-rollout';

/** What a Task state sends: the task to run and the whole execution state. */
export interface TaskEvent {
  readonly task: RolloutTaskName;
  readonly state: RolloutState;
}

const isTask = (task: unknown): task is RolloutTaskName =>
  (ROLLOUT_TASK_NAMES as readonly unknown[]).includes(task);

/** Builds the dispatcher over the given ports: tests pass their own, Lambda uses `taskDeps()`. */
export function makeTaskHandler(
  deps: DeploymentDeps,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
) {
  const { backends, ...rest } = deps;
  async function handle(event: TaskEvent): Promise<RolloutState>;
  async function handle(event: ExecutionStatusChange): Promise<StoppedRolloutResult>;
  async function handle(
    event: TaskEvent | ExecutionStatusChange,
  ): Promise<RolloutState | StoppedRolloutResult> {
    if (isExecutionStatusChange(event)) return stopped(event);
    if (!isTask(event.task)) throw new Error(`unknown deployment task ${String(event.task)}`);
    // The task logs under the request that started the rollout, as its audit records do.
    logger.resetKeys();
    logger.setCorrelationId(event.state.requestId ?? event.state.deploymentId);
    const backend = await backends(event.state.modelName);
    const next = await ROLLOUT_TASKS[event.task]({ ...rest, backend }, event.state);
    // A lost marker is a gap in a graph, never a failed step of the rollout.
    for (const doc of rolloutMetrics(event.task, next, Date.now())) {
      await emit(doc).catch((err: unknown) =>
        logger.warn('rollout metric not published', {
          error: err instanceof Error ? err.message : String(err),
        }),
      );
    }
    return next;
  }
  async function stopped(event: ExecutionStatusChange): Promise<StoppedRolloutResult> {
    logger.resetKeys();
    const result = await finishStoppedRollout({ ...rest, backends }, event);
    logger.info('stopped rollout execution', { ...result, status: event.detail.status });
    return result;
  }
  return handle;
}

let cached: ReturnType<typeof makeTaskHandler> | undefined;

export const handler = (
  event: TaskEvent | ExecutionStatusChange,
): Promise<RolloutState | StoppedRolloutResult> => {
  cached ??= makeTaskHandler(taskDeps());
  // One dispatcher for both events; its overloads give each its answer type.
  return cached(event as TaskEvent);
};
