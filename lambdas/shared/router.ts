/**
 * Dispatches an HTTP API event to the function declared for its route key, parses the request
 * with the route's schemas from `contracts/` (path parameters, query string, JSON body), hands the
 * function typed input and renders every error in the platform's shape. One Lambda per
 * capability serves all of its routes.
 */
import type { Context } from 'aws-lambda';
import type * as z from 'zod';
import { ENV } from '../../contracts/env';
import { RateLimitsConfig, type RouteGroup, routeGroupOf } from '../../contracts/rate-limits';
import { type ErrorFormat, type RouteDeclaration, routeKey } from '../../contracts/route-declaration';
import type { ROUTES } from '../../contracts/routes';
import { dynamoDbClient } from './clients';
import { DynamoDbTokenBuckets } from './dynamodb-token-buckets';
import { NotFoundError, toErrorBody, UnprocessableError } from './errors';
import {
  type HttpEvent,
  type HttpResult,
  json,
  jsonBody,
  MAX_LAMBDA_PAYLOAD_BYTES,
  parseWith,
  payloadBytes,
  principalOf,
} from './http';
import { logger } from './logger';
import { toMlflowErrorBody } from './mlflow-errors';
import { RateLimiter } from './rate-limit';
import { traceRequest } from './tracing';

/** A Lambda entry point over HTTP API payload v2 events. */
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

type Parsed<S, Absent> = S extends z.ZodType ? z.output<S> : Absent;

/**
 * What a route function gets: the request parsed with its route's schemas, and the raw event
 * (for headers and the caller's identity) and context.
 */
export interface RouteInput<R extends RouteDeclaration> {
  /** Path parameters; a greedy `{name+}` holds the rest of the path. */
  readonly params: Parsed<R['params'], Record<string, never>>;
  readonly query: Parsed<R['query'], undefined>;
  /** The parsed body; the JSON value unchecked where the route declares `rawBody`. */
  readonly body: R extends { readonly rawBody: true } ? unknown : Parsed<R['body'], undefined>;
  readonly event: HttpEvent;
  readonly context: Context;
}

/** One function per route id of `routes`, each typed from its route's schemas. */
export type RouteHandlers<T extends readonly RouteDeclaration[] = typeof ROUTES> = {
  readonly [R in T[number] as R['id']]?: (input: RouteInput<R>) => Promise<HttpResult>;
};

/** How each error format renders a thrown value: the platform's shape, or MLflow's on its routes. */
const RENDER_ERROR: Record<
  ErrorFormat,
  (err: unknown) => { status: number; body: unknown; retryAfterSeconds?: number }
> = {
  platform: toErrorBody,
  mlflow: toMlflowErrorBody,
};

/**
 * The per-caller rate limiter the environment configures (the CDK API construct sets both
 * variables on every route function); none when unset, as for handlers under test.
 */
export function rateLimiterFromEnv(): RateLimiter | undefined {
  const table = process.env[ENV.rateLimitTable];
  if (!table) return undefined;
  const config = RateLimitsConfig.parse(JSON.parse(process.env[ENV.rateLimits] ?? '{}'));
  return new RateLimiter(new DynamoDbTokenBuckets(dynamoDbClient(), table), config);
}

/**
 * Builds a handler from one function per route id of `routes` (the capability's own table, e.g.
 * `SERVING_ROUTES`: the whole platform's would load every capability's schemas into each
 * function's cold start); unknown route keys are 404s. `wrap` decorates each mutating (non-GET)
 * route, given its declaration, e.g. with idempotency; it runs before parsing, as a retry must find a stored response
 * whatever the body. Every request is first counted against its caller's rate limit for the
 * route's group (`limiter`, by default the one the environment configures).
 */
export function makeRouter<const T extends readonly RouteDeclaration[]>(
  routes: T,
  handlers: NoInfer<RouteHandlers<T>>,
  wrap: (fn: HttpHandler, route: T[number]) => HttpHandler = (fn) => fn,
  limiter: RateLimiter | undefined = rateLimiterFromEnv(),
): HttpHandler {
  const byKey = new Map<string, { fn: HttpHandler; errorFormat: ErrorFormat; group: RouteGroup }>();
  const table = handlers as Record<string, ((input: unknown) => Promise<HttpResult>) | undefined>;
  for (const route of routes) {
    const fn = table[route.id];
    if (!fn) continue;
    const run: HttpHandler = (event, context) => fn({ ...parseRequest(route, event), event, context });
    byKey.set(routeKey(route), {
      fn: route.method === 'GET' || route.idempotent === false ? run : wrap(run, route),
      errorFormat: route.errorFormat ?? 'platform',
      group: routeGroupOf(route),
    });
  }
  const dispatch: HttpHandler = async (event, context) => {
    const route = byKey.get(event.routeKey);
    try {
      if (!route) throw new NotFoundError('ROUTE_NOT_FOUND', `no route for ${event.routeKey}`);
      await limiter?.admit(principalOf(event), route.group);
      return withinPayloadQuota(await route.fn(event, context));
    } catch (err) {
      const { status, body, retryAfterSeconds } = RENDER_ERROR[route?.errorFormat ?? 'platform'](err);
      if (status >= 500) logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      const result = json(status, body);
      return retryAfterSeconds === undefined
        ? result
        : { ...result, headers: { ...result.headers, 'retry-after': String(retryAfterSeconds) } };
    }
  };
  return (event, context) => {
    const requestId = event.requestContext.requestId;
    // Every line the request logs carries the API request id (`correlation_id`), as its audit
    // records and events carry it (`requestId`) and its trace is annotated with it (`RequestId`).
    // Reset first: a warm container's previous request left its own.
    logger.resetKeys();
    if (requestId) logger.setCorrelationId(requestId);
    return traceRequest(
      event.routeKey,
      requestId ? { RouteKey: event.routeKey, RequestId: requestId } : { RouteKey: event.routeKey },
      () => dispatch(event, context),
    );
  };
}

/**
 * An answer Lambda could not return (over its 6 MB response quota) would reach the caller as API
 * Gateway's bare 502; refused here instead, it says why and what to ask for.
 */
function withinPayloadQuota(result: HttpResult): HttpResult {
  const bytes = payloadBytes(result);
  if (bytes <= MAX_LAMBDA_PAYLOAD_BYTES) return result;
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
  throw new UnprocessableError(
    'RESPONSE_TOO_LARGE',
    `the answer would be ${mb(bytes)}, over the ${mb(MAX_LAMBDA_PAYLOAD_BYTES)} a function can return: ask for less (fewer rows, features or items)`,
  );
}

/**
 * Parses path parameters, then the query string, then the body; the first part that fails is a
 * 400 `INVALID_REQUEST` naming each field (`path.name`, `query.limit`, `body.version`).
 */
function parseRequest(
  route: RouteDeclaration,
  event: HttpEvent,
): { params: unknown; query: unknown; body: unknown } {
  const params = route.params ? parseWith(route.params, event.pathParameters ?? {}, 'path') : {};
  const query = route.query ? parseWith(route.query, event.queryStringParameters ?? {}, 'query') : undefined;
  const body = route.body ? parseBody(route.body, event, route.rawBody === true) : undefined;
  return { params, query, body };
}

function parseBody(schema: z.ZodType, event: HttpEvent, raw: boolean): unknown {
  if (!raw && (event.body === undefined || event.body === '')) {
    // A schema that accepts `undefined` makes the body optional; otherwise jsonBody's 400 below.
    const absent = schema.safeParse(undefined);
    if (absent.success) return absent.data;
  }
  const value = jsonBody(event);
  return raw ? value : parseWith(schema, value, 'body');
}
