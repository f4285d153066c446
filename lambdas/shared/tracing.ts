/**
 * X-Ray tracing of the handlers with Powertools Tracer: every AWS SDK client the platform builds is
 * captured (`traced`, where the client is built), so each DynamoDB, S3, EventBridge or SageMaker
 * call is a subsegment of the invocation's trace; HTTP requests also get a subsegment per route
 * annotated with the API request id (`traceRequest`, in the router), so a trace is found by the
 * correlation id a caller or a log line gives.
 *
 * Tracing is on where Powertools turns it on: in Lambda (`AWS_EXECUTION_ENV` set) unless
 * `POWERTOOLS_TRACE_ENABLED` is `false`, never under SAM local. Elsewhere (local mode, which sets
 * `POWERTOOLS_TRACE_ENABLED=false` and has no X-Ray daemon; tests) the tracer module is never
 * loaded, so clients are returned as they are and nothing tries to reach a daemon.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/tracer/
 * @see https://docs.aws.amazon.com/xray/latest/devguide/xray-sdk-nodejs-awssdkclients.html
 */
import type { Tracer } from '@aws-lambda-powertools/tracer';

/** Whether Powertools Tracer would trace in `env` (its own rules, read without loading it). */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env.POWERTOOLS_TRACE_ENABLED ?? '').toLowerCase() === 'false') return false;
  if (env.AWS_SAM_LOCAL || env.AWS_EXECUTION_ENV === 'AWS_Lambda_amplify-mock') return false;
  return Boolean(env.AWS_EXECUTION_ENV);
}

let loaded: Tracer | null | undefined;

/** The container's tracer, loaded on first use where tracing is on; `undefined` elsewhere. */
export function tracer(): Tracer | undefined {
  if (loaded === undefined) {
    // A static import would load the X-Ray SDK in every process. In a handler bundle this path is
    // a file of its own beside index.mjs (lib/shared/handler-bundles.ts), read only on this call.
    loaded = tracingEnabled()
      ? (require('./powertools-tracer') as typeof import('./powertools-tracer')).tracer
      : null;
  }
  return loaded ?? undefined;
}

/**
 * The client, captured by the tracer where tracing is on: its calls become X-Ray subsegments.
 * Wrap each AWS SDK v3 client where it is built, once per container.
 */
export function traced<C>(client: C): C {
  return tracer()?.captureAWSv3Client(client) ?? client;
}

/**
 * Runs one request in a subsegment named for it, annotated (searchable in X-Ray) with `annotations`,
 * the cold start and the service; an error is recorded on the subsegment and rethrown. Where
 * tracing is off, runs `fn` alone.
 */
export async function traceRequest<T>(
  name: string,
  annotations: Readonly<Record<string, string>>,
  fn: () => Promise<T>,
): Promise<T> {
  const t = tracer();
  const parent = t?.getSegment();
  if (!t || !parent) return fn();
  const subsegment = parent.addNewSubsegment(`## ${name}`);
  t.setSegment(subsegment);
  t.annotateColdStart();
  t.addServiceNameAnnotation();
  for (const [key, value] of Object.entries(annotations)) t.putAnnotation(key, value);
  try {
    return await fn();
  } catch (error) {
    t.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment.close();
    t.setSegment(parent);
  }
}
