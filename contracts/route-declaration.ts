/**
 * What a route is (method, path, the function that serves it, its schemas and reply), apart from
 * the table of every route: a handler parses with its own capability's routes and, importing
 * this file and not `routes.ts`, loads no other capability's schemas at its cold start.
 */
import type * as z from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The Lambda functions that serve routes; each is one handler module under `lambdas/`. */
export type RouteFunction =
  | 'registry'
  | 'deployment'
  | 'features'
  | 'monitoring'
  | 'serving'
  | 'pipeline'
  | 'privacy'
  | 'tracking'
  | 'experiments'
  | 'batch'
  | 'llm';

/** The success reply of a route. */
export interface RouteResponse {
  /** The status of a successful call (`201` for a create, `202` for an accepted job). */
  readonly status: number;
  /**
   * The reply body's schema, where the contract declares one: set on the routes of `ROUTES` from
   * the capability's replies (`RouteReplies`), absent on the tables the handlers route with.
   * @default - undocumented JSON
   */
  readonly schema?: z.ZodType;
  /** @default application/json (none for a 204) */
  readonly contentType?: string;
}

/** The error shapes a route can answer in (see `contracts/mlflow-errors.ts` for MLflow's). */
export type ErrorFormat = 'platform' | 'mlflow';

export interface RouteDeclaration {
  readonly id: string;
  readonly method: HttpMethod;
  /**
   * API Gateway path template, `{param}` for a path parameter. A last segment `{name+}` is greedy
   * (API Gateway's proxy parameter): it matches the rest of the path, slashes included, and the
   * function gets that rest as `params.name` and routes it itself (one function serving an API
   * family such as MLflow's `/api/2.0/mlflow/{proxy+}`).
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
   */
  readonly path: string;
  readonly function: RouteFunction;
  readonly summary: string;
  /** One key per `{param}` of `path`; a failure is a 400 naming `path.<param>`. */
  readonly params?: z.ZodObject;
  /** The query string as an object; a failure is a 400 naming `query.<field>`. @default - ignored */
  readonly query?: z.ZodType;
  /**
   * The JSON body; a failure is a 400 naming `body.<field>`. A schema that accepts `undefined`
   * makes the body optional. `false`: the route takes no body (one sent is ignored).
   * @default - no body (for GET and DELETE)
   */
  readonly body?: z.ZodType | false;
  /**
   * The router parses the JSON but leaves validation to the handler, whose checks say more than
   * a schema can (tensor shape x data length); `body` then documents the shape.
   * @default false
   */
  readonly rawBody?: boolean;
  /**
   * The shape errors are rendered in: the platform's `{"error":{"code","message"}}`, or MLflow's
   * `{"error_code","message"}` with MLflow's statuses, for routes MLflow clients call.
   * @default 'platform'
   */
  readonly errorFormat?: ErrorFormat;
  readonly response: RouteResponse;
  /**
   * The reply when the route accepts the request for later instead of acting (a governed move
   * waiting for sign-off answers 202 with the approval request).
   * @default - the route always answers `response`
   */
  readonly accepted?: RouteResponse;
  /**
   * `false` for a write that takes no Idempotency-Key (a prediction has no effect to replay, and
   * its answer is not worth storing): the router does not wrap it and the OpenAPI document does
   * not advertise the header, so the typed client neither sends one nor retries the call.
   * @default - every route but GET takes an Idempotency-Key
   */
  readonly idempotent?: false;
}

/**
 * The reply schemas of a capability's routes, one entry per route id: `response` for the success
 * reply, `accepted` for the reply of a route that may accept for later, none for a reply with no
 * JSON body. Kept apart from the routes (`contracts/<capability>-replies.ts`) because nothing on
 * a request's path parses with them: the API document and the tests holding replies to it read
 * them through `ROUTES`, and a handler's bundle, importing only its routes, builds none of them.
 */
export type RouteReplies<T extends readonly RouteDeclaration[]> = {
  readonly [R in T[number] as R['id']]: {
    readonly response?: z.ZodType;
    readonly accepted?: R extends { readonly accepted: RouteResponse } ? z.ZodType : never;
  };
};

/** `METHOD /path` exactly as API Gateway puts it in `event.routeKey`. */
export const routeKey = (r: Pick<RouteDeclaration, 'method' | 'path'>): string => `${r.method} ${r.path}`;

/** The names of a path template's parameters, in order (`{proxy+}` gives `proxy`). */
export const pathParams = (path: string): string[] => [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1]);
