/**
 * The local API Gateway: matches requests against the same route table the CDK API construct
 * reads, verifies SigV4 as IAM authorization does (an unsigned or badly signed request is a 403,
 * with API Gateway's `{"message": ...}` body and `x-amzn-errortype` header), and invokes the same
 * handler with a payload v2 event. Routes the table does not declare are 404
 * `{"message":"Not Found"}`, as on AWS.
 *
 * The size limits are AWS's too: a body over the HTTP API's 10 MB payload quota is a 413; an
 * event over Lambda's 6 MB synchronous invocation payload is refused by Lambda, which API Gateway
 * answers 500; a function's response over 6 MB fails the invocation, answered 502. Both bodies
 * are `{"message":"Internal Server Error"}`.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-apigateway-errors.html
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';
import { ROUTES, type RouteDeclaration, type RouteFunction, routeKey } from '../contracts/routes';
import {
  type HttpEvent,
  type HttpResult,
  MAX_LAMBDA_PAYLOAD_BYTES,
  payloadBytes,
} from '../lambdas/shared/http';
import { buildHttpApiEvent, type LocalRequest } from './api-event';
import { type LocalCredential, verifySigV4 } from './sigv4';

/** The HTTP API's payload quota, which cannot be raised. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const INTERNAL_SERVER_ERROR = { message: 'Internal Server Error' };

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

/**
 * What API Gateway measures of one request it answered (the route-level metrics' `Method` and
 * `Resource` are the matched route's): the status, `Latency` from the request's arrival to the
 * answer, and `IntegrationLatency` around the function's invocation, where one ran.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export interface ApiRequestRecord {
  readonly status: number;
  readonly latencyMs: number;
  /** @default - the request never reached an integration (refused, unknown route) */
  readonly integrationLatencyMs?: number;
  /** @default - no declared route matched */
  readonly route?: { readonly method: string; readonly path: string };
}

/** What a request's handling learns on the way, for its record. */
interface RequestTrace {
  readonly startedMs: number;
  /** A local-only page or route (`/_local/...`, the console): not API Gateway's, not recorded. */
  localOnly?: boolean;
  route?: ApiRequestRecord['route'];
  integrationLatencyMs?: number;
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
  /**
   * Local read-only pages answered before SigV4 (a browser cannot sign): status, content type and text.
   * @default - none
   */
  readonly publicPages?: (
    req: IncomingMessage,
    url: URL,
  ) => Promise<
    { status: number; contentType: string; text: string; headers?: Record<string, string> } | undefined
  >;
  /**
   * Told of every request API Gateway would have answered (not the local-only pages and routes),
   * once answered: local mode records API Gateway's metrics from it (`api-metrics.ts`).
   * @default - nothing recorded
   */
  readonly onRequest?: (record: ApiRequestRecord) => void;
}

export class LocalApiServer {
  private server?: Server;

  constructor(private readonly props: LocalApiServerProps) {}

  async listen(port: number, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => {
      const trace: RequestTrace = { startedMs: performance.now() };
      this.handle(req, res, trace)
        .catch((err) => {
          console.error('local API failure:', err);
          send(res, 500, { message: 'Internal Server Error' });
        })
        .finally(() => this.record(res, trace));
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

  private record(res: ServerResponse, trace: RequestTrace): void {
    if (trace.localOnly || !this.props.onRequest) return;
    try {
      this.props.onRequest({
        status: res.statusCode,
        latencyMs: performance.now() - trace.startedMs,
        ...(trace.integrationLatencyMs === undefined
          ? {}
          : { integrationLatencyMs: trace.integrationLatencyMs }),
        ...(trace.route ? { route: trace.route } : {}),
      });
    } catch (err) {
      // A metric lost is a gap in a graph, never a failed request.
      console.error('API metrics not recorded:', err);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse, trace: RequestTrace): Promise<void> {
    const body = await readBody(req, MAX_REQUEST_BYTES);
    if (!body) return send(res, 413, { message: 'Request Entity Too Large' });
    const url = new URL(req.url ?? '/', 'http://local');
    const rawPath = url.pathname;
    const method = req.method ?? 'GET';

    const page = method === 'GET' ? await this.props.publicPages?.(req, url) : undefined;
    if (page) {
      trace.localOnly = true;
      res.writeHead(page.status, { ...page.headers, 'content-type': page.contentType });
      res.end(page.text);
      return;
    }

    const auth = await verifySigV4(
      {
        method,
        path: safeDecode(rawPath),
        query: queryRecord(url.searchParams),
        // Every Authorization header sent: Node's `headers` keeps only the first.
        headers: { ...req.headers, authorization: req.headersDistinct.authorization },
        body,
      },
      { credentials: this.props.credentials, region: this.props.region ?? 'us-east-1' },
    );
    if (!auth.ok) return send(res, 403, { message: auth.reason }, { 'x-amzn-errortype': auth.errorType });

    const extra = await this.props.extraRoutes?.(req, url);
    if (extra) {
      trace.localOnly = true;
      return send(res, extra.status, extra.body);
    }

    const match = matchRoute(method, rawPath);
    if (!match) return send(res, 404, { message: 'Not Found' });
    trace.route = { method, path: match.routeKey.slice(method.length + 1) };

    const request: LocalRequest = {
      method,
      rawPath,
      rawQueryString: url.search.slice(1),
      headers: req.headers,
      body,
      sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
    };
    const event = buildHttpApiEvent(request, match, auth);
    if (payloadBytes(event) > MAX_LAMBDA_PAYLOAD_BYTES) return send(res, 500, INTERNAL_SERVER_ERROR);
    const invokedMs = performance.now();
    const result = await this.props.invoke({ routeKey: match.routeKey, fn: match.fn }, event).finally(() => {
      trace.integrationLatencyMs = performance.now() - invokedMs;
    });
    if (payloadBytes(result) > MAX_LAMBDA_PAYLOAD_BYTES) return send(res, 502, INTERNAL_SERVER_ERROR);
    res.statusCode = result.statusCode;
    for (const [k, v] of Object.entries(result.headers ?? {})) res.setHeader(k, String(v));
    res.setHeader('apigw-requestid', event.requestContext.requestId);
    res.end(result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? ''));
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
  res.end(JSON.stringify(body));
}

/** The body, or undefined once it passes `limit` bytes (the rest is read and dropped). */
async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
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
