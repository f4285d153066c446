/**
 * The local Lambda service: runs the functions of the synthesized template, each in its own worker
 * thread started on its first invocation, with the environment the template gives it (see function-environment.ts), loading the
 * handler module each one records (`cdk-mlops:entry`); and serves the Invoke API (RequestResponse
 * and Event) so a handler's own Lambda client works locally with only an endpoint change. Routes,
 * rules, schedules, state machine tasks and the stream poller all invoke through here.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CfnTemplate, functionEntries, functionSettings, routeFunctions } from './cdk-template';
import { type LocalEndpoints, localFunctionEnvironment, localResourceNames } from './function-environment';
import { FunctionWorker } from './lambda-runtime/function-worker';
import { localArn } from './state-machines/intrinsics';

export class LocalLambdaService {
  private readonly entries: Map<string, string>;
  private readonly routes: Map<string, string>;
  private readonly names: Record<string, string>;
  private readonly workers = new Map<string, FunctionWorker>();
  private endpoints: LocalEndpoints;
  private server?: Server;
  private readonly pending = new Set<Promise<unknown>>();

  /**
   * @param endpoints the local services functions reach; can be completed later with
   * {@link useEndpoints}, before the first invocation. @default - none
   */
  constructor(
    private readonly template: CfnTemplate,
    endpoints: LocalEndpoints = {},
  ) {
    this.entries = functionEntries(template);
    this.routes = routeFunctions(template);
    this.names = localResourceNames(template);
    this.endpoints = endpoints;
  }

  /**
   * Points the functions at the local services. A function's environment is fixed when its worker
   * starts (as a container's is), so call this before invoking; the service's own Invoke endpoint
   * is added once {@link listen} resolves.
   */
  useEndpoints(endpoints: LocalEndpoints): void {
    this.endpoints = { ...this.endpoints, ...endpoints };
  }

  /** The environment function `functionRef` runs with: its template variables, resolved locally. */
  environmentOf(functionRef: string): Record<string, string> {
    return localFunctionEnvironment(this.template, this.resolve(functionRef), this.endpoints, this.names);
  }

  /** The logical id of the function an HTTP API route (`GET /models`) integrates, if any. */
  functionForRoute(routeKey: string): string | undefined {
    return this.routes.get(routeKey);
  }

  /** Logical ids of the template's functions. */
  get functionIds(): string[] {
    return [...this.entries.keys()];
  }

  /** The logical id of the function running `entry` (e.g. `lambdas/registry/handler.ts`). */
  logicalIdForEntry(entry: string): string | undefined {
    for (const [id, e] of this.entries) if (e === entry) return id;
    return undefined;
  }

  /**
   * Invokes a function by logical id, name or ARN (`...:function:<id>`, qualifier ignored).
   * @throws Error when the template has no such function
   */
  async invoke(functionRef: string, payload: unknown, awsRequestId?: string): Promise<unknown> {
    return this.worker(this.resolve(functionRef)).invoke(payload, awsRequestId);
  }

  /**
   * Logical ids of the functions whose worker ("container") is running. A worker starts on its
   * function's first invocation, as Lambda starts an execution environment on demand: an idle
   * platform holds only the functions something has invoked, and the first request to each pays
   * its cold start (the thread, tsx, the handler module and its clients), as on AWS.
   */
  get startedFunctions(): string[] {
    return [...this.workers].filter(([, w]) => w.running).map(([id]) => id);
  }

  /** Invokes without waiting, as InvocationType Event does; failures are logged. */
  invokeAsync(functionRef: string, payload: unknown): void {
    const run = this.invoke(functionRef, payload).catch((err) =>
      console.error(`async invocation of ${functionRef} failed:`, err),
    );
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  private resolve(functionRef: string): string {
    const name = functionRef.includes(':function:')
      ? functionRef.split(':function:')[1].split(':')[0]
      : functionRef;
    if (!this.entries.has(name)) throw new Error(`no local function ${name} in the template`);
    return name;
  }

  /** The function's worker ("container"), made on first use with the function's environment. */
  private worker(id: string): FunctionWorker {
    let worker = this.workers.get(id);
    if (!worker) {
      const settings = functionSettings(this.template, id);
      worker = new FunctionWorker({
        logicalId: id,
        entry: settings.entry,
        functionArn: localArn(this.template, id),
        timeoutMs: settings.timeoutSeconds * 1000,
        memorySizeMb: settings.memorySizeMb,
        // Read now, not at construction: the endpoints are known once local mode has started them.
        environment: () => this.environmentOf(id),
      });
      this.workers.set(id, worker);
    }
    return worker;
  }

  /** Serves `POST /2015-03-31/functions/{name}/invocations`; resolves to the endpoint URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', async () => {
        const m = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        };
        if (!m) return reply(404, { Type: 'User', message: 'Not Found' });
        const name = decodeURIComponent(m[1]);
        const text = Buffer.concat(chunks).toString('utf8');
        const payload = text ? JSON.parse(text) : {};
        try {
          this.resolve(name);
        } catch (err) {
          return reply(
            404,
            { Type: 'User', message: (err as Error).message },
            { 'x-amzn-errortype': 'ResourceNotFoundException' },
          );
        }
        if (req.headers['x-amz-invocation-type'] === 'Event') {
          this.invokeAsync(name, payload);
          return reply(202, undefined);
        }
        try {
          reply(200, await this.invoke(name, payload));
        } catch (err) {
          // As Lambda does: 200 with the error in the payload and X-Amz-Function-Error set.
          reply(
            200,
            { errorType: (err as Error).name, errorMessage: (err as Error).message },
            {
              'x-amz-function-error': 'Unhandled',
            },
          );
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.useEndpoints({ lambda: url });
    return url;
  }

  /** Stops serving, waits for asynchronous invocations still running, and stops every worker. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await Promise.allSettled([...this.pending]);
    await Promise.all([...this.workers.values()].map((w) => w.terminate()));
  }
}
