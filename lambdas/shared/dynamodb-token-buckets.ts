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

  async take(key: string, limit: RateLimit, nowMs: number): Promise<Admission> {
    const { intervalMs, toleranceMs } = gcra(limit);
    const Key = { pk: { S: key } };
    // An idle bucket is as good as full once `tat` is past: keep it an hour beyond that.
    const expiresAt = { N: String(Math.ceil((nowMs + toleranceMs + intervalMs) / 1000) + 3600) };
    const n = (v: number) => ({ N: String(v) });
    for (let round = 0; round < MAX_ROUNDS; round++) {
      // Within the burst: `tat` in [now, now + tolerance] moves on by one interval.
      if (
        await this.conditional(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expiresAt',
            ConditionExpression: 'tat BETWEEN :now AND :latest',
            ExpressionAttributeValues: {
              ':interval': n(intervalMs),
              ':now': n(nowMs),
              ':latest': n(nowMs + toleranceMs),
              ':expiresAt': expiresAt,
            },
          }),
        )
      ) {
        return { admitted: true };
      }
      // A new or idle bucket (`tat` in the past) restarts from now.
      if (
        await this.conditional(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET tat = :next, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(tat) OR tat < :now',
            ExpressionAttributeValues: {
              ':next': n(nowMs + intervalMs),
              ':now': n(nowMs),
              ':expiresAt': expiresAt,
            },
          }),
        )
      ) {
        return { admitted: true };
      }
      // Neither held: over the limit, or another request moved `tat` between the two writes.
      const got = await this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key, ConsistentRead: true }),
      );
      const tat = Number(got.Item?.tat?.N ?? Number.NaN);
      if (tat > nowMs + toleranceMs) return { admitted: false, retryAfterMs: tat - toleranceMs - nowMs };
    }
    // Still racing: refused, never admitted past the limit; the caller retries one interval on.
    return { admitted: false, retryAfterMs: intervalMs };
  }

  /** Runs a conditional write; false when its condition did not hold. */
  private async conditional(command: UpdateItemCommand): Promise<boolean> {
    try {
      await this.client.send(command);
      return true;
    } catch (err) {
      if (
        err instanceof ConditionalCheckFailedException ||
        (err as Error)?.name === 'ConditionalCheckFailedException'
      ) {
        return false;
      }
      throw err;
    }
  }
}
