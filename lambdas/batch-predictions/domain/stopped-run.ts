/**
 * A run that ends with no further state (stopped by a cancel, timed out, or failed outside every
 * Catch) cannot delete its transform model itself: Step Functions runs no state after
 * StopExecution. The batch machine's status changes are delivered here instead, and the model of a
 * transform run is deleted; a model already gone (the run's own DeleteModel ran) is no change, so
 * a redelivered event is harmless.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import {
  BATCH_JOB_PREFIX,
  type BatchJobInput,
  transformModelName,
} from '../../../contracts/batch-predictions';
import { type ExecutionStatusChange, isStopped } from '../../shared/execution-status-change';
import type { JobModels } from './ports';

export { type ExecutionStatusChange, isExecutionStatusChange } from '../../shared/execution-status-change';

/** The job an execution ran, from its input, when the event carries it. */
function jobOf(
  input: string | null | undefined,
): Pick<BatchJobInput, 'jobId' | 'attempt' | 'engine'> | undefined {
  try {
    const job = (JSON.parse(input ?? '') as { job?: BatchJobInput }).job;
    return job && typeof job.jobId === 'string' && Number.isInteger(job.attempt) ? job : undefined;
  } catch {
    return undefined;
  }
}

export type StoppedRunResult =
  | { readonly deleted: boolean; readonly modelName: string }
  | { readonly skipped: string };

/** Deletes the transform model of a run that ended ABORTED, TIMED_OUT or FAILED. */
export async function deleteStoppedRunModel(
  models: JobModels,
  event: ExecutionStatusChange,
): Promise<StoppedRunResult> {
  const { detail } = event;
  if (!isStopped(detail)) return { skipped: `status ${detail.status}` };
  const job = jobOf(detail.input);
  if (job && job.engine !== 'transform') return { skipped: `engine ${job.engine}` };
  // Without the input the name alone says it: the model is named for the execution.
  const modelName = job ? transformModelName(job.jobId, job.attempt) : `${BATCH_JOB_PREFIX}${detail.name}`;
  return { deleted: await models.delete(modelName), modelName };
}
