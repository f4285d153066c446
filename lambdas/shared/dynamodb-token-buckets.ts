/**
 * GCRA buckets in DynamoDB (`RateLimits` table, one item per principal and route group). Each
 * admission is one conditional UpdateItem, so concurrent Lambda containers never overdraw a
 * bucket: DynamoDB applies conditional writes to one item one after another.
 * @see ./rate-limit.ts for the algorithm
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { RateLimit } from '../../contracts/rate-limits';
import { type Admission, gcra, type TokenBuckets } from './rate-limit';

/** Rounds of the two writes before giving up on a bucket other requests keep moving. */
const MAX_ROUNDS = 8;

export class DynamoDbTokenBuckets implements TokenBuckets {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** The last `tat` this container saw per bucket: a hint of which write to try first. */
  private readonly lastTat = new Map<string, number>();

  async take(key: string, limit: RateLimit, nowMs: number): Promise<Admission> {
    const { intervalMs, toleranceMs } = gcra(limit);
    const Key = { pk: { S: key } };
    // An idle bucket is as good as full once `tat` is past: keep it an hour beyond that.
    const expiresAt = { N: String(Math.ceil((nowMs + toleranceMs + intervalMs) / 1000) + 3600) };
    const n = (v: number) => ({ N: String(v) });
    const within = new UpdateItemCommand({
      TableName: this.tableName,
      Key,
      UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
      ConditionExpression: 'tat BETWEEN :now AND :latest',
      ReturnValues: 'UPDATED_NEW',
      ExpressionAttributeValues: {
        ':interval': n(intervalMs),
        ':now': n(nowMs),
        ':latest': n(nowMs + toleranceMs),
        ':expiresAt': expiresAt,
      },
    });
    const restart = new UpdateItemCommand({
      TableName: this.tableName,
      Key,
      UpdateExpression: 'SET tat = :next, expiresAt = :expiresAt',
      ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
      ReturnValues: 'UPDATED_NEW',
      ExpressionAttributeValues: {
        ':next': n(nowMs + intervalMs),
        ':now': n(nowMs),
        ':expiresAt': expiresAt,
      },
    });
    // Within the burst, `tat` in [now, now + tolerance] moves on by one interval; a new or idle
    // bucket (`tat` in the past) restarts from now. Both are conditional, so the order is only a
    // guess at which holds: the one that held last time for this bucket, in this container.
    const idle = (this.lastTat.get(key) ?? Number.NEGATIVE_INFINITY) < nowMs;
    const writes = idle ? [restart, within] : [within, restart];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      for (const write of writes) {
        const written = await this.conditional(write);
        if (written) {
          this.remember(key, Number(written.Attributes?.tat?.N ?? nowMs));
          return { admitted: true };
        }
      }
      // Neither held: over the limit, or another request moved `tat` between the two writes.
      const got = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
      );
      const tat = Number(got.Item?.tat?.N ?? Number.NaN);
      this.remember(key, tat);
      if (tat > nowMs + toleranceMs) return { admitted: false, retryAfterMs: tat - toleranceMs - nowMs };
    }
    // Still racing: refused, never admitted past the limit; the caller retries one interval on.
    return { admitted: false, retryAfterMs: intervalMs };
  }

  private remember(key: string, tat: number): void {
    // Bounded: a container serves few callers, but a flood of forged principals must not grow it.
    if (this.lastTat.size >= 10_000) this.lastTat.clear();
    this.lastTat.set(key, tat);
  }

  /** Runs a conditional write; undefined when its condition did not hold. */
  private async conditional(command: UpdateItemCommand): Promise<UpdateItemCommandOutput | undefined> {
    try {
      return await this.client.send(command);
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error)?.name === 'ConditionalCheckFailedException'
      ) {
        return undefined;
      }
      throw err;
    }
  }
}
