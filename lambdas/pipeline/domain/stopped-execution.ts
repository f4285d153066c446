/**
 * Safe stop: Step Functions reports every execution that ends ABORTED, TIMED_OUT or FAILED on the
 * default bus; the pipeline's rule sends its own executions' reports here. A run still RUNNING
 * then never reached a `Finish` state (stopped by a person, timed out, or an uncaught task error):
 * it is finished as `Stopped` with the execution's error, which writes the audit record and the
 * `RetrainingFinished` event and releases the model's lock. Runs that did finish (a Fail state
 * after `Finish`, a suppressed trigger) are left alone, so a redelivered report changes nothing.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import { PipelineEvent } from '../../../contracts/events';
import { ModelName } from '../../../contracts/model-names';
import { type ExecutionStatusChange, isStopped, stopReason } from '../../shared/execution-status-change';
import type { PipelineDeps } from './ports';

export { type ExecutionStatusChange, isExecutionStatusChange } from '../../shared/execution-status-change';

import { pipelineAudit } from './run-tasks';

/** The model an execution input names: the route's and schedules' `modelName`, or an event's `detail.modelName`. */
function modelNameOf(input: string | null | undefined): string | undefined {
  if (!input) return undefined;
  try {
    const raw = JSON.parse(input) as { modelName?: unknown; detail?: { modelName?: unknown } };
    const parsed = ModelName.safeParse(raw.modelName ?? raw.detail?.modelName);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export type StoppedResult =
  | { readonly recorded: true; readonly modelName: string; readonly runId: string }
  | { readonly recorded: false; readonly why: string };

/** Finishes the execution's run as `Stopped` if it is still RUNNING. */
export async function recordStoppedExecution(
  deps: PipelineDeps,
  event: ExecutionStatusChange,
): Promise<StoppedResult> {
  const { detail } = event;
  if (!isStopped(detail)) {
    return { recorded: false, why: `status ${detail.status} is not a stop` };
  }
  const modelName = modelNameOf(detail.input);
  if (!modelName) return { recorded: false, why: 'the execution input names no model' };
  // The run id is the execution name (see `admit`).
  const run = await deps.store.getRun(modelName, detail.name);
  if (!run) return { recorded: false, why: `${modelName} has no run ${detail.name} (never admitted)` };
  if (run.status !== 'RUNNING')
    return { recorded: false, why: `run ${run.runId} already ended ${run.outcome}` };

  // The stored record, not a rebuilt one: it keeps the metrics, version and deployment so far.
  const at = deps.now().toISOString();
  const reason = stopReason(detail);
  const done = {
    ...run,
    status: 'FAILED' as const,
    phase: 'DONE',
    outcome: 'Stopped' as const,
    reason,
    updatedAt: at,
    finishedAt: at,
  };
  await deps.store.finishRun(
    done,
    pipelineAudit(deps, done, at, PipelineEvent.RETRAINING_FINISHED, {
      outcome: 'Stopped',
      why: reason,
      executionArn: detail.executionArn,
      ...(done.registeredVersion ? { registeredVersion: done.registeredVersion } : {}),
    }),
  );
  return { recorded: true, modelName, runId: run.runId };
}
