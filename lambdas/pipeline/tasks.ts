/**
 * The retraining state machine's task Lambda: one function dispatching on `task`, so the whole
 * run shares one role. Each task gets the execution state and returns it updated (see
 * `domain/state.ts`); `finish` also gets the outcome its Task state names. The safe-stop rule
 * sends Step Functions' status change events of stopped executions here too.
 */
import { RetrainingTask, type RunOutcome } from '../../contracts/pipeline';
import { pipelineDeps } from './deps';
import { requestApproval } from './domain/approval-tasks';
import type { PipelineDeps } from './domain/ports';
import { admit, finish, validateData } from './domain/run-tasks';
import type { RunState } from './domain/state';
import {
  type ExecutionStatusChange,
  isExecutionStatusChange,
  recordStoppedExecution,
  type StoppedResult,
} from './domain/stopped-execution';

/**
 * The model tasks (ONNX scoring, Triton packaging to S3), imported by the first of them: a cold
 * start on `admit`, `validateData`, `finish` or a stop loads neither.
 */
const modelTasks = () => import('./domain/model-tasks');

export const TASKS = {
  [RetrainingTask.ADMIT]: admit,
  [RetrainingTask.VALIDATE_DATA]: validateData,
  [RetrainingTask.EVALUATE]: async (deps: PipelineDeps, state: RunState) =>
    (await modelTasks()).evaluate(deps, state),
  [RetrainingTask.DECIDE]: async (deps: PipelineDeps, state: RunState) =>
    (await modelTasks()).decide(deps, state),
  [RetrainingTask.REGISTER]: async (deps: PipelineDeps, state: RunState) =>
    (await modelTasks()).register(deps, state),
} as const satisfies Record<Exclude<RetrainingTask, 'finish' | 'requestApproval'>, unknown>;
export type TaskName = RetrainingTask;

/**
 * What a Task state sends: the task, the whole execution state, for `finish` the outcome, and for
 * `requestApproval` the task token its state waits on.
 */
export interface TaskEvent {
  readonly task: TaskName;
  readonly state: RunState;
  readonly outcome?: RunOutcome;
  readonly taskToken?: string;
}

export function makeTaskHandler(deps: PipelineDeps) {
  function handle(event: ExecutionStatusChange): Promise<StoppedResult>;
  function handle(event: TaskEvent): Promise<RunState>;
  async function handle(event: TaskEvent | ExecutionStatusChange): Promise<RunState | StoppedResult> {
    // The safe-stop rule targets this function too (Step Functions' status change events).
    if (isExecutionStatusChange(event)) return recordStoppedExecution(deps, event);
    if (event.task === RetrainingTask.FINISH) {
      if (!event.outcome) throw new Error('finish needs an outcome');
      return finish(deps, event.state, event.outcome);
    }
    if (event.task === RetrainingTask.REQUEST_APPROVAL) {
      if (!event.taskToken) throw new Error('requestApproval needs a task token');
      return requestApproval(deps, event.state, event.taskToken);
    }
    const run = TASKS[event.task];
    if (!run) throw new Error(`unknown pipeline task ${String(event.task)}`);
    return run(deps, event.state);
  }
  return handle;
}

let cached: ReturnType<typeof makeTaskHandler> | undefined;

export const handler = (event: TaskEvent | ExecutionStatusChange): Promise<RunState | StoppedResult> => {
  cached ??= makeTaskHandler(pipelineDeps());
  return isExecutionStatusChange(event) ? cached(event) : cached(event);
};
