/**
 * Stream tiles on DynamoDB, in the online store's table: one item per view, entity key and hour
 * (`<view>#<key>#h<hour start ms>`; a push view's items never end in `#h...`, as string keys are
 * percent-encoded) holding the hour's one-minute tiles, the newest sequence number merged per shard
 * and a version. A merge reads the item, applies the contribution in the domain and writes it back
 * conditioned on the version it read, so two writers never lose each other's tiles. The consumer's
 * watermarks sit in one item (`STREAM_WATERMARK_KEY`), a `shards` map by shard id, each entry set
 * only over an older one.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { STREAM_WATERMARK_KEY } from '../../../contracts/feature-streams';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import type { ShardWatermark } from '../domain/stream-freshness';
import {
  applyContribution,
  bucketExpiresAtSeconds,
  type StreamTileStore,
  type TileBucket,
  type TileContribution,
} from '../domain/stream-ingest';

const BATCH_GET_MAX_KEYS = 100;

export interface DynamoDbTileStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /**
   * Read-merge-write attempts when another writer moved the item meanwhile.
   * @default 8
   */
  readonly maxAttempts?: number;
}

export class DynamoDbTileStore implements StreamTileStore {
  constructor(private readonly props: DynamoDbTileStoreProps) {}

  async highWaterMarks(keys: readonly string[], shardId: string): Promise<Map<string, string>> {
    const items = await this.batchGet(keys, 'pk, hwm.#s', { '#s': shardId });
    const out = new Map<string, string>();
    for (const item of items) {
      const mark = (item.hwm as Record<string, string> | undefined)?.[shardId];
      if (mark !== undefined) out.set(item.pk as string, mark);
    }
    return out;
  }

  async merge(key: string, contribution: TileContribution): Promise<'applied' | 'duplicate'> {
    const maxAttempts = this.props.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      const { Item } = await this.props.client.send(
        new GetCommand({ TableName: this.props.table, Key: { pk: key }, ConsistentRead: true }),
      );
      const existing = Item ? toBucket(Item) : undefined;
      const next = applyContribution(key, existing, contribution);
      if (next === 'duplicate') return 'duplicate';
      try {
        await this.props.client.send(
          new PutCommand({
            TableName: this.props.table,
            Item: { pk: key, ...next, expiresAt: bucketExpiresAtSeconds(key) },
            ConditionExpression: existing ? '#v = :v' : 'attribute_not_exists(pk)',
            ...(existing
              ? {
                  ExpressionAttributeNames: { '#v': 'version' },
                  ExpressionAttributeValues: { ':v': existing.version },
                }
              : {}),
          }),
        );
        return 'applied';
      } catch (err) {
        if (!isConditionFailure(err) || attempt >= maxAttempts) throw err;
      }
    }
  }

  async advanceWatermark(shardId: string, mark: ShardWatermark): Promise<boolean> {
    const update = new UpdateCommand({
      TableName: this.props.table,
      Key: { pk: STREAM_WATERMARK_KEY },
      UpdateExpression: 'SET #shards.#s = :m',
      // isNewerWatermark: a flush retried or delivered late never moves the watermark back.
      ConditionExpression: 'attribute_not_exists(#shards.#s) OR #shards.#s.#end < :end',
      ExpressionAttributeNames: { '#shards': 'shards', '#s': shardId, '#end': 'endMs' },
      ExpressionAttributeValues: { ':m': { ...mark }, ':end': mark.endMs },
    });
    for (let attempt = 1; ; attempt++) {
      try {
        await this.props.client.send(update);
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        // A map entry cannot be set before the map exists: the first flush of all creates it.
        if ((err as Error).name !== 'ValidationException' || attempt > 1) throw err;
      }
      try {
        await this.props.client.send(
          new PutCommand({
            TableName: this.props.table,
            Item: { pk: STREAM_WATERMARK_KEY, shards: { [shardId]: { ...mark } } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (err) {
        // Another shard's first flush created it meanwhile: set the entry in it.
        if (!isConditionFailure(err)) throw err;
      }
    }
  }

  async read(keys: readonly string[]): Promise<Map<string, TileBucket>> {
    const items = await this.batchGet(keys, 'pk, tiles, hwm, version', {});
    return new Map(items.map((item) => [item.pk as string, toBucket(item)]));
  }

  private async batchGet(
    keys: readonly string[],
    projection: string,
    names: Record<string, string>,
  ): Promise<Array<Record<string, unknown>>> {
    const distinct = [...new Set(keys)];
    const chunks: string[][] = [];
    for (let i = 0; i < distinct.length; i += BATCH_GET_MAX_KEYS)
      chunks.push(distinct.slice(i, i + BATCH_GET_MAX_KEYS));
    const results = await Promise.all(
      chunks.map(async (chunk) => {
        const found: Array<Record<string, unknown>> = [];
        let pending: Array<Record<string, unknown>> = chunk.map((pk) => ({ pk }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          if (attempt > 8)
            throw new Error(`DynamoDB left ${pending.length} keys unprocessed after 8 attempts`);
          if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
          const out = await this.props.client.send(
            new BatchGetCommand({
              RequestItems: {
                [this.props.table]: {
                  Keys: pending,
                  ProjectionExpression: projection,
                  ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
                  ConsistentRead: true,
                },
              },
            }),
          );
          found.push(...(out.Responses?.[this.props.table] ?? []));
          pending = (out.UnprocessedKeys?.[this.props.table]?.Keys ?? []) as Array<Record<string, unknown>>;
        }
        return found;
      }),
    );
    return results.flat();
  }
}

function toBucket(item: Record<string, unknown>): TileBucket {
  return {
    tiles: (item.tiles ?? {}) as TileBucket['tiles'],
    hwm: (item.hwm ?? {}) as TileBucket['hwm'],
    version: Number(item.version ?? 0),
  };
}
