/**
 * The Distributed Map's worker: one batch of rows in, its predictions and dead-letter parts out,
 * its counts returned (they reach the finalize step through the Map's ResultWriter).
 */
import { type BatchCountsResult, runBatch, type WorkerEvent } from './domain/worker';
import { workerDepsFromEnv } from './worker-deps';

let deps: ReturnType<typeof workerDepsFromEnv> | undefined;

export const handler = (event: WorkerEvent): Promise<BatchCountsResult> => {
  deps ??= workerDepsFromEnv();
  return runBatch(deps, event);
};
