/** The evaluation worker over its ports: one invocation goes on with one background run. */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import type { EvaluationWorkerEvent } from './adapters/evaluation-launchers';
import type { LlmHandlerDeps } from './deps';
import { workEvaluationRun } from './domain/evaluation-runs';

/**
 * What a worker keeps back before starting a row, per model call the row makes (its answer, each
 * judge): a call bounded by the invoke timeout and its retries, and a share of the hand-over
 * writes. A row with an answer and one judge keeps back 180 s; with six judges (seven scorers
 * at most) 630 s of the worker's 15 minutes.
 */
export const WORKER_RESERVE_MS = 90_000;

/** A worker without a Lambda context (in this process) gets as long as Lambda's longest run. */
const IN_PROCESS_MS = 15 * 60_000;

export const makeWorker =
  (deps: LlmHandlerDeps, reserveMs = WORKER_RESERVE_MS) =>
  async (
    event: EvaluationWorkerEvent,
    context?: Pick<Context, 'awsRequestId' | 'getRemainingTimeInMillis'>,
  ): Promise<void> => {
    const started = Date.now();
    await workEvaluationRun({ ...deps, ...(await deps.settings()) }, event.runId, {
      owner: context?.awsRequestId ?? randomUUID(),
      remainingMs: () => context?.getRemainingTimeInMillis() ?? IN_PROCESS_MS - (Date.now() - started),
      reserveMs,
    });
  };
