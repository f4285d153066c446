/**
 * Per-caller rate limits on DynamoDB Local: GCRA buckets under 200 concurrent requests admit
 * exactly the burst, refill at the configured rate, and keep callers and groups apart; through
 * the router, a caller over its limit gets 429 `RATE_LIMITED` with `Retry-After`, counted.
 */
import type { Context } from 'aws-lambda';
import {
  RATE_LIMIT_METRIC,
  RATE_LIMIT_UNAVAILABLE_METRIC,
  type RateLimitsConfig,
} from '../../contracts/rate-limits';
import { REGISTRY_ROUTES } from '../../contracts/registry-routes';
import { RATE_LIMITS_TABLE } from '../../contracts/tables';
import { DynamoDbTokenBuckets } from '../../lambdas/shared/dynamodb-token-buckets';
import { type HttpEvent, ok } from '../../lambdas/shared/http';
import { RateLimiter } from '../../lambdas/shared/rate-limit';
import { makeRouter } from '../../lambdas/shared/router';
import { useStandIns } from '../helpers/stand-ins';

const standIns = useStandIns({ tables: true });
// Held clocks start at the real time: a bucket's TTL is computed from the clock it is given, and
// DynamoDB Local, like DynamoDB, deletes items whose TTL has passed.
const T0 = Date.now();
const buckets = () => new DynamoDbTokenBuckets(standIns.dynamoDb, RATE_LIMITS_TABLE.id);
const concurrently = <T>(n: number, fn: (i: number) => Promise<T>) =>
  Promise.all(Array.from({ length: n }, (_, i) => fn(i)));

describe('GCRA buckets in DynamoDB', () => {
  it('admits exactly the burst of 200 concurrent requests, then what the rate refills', async () => {
    // Prepare: 5 requests per second, burst 20; the clock is held so only the burst is free
    const limit = { ratePerSecond: 5, burst: 20 };
    const store = buckets();
    // Act
    const first = await concurrently(200, () => store.take('caller-a#writes', limit, T0));
    const oneSecondOn = await concurrently(200, () => store.take('caller-a#writes', limit, T0 + 1000));
    // Assess
    expect(first.filter((a) => a.admitted)).toHaveLength(20);
    expect(oneSecondOn.filter((a) => a.admitted)).toHaveLength(5);
    const refused = first.find((a) => !a.admitted);
    // The 21st request fits one interval (200 ms) after the 20th.
    expect(refused).toEqual({ admitted: false, retryAfterMs: expect.any(Number) });
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(200);
  });

  it('never admits more than burst + rate x elapsed over a stream of concurrent waves', async () => {
    // Prepare
    const limit = { ratePerSecond: 10, burst: 5 };
    const store = buckets();
    let admitted = 0;
    // Act: 10 waves of 20 concurrent requests, 250 ms of clock apart (2.25 s in all)
    for (let wave = 0; wave < 10; wave++) {
      const got = await concurrently(20, () => store.take('caller-b#reads', limit, T0 + wave * 250));
      admitted += got.filter((a) => a.admitted).length;
    }
    // Assess: 5 + 10/s x 2.25 s
    expect(admitted).toBeLessThanOrEqual(5 + Math.floor(10 * 2.25));
    expect(admitted).toBeGreaterThanOrEqual(5 + Math.floor(10 * 2.25) - 1);
  });

  it('keeps callers and groups in their own buckets, and a bucket idle long enough is full again', async () => {
    const limit = { ratePerSecond: 1, burst: 2 };
    const store = buckets();
    const take = (key: string, t: number) => store.take(key, limit, t);
    expect((await concurrently(5, () => take('c#writes', T0))).filter((a) => a.admitted)).toHaveLength(2);
    expect((await concurrently(5, () => take('c#reads', T0))).filter((a) => a.admitted)).toHaveLength(2);
    expect((await concurrently(5, () => take('d#writes', T0))).filter((a) => a.admitted)).toHaveLength(2);
    expect(
      (await concurrently(5, () => take('c#writes', T0 + 60_000))).filter((a) => a.admitted),
    ).toHaveLength(2);
  });
});

describe('rate limits through the router', () => {
  const CONFIG: RateLimitsConfig = {
    default: {
      predictions: { ratePerSecond: 100, burst: 100 },
      writes: { ratePerSecond: 1, burst: 10 },
      reads: { ratePerSecond: 100, burst: 100 },
    },
    principals: { 'arn:aws:iam::000000000000:role/ci': { writes: { ratePerSecond: 1, burst: 50 } } },
  };
  const event = (principal: string): HttpEvent =>
    ({
      routeKey: 'POST /models/{name}/versions/{version}/verify',
      rawPath: '/models/m/versions/1/verify',
      pathParameters: { name: 'm', version: '1' },
      headers: {},
      isBase64Encoded: false,
      requestContext: { requestId: 'r', authorizer: { iam: { userArn: principal } } },
    }) as unknown as HttpEvent;

  it('answers 200 concurrent requests over the limit with 429 and Retry-After, counting each', async () => {
    // Prepare: a clock held still, so exactly the burst is admitted
    const counted: string[] = [];
    const limiter = new RateLimiter(buckets(), CONFIG, {
      now: () => T0 + 3_600_000,
      count: async (group) => {
        counted.push(group);
      },
    });
    let served = 0;
    const router = makeRouter(
      REGISTRY_ROUTES,
      {
        VerifyArtifact: async () => {
          served++;
          return ok({ status: 'READY' });
        },
      },
      undefined,
      limiter,
    );
    // Act
    const user = await concurrently(200, () =>
      router(event('arn:aws:iam::000000000000:user/u'), {} as Context),
    );
    const ci = await concurrently(60, () =>
      router(event('arn:aws:iam::000000000000:role/ci'), {} as Context),
    );
    // Assess
    expect(user.filter((r) => r.statusCode === 200)).toHaveLength(10);
    expect(ci.filter((r) => r.statusCode === 200)).toHaveLength(50);
    expect(served).toBe(60);
    const refused = user.find((r) => r.statusCode === 429)!;
    expect(refused.headers).toMatchObject({ 'retry-after': '1' });
    expect(JSON.parse(refused.body ?? '')).toEqual({
      error: {
        code: 'RATE_LIMITED',
        message: 'over the writes limit of 1 requests per second (burst 10); retry after 1 s',
        details: { group: 'writes', ratePerSecond: 1, burst: 10 },
      },
    });
    expect(counted).toHaveLength(190 + 10);
    expect(new Set(counted)).toEqual(new Set(['writes']));
  });

  it('counts a refusal as an EMF metric by group', async () => {
    // Prepare
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      lines.push(String(line));
      return true;
    });
    const limiter = new RateLimiter(
      { take: async () => ({ admitted: false, retryAfterMs: 2500 }) },
      { default: CONFIG.default, principals: {} },
    );
    // Act
    const refusal = await limiter.admit('p', 'predictions').catch((e) => e);
    write.mockRestore();
    // Assess
    expect(refusal.retryAfterSeconds).toBe(3);
    const doc = JSON.parse(lines.find((l) => l.includes(RATE_LIMIT_METRIC.name)) ?? '{}');
    expect(doc).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'cdk-mlops/Api',
            Dimensions: [['Group']],
            Metrics: [{ Name: 'RateLimited', Unit: 'Count' }],
          },
        ],
      },
      Group: 'predictions',
      RateLimited: 1,
    });
  });

  it('admits a request when the bucket table fails, counting it as an EMF metric by group', async () => {
    // Prepare
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
      lines.push(String(line));
      return true;
    });
    const limiter = new RateLimiter(
      {
        take: async () => {
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        },
      },
      { default: CONFIG.default, principals: {} },
    );
    // Act
    const admitted = await limiter.admit('p', 'reads').then(() => true);
    write.mockRestore();
    // Assess
    expect(admitted).toBe(true);
    const doc = JSON.parse(lines.find((l) => l.includes(RATE_LIMIT_UNAVAILABLE_METRIC.name)) ?? '{}');
    expect(doc).toMatchObject({
      _aws: {
        CloudWatchMetrics: [{ Namespace: 'cdk-mlops/Api', Metrics: [{ Name: 'RateLimitUnavailable' }] }],
      },
      Group: 'reads',
      RateLimitUnavailable: 1,
    });
  });
});
