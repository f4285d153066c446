/**
 * Per-caller rate limits: a token bucket per IAM principal and route group, enforced by the
 * router before a request is parsed, so a caller over its limit is answered 429 `RATE_LIMITED`
 * with `Retry-After` whatever it sent. API Gateway's stage throttling stays the outer bound
 * across all callers; these keep one caller from spending it all.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import type { RouteDeclaration } from './route-declaration';

/** Route groups a caller's budget is split into. */
export const ROUTE_GROUPS = ['predictions', 'writes', 'reads'] as const;
export type RouteGroup = (typeof ROUTE_GROUPS)[number];

/** Predictions are their own group (the GPU is the scarce part); other reads and writes apart. */
export function routeGroupOf(route: Pick<RouteDeclaration, 'function' | 'method'>): RouteGroup {
  if (route.function === 'serving') return 'predictions';
  return route.method === 'GET' ? 'reads' : 'writes';
}

/** One bucket: refilled at `ratePerSecond`, holding at most `burst` requests. */
export const RateLimit = lazySchema(() =>
  z.strictObject({
    ratePerSecond: z.number().positive().max(10_000),
    burst: z.number().int().min(1).max(10_000),
  }),
);
export type RateLimit = z.infer<typeof RateLimit>;

const GroupLimits = lazySchema(() =>
  z.strictObject({ predictions: RateLimit, writes: RateLimit, reads: RateLimit }),
);
export type GroupLimits = z.infer<typeof GroupLimits>;

/**
 * The default when the config names none: one caller may use half of the default stage limits
 * (100 requests per second, burst 200) for reads or predictions, a quarter for writes.
 */
export const DEFAULT_RATE_LIMITS: GroupLimits = {
  predictions: { ratePerSecond: 50, burst: 100 },
  writes: { ratePerSecond: 25, burst: 50 },
  reads: { ratePerSecond: 50, burst: 100 },
};

/** An IAM principal ARN as API Gateway reports the caller (`requestContext.authorizer.iam.userArn`). */
const PrincipalArn = lazySchema(() =>
  z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S{1,512}$/, 'must be an IAM or STS ARN'),
);

/**
 * `mlops:rateLimits`: the default buckets of every caller, and per-principal overrides of some
 * groups (a CI role that registers many versions, a service that predicts at high volume).
 */
export const RateLimitsConfig = lazySchema(() =>
  z.strictObject({
    default: GroupLimits.default(DEFAULT_RATE_LIMITS),
    principals: z
      .record(PrincipalArn, GroupLimits.partial())
      .refine(
        (p) => Object.keys(p).length <= 50,
        'at most 50 principals (the limits travel in the environment)',
      )
      .default({}),
  }),
);
export type RateLimitsConfig = z.infer<typeof RateLimitsConfig>;

/** The bucket of a principal's group: its override, else the default. */
export const limitFor = (config: RateLimitsConfig, principal: string, group: RouteGroup): RateLimit =>
  config.principals[principal]?.[group] ?? config.default[group];

/** Namespace and name of the metric counting refused requests, by `Group`. */
export const RATE_LIMIT_METRIC = {
  namespace: 'cdk-mlops/Api',
  name: 'RateLimited',
  dimension: 'Group',
} as const;

/**
 * Namespace and name of the metric counting requests admitted unchecked because the bucket table
 * could not be reached (the limiter fails open): any datapoint means the limits were not enforced.
 */
export const RATE_LIMIT_UNAVAILABLE_METRIC = {
  namespace: RATE_LIMIT_METRIC.namespace,
  name: 'RateLimitUnavailable',
  dimension: RATE_LIMIT_METRIC.dimension,
} as const;
