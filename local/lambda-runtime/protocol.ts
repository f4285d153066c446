/** Messages between the local Lambda service and a function's worker thread. */

/** What a worker is started with (its `workerData`); its environment is the Worker's `env`. */
export interface WorkerSetup {
  /** Handler module relative to the repository root, e.g. `lambdas/registry/handler.ts`. */
  readonly entry: string;
  readonly entryPath: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly timeoutMs: number;
  readonly memorySizeMb: number;
}

/** One invocation; the first one also loads the handler module (the container's init). */
export interface WorkerRequest {
  readonly id: number;
  readonly type: 'invoke';
  readonly payload?: string;
  readonly awsRequestId?: string;
}

/** The answer to one request: the result as JSON text, or the error the handler threw. */
export interface WorkerReply {
  readonly id: number;
  readonly result?: string;
  readonly error?: {
    readonly name: string;
    readonly message: string;
    readonly stack?: string;
    readonly fields?: Record<string, unknown>;
  };
}
