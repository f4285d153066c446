/**
 * The Lambda client that starts the evaluation worker, imported by the first start of a background
 * evaluation run (`deps.ts`, through `lazyPort`): the bundle holds it in a chunk of its own, so the
 * chat and prompt routes, and the worker itself until it hands a run on, load no Lambda client.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../../contracts/env';
import { traced } from '../shared/tracing';
import { LambdaEvaluationLauncher } from './adapters/lambda-evaluation-launcher';

export const lambdaEvaluationLauncher = (functionName: string) =>
  new LambdaEvaluationLauncher({
    client: traced(new LambdaClient({ endpoint: process.env[ENV.lambdaEndpoint] || undefined })),
    functionName,
  });
