/**
 * Stopping a retraining run from the API. The route stops the run's execution with a cause naming
 * the caller and audits that; Step Functions' status change then finishes the run as `Stopped`
 * (see `recordStoppedExecution`), which writes `RetrainingFinished` and releases the model's lock.
 * So a stop is idempotent: a run whose execution is already stopped, or whose record already reads
 * `Stopped`, answers the same; a run that ended any other way is a conflict.
 * @see https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
 */
import { PipelineEvent } from '../../../contracts/events';
import type { StopRunResponse } from '../../../contracts/pipeline-responses';
import { ConflictError, NotFoundError } from '../../shared/errors';
import type { PipelineStore } from './ports';
import { pipelineAudit } from './run-tasks';

/** The error name a stopped execution carries, and so the recorded run's reason. */
export const STOP_ERROR = 'RetrainingStopped';

/**
 * What stopping found: `STOPPED` this call stopped a running execution; `ALREADY_STOPPED` it had
 * been stopped, timed out or failed outside a `Finish` state (so it is, or will be, `Stopped`);
 * `SUCCEEDED` it ended through its `Finish` state.
 */
export type StopResult = 'STOPPED' | 'ALREADY_STOPPED' | 'SUCCEEDED';

/** Stops executions (Step Functions' StopExecution). */
export interface RunStopper {
  stop(executionArn: string, error: string, cause: string): Promise<StopResult>;
}

export interface StopRunDeps {
  readonly store: Pick<PipelineStore, 'getRun' | 'recordAudit'>;
  readonly stopper: RunStopper;
  /**
   * The execution of a run whose record does not name it (a run records its ARN only when it ends;
   * the execution is named for the run).
   */
  readonly executionArnOf: (runId: string) => string;
  readonly newId: () => string;
  readonly now: () => Date;
}

export interface StopRunRequest {
  readonly modelName: string;
  readonly runId: string;
  /** Who asks: the cause of the stop and the actor of its audit record. */
  readonly principal: string;
}

/**
 * Stops the run's execution if it still runs and audits the stop.
 * @throws NotFoundError `RUN_NOT_FOUND`
 * @throws ConflictError `RETRAINING_RUN_FINISHED` when the run ended other than `Stopped`
 */
export async function stopRun(deps: StopRunDeps, request: StopRunRequest): Promise<StopRunResponse> {
  const { modelName, runId, principal } = request;
  const run = await deps.store.getRun(modelName, runId);
  if (!run) throw new NotFoundError('RUN_NOT_FOUND', `${modelName} has no retraining run ${runId}`);
  const finished = () =>
    new ConflictError(
      'RETRAINING_RUN_FINISHED',
      `run ${runId} already ended ${run.outcome ?? 'SUCCEEDED'}; only a running run can be stopped`,
    );
  // A suppressed trigger is a finished run without an execution of its own to stop.
  if (run.status !== 'RUNNING' && run.outcome !== 'Stopped') throw finished();
  const executionArn = run.executionArn ?? deps.executionArnOf(runId);
  const reply: StopRunResponse = { runId, modelName, executionArn, status: 'STOPPING' };
  if (run.status !== 'RUNNING') return reply;

  const stopped = await deps.stopper.stop(executionArn, STOP_ERROR, `stopped by ${principal}`);
  if (stopped === 'SUCCEEDED') throw finished();
  if (stopped === 'STOPPED') {
    const audit = pipelineAudit(
      deps,
      run,
      deps.now().toISOString(),
      PipelineEvent.RETRAINING_STOP_REQUESTED,
      {
        executionArn,
        stoppedBy: principal,
      },
    );
    await deps.store.recordAudit({ ...audit, actor: principal });
  }
  return reply;
}
