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
import type { ErasureWorkerEvent } from './adapters/launchers';
import { makeWorker, runDepsFromEnv } from './deps';
import { lambdaLauncher } from './on-demand';

let cached: ReturnType<typeof makeWorker> | undefined;

export const handler = (event: ErasureWorkerEvent, context: Context): Promise<Erasure> => {
  cached ??= makeWorker(runDepsFromEnv(lambdaLauncher(requiredEnv('AWS_LAMBDA_FUNCTION_NAME'))));
  return cached(event, context);
};
