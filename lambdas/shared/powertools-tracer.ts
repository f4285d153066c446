/**
 * The container's Powertools Tracer. Imported only through `tracing.ts`, and only where tracing is
 * on: loading it loads the X-Ray SDK, whose context tracking (an async hook on every promise) costs
 * every await of the process, and no local process or test should pay that for traces nobody sends.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/tracer/
 */
import { Tracer } from '@aws-lambda-powertools/tracer';

export const tracer = new Tracer({ serviceName: 'cdk-mlops' });
