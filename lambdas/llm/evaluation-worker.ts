/**
 * The evaluation worker Lambda: invoked asynchronously with `{ runId }`, it scores the run's next
 * rows until the run is done or its time runs short, then invokes itself for the rest (its own
 * name from the Lambda environment: naming it in its own environment would be a cycle).
 */
import type { Context } from 'aws-lambda';
import { requiredEnv } from '../shared/clients';
import type { EvaluationWorkerEvent } from './adapters/evaluation-launchers';
import { defaultDeps, lambdaLauncher } from './deps';
import { makeWorker } from './evaluation-work';

let cached: ReturnType<typeof makeWorker> | undefined;

export const handler = (event: EvaluationWorkerEvent, context: Context): Promise<void> => {
  cached ??= makeWorker({
    ...defaultDeps(),
    launcher: lambdaLauncher(requiredEnv('AWS_LAMBDA_FUNCTION_NAME')),
  });
  return cached(event, context);
};
