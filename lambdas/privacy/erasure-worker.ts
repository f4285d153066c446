/**
 * The erasure worker Lambda, invoked asynchronously with `{ "erasureId" }` by the API handler:
 * removes the entity from the feature store, captured inferences and ground truth, flags what was
 * built from it, and records the receipt. A failure marks the erasure FAILED and is rethrown, so
 * Lambda's asynchronous retries run it again; every step is safe to repeat.
 */
import type { Erasure } from '../../contracts/privacy';
import type { ErasureWorkerEvent } from './adapters/launchers';
import { makeWorker, runDepsFromEnv } from './deps';

let cached: ((event: ErasureWorkerEvent) => Promise<Erasure>) | undefined;

export const handler = (event: ErasureWorkerEvent): Promise<Erasure> => {
  cached ??= makeWorker(runDepsFromEnv());
  return cached(event);
};
