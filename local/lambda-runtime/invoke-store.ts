/**
 * Per-invocation state for a worker that runs invocations concurrently, as Lambda's Node.js
 * runtime keeps it where one execution environment takes several requests at once (Lambda Managed
 * Instances): an `AsyncLocalStorage` context per invocation, published as
 * `globalThis.awslambda.InvokeStore` with `AWS_LAMBDA_MAX_CONCURRENCY` set. Powertools Logger and
 * Metrics then keep their per-request keys (the `correlation_id`) and metrics in the invocation's
 * context instead of module state, so concurrent requests in one local worker never log each
 * other's ids. The store's shape is the runtime's (`@aws/lambda-invoke-store`, which Powertools
 * and the AWS SDK read).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html
 */
import { AsyncLocalStorage } from 'node:async_hooks';

type Context = Record<string | symbol, unknown>;

/** The runtime's own fields, which handler code may read but not change. */
const PROTECTED = {
  requestId: Symbol.for('_AWS_LAMBDA_REQUEST_ID'),
  xRayTraceId: Symbol.for('_AWS_LAMBDA_X_RAY_TRACE_ID'),
  tenantId: Symbol.for('_AWS_LAMBDA_TENANT_ID'),
  traceparent: Symbol.for('_AWS_LAMBDA_TRACEPARENT'),
  tracestate: Symbol.for('_AWS_LAMBDA_TRACESTATE'),
  baggage: Symbol.for('_AWS_LAMBDA_BAGGAGE'),
} as const;

export class LocalInvokeStore {
  private readonly als = new AsyncLocalStorage<Context>();

  /** Runs `fn` as invocation `requestId`: what it and its callbacks store stays theirs. */
  runInvocation<T>(requestId: string, fn: () => T): T {
    return this.als.run({ [PROTECTED.requestId]: requestId }, fn);
  }

  run<T>(context: Context, fn: () => T): T {
    return this.als.run(context, fn);
  }

  getContext(): Context | undefined {
    return this.als.getStore();
  }

  hasContext(): boolean {
    return this.als.getStore() !== undefined;
  }

  get<T = unknown>(key: string | symbol): T | undefined {
    return this.als.getStore()?.[key] as T | undefined;
  }

  set(key: string | symbol, value: unknown): void {
    if ((Object.values(PROTECTED) as Array<string | symbol>).includes(key)) {
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    }
    const store = this.als.getStore();
    if (!store) throw new Error('No context available');
    store[key] = value;
  }

  getRequestId(): string {
    return this.get<string>(PROTECTED.requestId) ?? '-';
  }

  getXRayTraceId(): string | undefined {
    return this.get(PROTECTED.xRayTraceId);
  }

  getTenantId(): string | undefined {
    return this.get(PROTECTED.tenantId);
  }

  getTraceparent(): string | undefined {
    return this.get(PROTECTED.traceparent);
  }

  getTracestate(): string | undefined {
    return this.get(PROTECTED.tracestate);
  }

  getBaggage(): string | undefined {
    return this.get(PROTECTED.baggage);
  }
}

/**
 * Installs the store for this thread, before any handler module loads (Powertools and the SDK read
 * the global when first used). Locally nothing caps concurrency; the value only says "several".
 */
export function installInvokeStore(env: NodeJS.ProcessEnv = process.env): LocalInvokeStore {
  const store = new LocalInvokeStore();
  env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  global.awslambda ??= {};
  global.awslambda.InvokeStore = store;
  return store;
}
