/**
 * The erasure worker Lambda, invoked asynchronously with `{ "erasureId" }` by the API handler:
 * removes the entity from the feature store, experiments, captured inferences and ground truth,
 * flags what was built from it, and records the receipt. A run whose time runs short invokes this
 * function again for the rest (its own name from the Lambda environment: naming it in its own
 * environment would be a cycle). A failure marks the erasure FAILED and is rethrown, so Lambda's
 * asynchronous retries run it on from where it stopped.
 */
import type { Context } from 'aws-lambda';
import type { Erasure } from '../../contracts/privacy';
import { requiredEnv } from '../shared/clients';
import { lazyPort } from '../shared/lazy-port';
import type { ErasureWorkerEvent } from './adapters/launchers';
import { makeWorker, runDepsFromEnv } from './deps';
import type { ErasureLauncher } from './domain/ports';

let cached: ReturnType<typeof makeWorker> | undefined;

/**
 * The launcher of this function's next run, with the Lambda client (and `on-demand.ts`'s S3
 * adapters) imported when a run hands on, not at every cold start.
 */
const selfLauncher = (functionName: string): ErasureLauncher =>
  lazyPort(async () => (await import('./on-demand')).lambdaLauncher(functionName), {});

export const handler = (event: ErasureWorkerEvent, context: Context): Promise<Erasure> => {
  cached ??= makeWorker(runDepsFromEnv(selfLauncher(requiredEnv('AWS_LAMBDA_FUNCTION_NAME'))));
  return cached(event, context);
};
