/**
 * The inside of one local Lambda "container": a worker thread that loads one function's handler
 * module with that function's `process.env` and answers invocations from the local Lambda
 * service. Its module cache is its own, so SDK clients a handler builds once per container are
 * built with this function's environment and never shared with another function. Invocations
 * run concurrently, each in its own invoke-store context (`invoke-store.ts`), as Lambda's runtime
 * runs several at once in one environment.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { installInvokeStore } from './invoke-store';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const setup = workerData as WorkerSetup;
// Before the handler module loads: Powertools and the SDK look for it on first use.
const invokeStore = installInvokeStore();
let handler: Handler | undefined;

/**
 * Loads the handler module once, as a Lambda container's init phase does: in a context of its own,
 * so what the module's top level logs or starts belongs to no invocation.
 */
function loadHandler(): Handler {
  if (!handler) {
    const mod = invokeStore.run({}, () => require(setup.entryPath) as { handler?: Handler });
    if (typeof mod.handler !== 'function') throw new Error(`${setup.entry} does not export handler`);
    handler = mod.handler;
  }
  return handler;
}

/** The Lambda context of one invocation: the function's timeout bounds the remaining time. */
function contextFor(awsRequestId: string): Context {
  const deadline = Date.now() + setup.timeoutMs;
  const name = setup.functionName;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: setup.functionArn,
    memoryLimitInMB: String(setup.memorySizeMb),
    awsRequestId,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

async function answer(request: WorkerRequest): Promise<unknown> {
  const run = loadHandler();
  const event = request.payload === undefined ? undefined : JSON.parse(request.payload);
  const awsRequestId = request.awsRequestId ?? randomUUID();
  return invokeStore.runInvocation(awsRequestId, () => run(event, contextFor(awsRequestId)));
}

/** An error as Lambda reports it (type and message), with the stack and own fields for local logs. */
function errorShape(err: unknown): WorkerReply['error'] {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(err)) {
    try {
      fields[key] = JSON.parse(JSON.stringify(value));
    } catch {
      // Not JSON: Lambda would drop it too.
    }
  }
  return { name: err.name, message: err.message, stack: err.stack, fields };
}

parentPort!.on('message', (request: WorkerRequest) => {
  answer(request).then(
    // Results cross the boundary as JSON, as a Lambda response does.
    (result) =>
      parentPort!.postMessage({ id: request.id, result: JSON.stringify(result) } satisfies WorkerReply),
    (err) => parentPort!.postMessage({ id: request.id, error: errorShape(err) } satisfies WorkerReply),
  );
});
