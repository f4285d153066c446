/**
 * The retraining routes' replies as schemas, for the routes' `response` and so the API document.
 * `RetrainingRunResponse` is checked at compile time against `RetrainingRun`, the record the store
 * returns; the start reply's type is what the handler sends.
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { RetrainingReason, type RetrainingRun, RunOutcome, RunStatus } from './pipeline';
import { type Same, sameShape } from './same-shape';

/** What started a run: the model, the reason and the event behind it. */
const RetrainingTriggerResponse = lazySchema(() =>
  z.object({
    modelName: z.string(),
    reason: RetrainingReason,
    event: z.object({ id: z.string(), source: z.string(), detailType: z.string(), time: z.string() }),
    dedupKey: z.string(),
    requestedBy: z.string(),
  }),
);

/**
 * A retraining run. A trigger the gate suppressed (another run holds the model, the trigger was
 * seen before, the reason is cooling down) is a finished run with outcome `Suppressed` and the
 * reason why.
 */
export const RetrainingRunResponse = lazySchema(() =>
  z.object({
    runId: z.string(),
    modelName: z.string(),
    trigger: RetrainingTriggerResponse,
    status: RunStatus,
    /** The step the run is at, e.g. `VALIDATING`, `TRAINING`, `CANARY`. */
    phase: z.string(),
    outcome: RunOutcome.optional(),
    reason: z.string().optional(),
    executionArn: z.string().optional(),
    trainingJobName: z.string().optional(),
    metrics: z
      .object({
        challenger: z.record(z.string(), z.number()).optional(),
        champion: z.record(z.string(), z.number()).optional(),
      })
      .optional(),
    championVersion: z.number().int().optional(),
    registeredVersion: z.number().int().optional(),
    deploymentId: z.string().optional(),
    startedAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().optional(),
  }),
);

/** `GET .../retraining-runs`: a model's runs, newest first. */
export const RetrainingRunListResponse = lazySchema(() =>
  z.object({ items: z.array(RetrainingRunResponse) }),
);

/**
 * `POST .../retraining-runs` (202): the execution started. Its gate may still suppress the run,
 * which `GET .../retraining-runs/{runId}` then reports (outcome `Suppressed`, with the reason).
 */
export const StartRunResponse = lazySchema(() =>
  z.object({
    runId: z.string(),
    modelName: z.string(),
    executionArn: z.string(),
    status: z.literal('STARTING'),
  }),
);
export type StartRunResponse = z.infer<typeof StartRunResponse>;

/**
 * `POST .../retraining-runs/{runId}/stop` (202): the run's execution is stopped (ABORTED, with a
 * cause naming the caller). The run reads outcome `Stopped` once Step Functions' status change
 * reaches the pipeline; stopping it again, before or after that, answers the same.
 */
export const StopRunResponse = lazySchema(() =>
  z.object({
    runId: z.string(),
    modelName: z.string(),
    executionArn: z.string(),
    status: z.literal('STOPPING'),
  }),
);
export type StopRunResponse = z.infer<typeof StopRunResponse>;

// Compile-time check: the schema's output and the domain's record are the same shape.
sameShape<Same<z.output<typeof RetrainingRunResponse>, RetrainingRun>>(true);
