/**
 * One local Lambda function as its own worker thread: Lambda gives each function its own process,
 * so each gets its own `process.env` (the Worker's `env`) and its own module cache (SDK clients
 * made once per container, with that environment). Started on first use; a worker that dies
 * fails its pending invocations and the next invocation starts a fresh one, as a new container.
 * @see https://nodejs.org/docs/latest-v20.x/api/worker_threads.html#new-workerfilename-options
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerRequest, WorkerSetup } from './protocol';

const ROOT = join(__dirname, '..', '..');

/**
 * The worker's bootstrap. Handlers are TypeScript: the worker registers its own loader
 * (`ts-require.cjs`, which also turns a handler's `import()` of a source into `require`, as the
 * bundle does), because neither `npm start`'s loader flags nor jest's transform reach a worker
 * thread. The polyfills come first, as in the main process (Node 20 has no Promise.withResolvers).
 */
const BOOTSTRAP = `
require(${JSON.stringify(join(ROOT, 'local', 'ts-require.cjs'))});
require(${JSON.stringify(join(ROOT, 'local', 'polyfills.ts'))});
require(${JSON.stringify(join(__dirname, 'worker-main.ts'))});
`;

/** What a function's worker needs: its module, its name and limits, its whole environment. */
export interface FunctionWorkerProps {
  readonly logicalId: string;
  readonly entry: string;
  /** The function's whole environment, read when its worker starts. */
  readonly environment: () => Record<string, string>;
  readonly functionArn: string;
  /** @default 30_000 */
  readonly timeoutMs?: number;
  /** @default 512 */
  readonly memorySizeMb?: number;
}

/** The error a handler threw, rebuilt in the caller with the handler's name, message and fields. */
export class FunctionError extends Error {
  constructor(name: string, message: string, stack?: string, fields: Record<string, unknown> = {}) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

export class FunctionWorker {
  private worker?: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly props: FunctionWorkerProps) {}

  /** Runs the handler on `payload` (sent as JSON, as Lambda does) and resolves to its JSON result. */
  invoke(payload: unknown, awsRequestId: string = randomUUID()): Promise<unknown> {
    const text = payload === undefined ? undefined : JSON.stringify(payload);
    return this.request((id) => ({ id, type: 'invoke', payload: text, awsRequestId }));
  }

  /** Whether the worker thread is up (started by an invocation and not exited since). */
  get running(): boolean {
    return this.worker !== undefined;
  }

  /** Stops the worker; invocations still pending fail. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private request(make: (id: number) => WorkerRequest): Promise<unknown> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage(make(id));
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const { logicalId, entry, environment, functionArn } = this.props;
    const setup: WorkerSetup = {
      entry,
      entryPath: join(ROOT, entry),
      functionName: logicalId,
      functionArn,
      timeoutMs: this.props.timeoutMs ?? 30_000,
      memorySizeMb: this.props.memorySizeMb ?? 512,
    };
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: setup,
      env: environment(),
      // The parent's loader flags (tsx's under `npm start`) are not for this thread: it has its own.
      execArgv: [],
      name: logicalId,
    });
    // An idle function must not keep the platform's process alive.
    worker.unref();
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) =>
      this.fail(worker, new Error(`function ${logicalId} exited with code ${code}`)),
    );
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.error) {
      const { name, message, stack, fields } = reply.error;
      waiting.reject(new FunctionError(name, message, stack, fields));
    } else {
      waiting.resolve(reply.result === undefined ? undefined : JSON.parse(reply.result));
    }
  }

  /** The container died (an uncaught error, or terminate): what it was running fails with it. */
  private fail(worker: Worker, err: Error): void {
    if (this.worker === worker) this.worker = undefined;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      waiting.reject(err);
    }
  }
}
