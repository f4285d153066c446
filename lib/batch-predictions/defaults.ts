/**
 * Defaults of `BatchPredictions`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';

export const BATCH_DEFAULTS = {
  /**
   * A batch's input travels in the child execution's input: Step Functions caps a state's input
   * at 256 KiB, and ItemBatcher's MaxInputBytesPerBatch must stay under it.
   * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html
   */
  maxInputBytesPerBatch: 200 * 1024,
  /** A worker scores at most one batch; 1,000 rows of a small model take well under a second. */
  workerTimeout: Duration.minutes(5),
  workerMemorySize: 1024,
  /** Finalize streams every ResultWriter file of the run, a child's result at a time. */
  tasksTimeout: Duration.minutes(15),
  tasksMemorySize: 1024,
  /** Worker retries on Lambda's transient errors before the batch counts as failed. */
  workerRetries: 3,
  /** A run of 10^9 rows at 1,000 workers: hours, not days. */
  stateMachineTimeout: Duration.hours(24),
  /** Batch Transform: a record's payload (SageMaker's MaxPayloadInMB, 6 MB at most). */
  transformMaxPayloadMb: 6,
  /** DeleteModel retries (2, 4, 8 s apart) before a run leaves its model behind. */
  modelCleanupRetries: 3,
} as const;
