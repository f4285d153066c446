/**
 * The training-set worker Lambda, invoked asynchronously with `{ "jobId" }` by the API handler:
 * runs the job's point-in-time join (Athena on AWS, DuckDB locally) and records the outcome.
 */
import type { TrainingSetJob } from '../../contracts/features';
import type { TrainingSetWorkerEvent } from './adapters/launchers';
import { engineFromEnv, makeWorker, storesFromEnv } from './deps';

let cached: ((event: TrainingSetWorkerEvent) => Promise<TrainingSetJob | undefined>) | undefined;

export const handler = (event: TrainingSetWorkerEvent): Promise<TrainingSetJob | undefined> => {
  if (!cached) {
    const stores = storesFromEnv();
    cached = makeWorker(stores, engineFromEnv(stores));
  }
  return cached(event);
};
