/**
 * The local API Gateway: matches requests against the same route table the CDK API construct
 * reads, verifies SigV4 as IAM authorization does (an unsigned or badly signed request is a 403,
 * with API Gateway's `{"message": ...}` body), and invokes the same handler with a payload v2
 * event. Routes the table does not declare are 404 `{"message":"Not Found"}`, as on AWS.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { ROUTES, type RouteDeclaration, type RouteFunction, routeKey } from '../contracts/routes';
import type { HttpEvent, HttpResult } from '../lambdas/shared/http';
import { buildHttpApiEvent, type LocalRequest } from './api-event';
import { type LocalCredential, verifySigV4 } from './sigv4';

export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * Runs the function a matched route integrates (`GET /models` and its `RouteFunction`) on a payload
 * v2 event, as API Gateway's Lambda proxy integration does; local mode invokes the template's function.
 */
export type RouteInvoker = (
  route: { readonly routeKey: string; readonly fn: RouteFunction },
  event: HttpEvent,
) => Promise<HttpResult>;

export interface CompiledRoute {
  readonly method: string;
  readonly key: string;
  readonly pattern: RegExp;
  readonly params: string[];
  readonly fn: RouteFunction;
}

/**
 * Compiles a route table into matchers: `{param}` matches one segment, a last `{name+}` (API
 * Gateway's greedy parameter) the rest of the path, slashes included.
 */
export function compileRoutes(routes: readonly RouteDeclaration[]): CompiledRoute[] {
  // API Gateway prefers the most specific route, so a greedy one is tried after all others.
  const greedyLast = [...routes].sort(
    (a, b) => Number(a.path.includes('+}')) - Number(b.path.includes('+}')),
  );
  return greedyLast.map((r) => {
    const params: string[] = [];
    const source = r.path.replace(/\{([^}+]+)(\+?)\}/g, (_, name: string, greedy: string) => {
      params.push(name);
      return greedy ? '(.+)' : '([^/]+)';
    });
    return { method: r.method, key: routeKey(r), pattern: new RegExp(`^${source}$`), params, fn: r.function };
  });
}

const COMPILED = compileRoutes(ROUTES);

/** Finds the declared route for a request, as API Gateway does, with decoded path parameters. */
export function matchRoute(method: string, path: string, routes: readonly CompiledRoute[] = COMPILED) {
  for (const r of routes) {
    if (r.method !== method) continue;
    const m = r.pattern.exec(path);
    if (!m) continue;
    const pathParameters: Record<string, string> = {};
    r.params.forEach((name, i) => {
      pathParameters[name] = safeDecode(m[i + 1]);
    });
    return { routeKey: r.key, pathParameters, fn: r.fn };
  }
  return undefined;
}

export interface LocalApiServerProps {
  readonly invoke: RouteInvoker;
  readonly credentials: readonly LocalCredential[];
  readonly region?: string;
  /** Extra unsigned-free local routes (e.g. the event log), checked before the route table. */
  readonly extraRoutes?: (
    req: IncomingMessage,
    url: URL,
  ) => Promise<{ status: number; body: unknown } | undefined>;
}

export class LocalApiServer {
  private server?: Server;

  constructor(private readonly props: LocalApiServerProps) {}

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err) => {
        console.error('local API failure:', err);
        send(res, 500, { message: 'Internal Server Error' });
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, host, resolve);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://local');
    const rawPath = url.pathname;
    const method = req.method ?? 'GET';

    const auth = await verifySigV4(
      {
        method,
        path: safeDecode(rawPath),
        query: queryRecord(url.searchParams),
        headers: req.headers,
        body,
      },
      { credentials: this.props.credentials, region: this.props.region ?? 'us-east-1' },
    );
    if (!auth.ok) return send(res, 403, { message: auth.reason });

    const extra = await this.props.extraRoutes?.(req, url);
    if (extra) return send(res, extra.status, extra.body);

    const match = matchRoute(method, rawPath);
    if (!match) return send(res, 404, { message: 'Not Found' });

    const request: LocalRequest = {
      method,
      rawPath,
      rawQueryString: url.search.slice(1),
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    };
    const event = buildHttpApiEvent(request, match, auth);
    const result = await this.props.invoke({ routeKey: match.routeKey, fn: match.fn }, event);
    res.statusCode = result.statusCode;
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, String(v));
    res.setHeader('apigw-requestid', event.requestContext.requestId);
    res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of params) {
    const prev = out[k];
    out[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
