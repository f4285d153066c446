/**
 * The local Lambda service: runs the functions of the synthesized template by loading the handler
 * module each one records (`cdk-mlops:entry`), and serves the Invoke API (RequestResponse and
 * Event) so a handler's own Lambda client works locally with only an endpoint change.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { localContext } from './api-event';
import { type CfnTemplate, functionEntries } from './cdk-template';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

const ROOT = join(__dirname, '..');

export class LocalLambdaService {
  private readonly entries: Map<string, string>;
  private readonly loaded = new Map<string, Promise<Handler>>();
  private server?: Server;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(template: CfnTemplate) {
    this.entries = functionEntries(template);
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
  async invoke(functionRef: string, payload: unknown): Promise<unknown> {
    const id = this.resolve(functionRef);
    const handler = await this.load(id);
    return handler(payload, localContext(id, 900_000));
  }

  /** Loads a function's module now, so its first invocation does not pay for compiling it. */
  async preload(functionRef: string): Promise<void> {
    await this.load(this.resolve(functionRef));
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

  private load(id: string): Promise<Handler> {
    let handler = this.loaded.get(id);
    if (!handler) {
      const entry = this.entries.get(id)!;
      handler = import(join(ROOT, entry)).then((mod: { handler?: Handler }) => {
        if (typeof mod.handler !== 'function') throw new Error(`${entry} does not export handler`);
        return mod.handler;
      });
      this.loaded.set(id, handler);
    }
    return handler;
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
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops serving and waits for asynchronous invocations still running. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await Promise.allSettled([...this.pending]);
  }
}
