/**
 * Per-caller rate limiting (see `contracts/rate-limits.ts`): the router asks before it parses a
 * request, so a caller over its budget gets 429 `RATE_LIMITED` with `Retry-After` whatever it
 * sent, and each refusal is counted in the `RateLimited` metric by route group.
 *
 * The bucket is GCRA, the token bucket kept as one number: the theoretical arrival time `tat` of
 * the next request. A request at `now` is admitted when `tat <= now + (burst - 1) * interval`,
 * and moves `tat` to `max(tat, now) + interval`. Each admission is one conditional write, so
 * racing requests are serialized by the store: in any window of `t` seconds a caller is admitted
 * at most `burst + t * ratePerSecond` times, however many run at once.
 * @see https://en.wikipedia.org/wiki/Generic_cell_rate_algorithm
 */
import {
  limitFor,
  RATE_LIMIT_METRIC,
  RATE_LIMIT_UNAVAILABLE_METRIC,
  type RateLimit,
  type RateLimitsConfig,
  type RouteGroup,
} from '../../contracts/rate-limits';
import { TooManyRequestsError } from './errors';
import { logger } from './logger';
import { publishMetrics } from './metrics';

/** The outcome of taking one request from a bucket. */
export type Admission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly retryAfterMs: number };

/** Where buckets live; the adapter makes each `take` one atomic step per bucket. */
export interface TokenBuckets {
  /** Takes one request from bucket `key` under `limit` at `nowMs` (epoch ms). */
  take(key: string, limit: RateLimit, nowMs: number): Promise<Admission>;
}

/** GCRA's two numbers for a limit: ms between requests, and how far ahead `tat` may run. */
export function gcra(limit: RateLimit): { intervalMs: number; toleranceMs: number } {
  const intervalMs = 1000 / limit.ratePerSecond;
  return { intervalMs, toleranceMs: (limit.burst - 1) * intervalMs };
}

export interface RateLimiterOptions {
  readonly now?: () => number;
  /** Counts a refusal. @default - an EMF line by Powertools Metrics (and the local CloudWatch in local mode) */
  readonly count?: (group: RouteGroup) => Promise<void>;
  /** Counts a request admitted unchecked (the store failed). @default - an EMF line, as `count` */
  readonly countUnchecked?: (group: RouteGroup) => Promise<void>;
}

export class RateLimiter {
  private readonly now: () => number;
  private readonly count: (group: RouteGroup) => Promise<void>;
  private readonly countUnchecked: (group: RouteGroup) => Promise<void>;

  constructor(
    private readonly buckets: TokenBuckets,
    private readonly config: RateLimitsConfig,
    options: RateLimiterOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.count = options.count ?? ((group) => countRequest(RATE_LIMIT_METRIC, group));
    this.countUnchecked =
      options.countUnchecked ?? ((group) => countRequest(RATE_LIMIT_UNAVAILABLE_METRIC, group));
  }

  /**
   * Admits one request of `principal` to `group`, or throws 429 `RATE_LIMITED`. A store that
   * fails lets the request through (logged and counted in `RateLimitUnavailable`): the stage
   * throttling still bounds the API, and an outage of the bucket table must not become an outage
   * of the platform. A write that timed out may still have taken its token, so a caller can then
   * be served past its budget; the metric says by how many requests.
   * @throws TooManyRequestsError when the caller is over its limit
   */
  async admit(principal: string, group: RouteGroup): Promise<void> {
    const limit = limitFor(this.config, principal, group);
    let admission: Admission;
    try {
      admission = await this.buckets.take(`${principal}#${group}`, limit, this.now());
    } catch (error) {
      logger.warn('rate limit unavailable; request admitted', { group, error: error as Error });
      await this.countUnchecked(group).catch((e) => logger.warn('rate-limit metric failed', { error: e }));
      return;
    }
    if (admission.admitted) return;
    await this.count(group).catch((error) => logger.warn('rate-limit metric failed', { error }));
    const retryAfterSeconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
    throw new TooManyRequestsError(
      'RATE_LIMITED',
      `over the ${group} limit of ${limit.ratePerSecond} requests per second (burst ${limit.burst}); retry after ${retryAfterSeconds} s`,
      retryAfterSeconds,
      { details: { group, ratePerSecond: limit.ratePerSecond, burst: limit.burst } },
    );
  }
}

async function countRequest(
  metric: typeof RATE_LIMIT_METRIC | typeof RATE_LIMIT_UNAVAILABLE_METRIC,
  group: RouteGroup,
): Promise<void> {
  await publishMetrics({
    namespace: metric.namespace,
    dimensions: { [metric.dimension]: group },
    metrics: [{ name: metric.name, unit: 'Count', value: 1 }],
    timestamp: Date.now(),
  });
}
