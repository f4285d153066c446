/**
 * The online store on DynamoDB, as Feast's DynamoDB online store: one item per view and entity
 * key (`pk` = `<view>#<serialized key>`) holding the latest values in a `features` map with their
 * event and created times. Writes are conditional puts (newer wins, see `newerWinsCondition`),
 * so out-of-order delivery never replaces a newer value; reads are BatchGetItem in chunks of 100
 * keys issued concurrently, UnprocessedKeys retried with jittered backoff, projecting only the
 * requested features.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 * @see https://github.com/feast-dev/feast/blob/master/sdk/python/feast/infra/online_stores/dynamodb.py
 */
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { STREAM_WATERMARK_KEY } from '../../../contracts/feature-streams';
import type { FeatureRow } from '../../../contracts/features';
import { isConditionFailure } from '../../shared/dynamodb-errors';
import { latestPerItem, newerWinsCondition, type OnlineItem, type OnlineView } from '../domain/online';
import type { OnlineStore, OnlineWriteResult } from '../domain/ports';
import type { ShardWatermark, StreamWatermarks } from '../domain/stream-freshness';
import type { TileBucket } from '../domain/stream-ingest';

/** BatchGetItem takes at most 100 keys per call. */
export const BATCH_GET_MAX_KEYS = 100;
/** Conditional puts in flight per write call: enough to hide latency, few enough not to throttle. */
const WRITE_CONCURRENCY = 16;

export interface DynamoDbOnlineStoreProps {
  readonly client: DynamoDBDocumentClient;
  readonly table: string;
  /**
   * Attempts at a chunk whose keys come back unprocessed (throttling) before giving up.
   * @default 8
   */
  readonly maxAttempts?: number;
  /**
   * Base of the exponential backoff between attempts, in ms (full jitter).
   * @default 25
   */
  readonly backoffBaseMs?: number;
}

export class DynamoDbOnlineStore implements OnlineStore {
  constructor(private readonly props: DynamoDbOnlineStoreProps) {}

  async write(view: OnlineView, rows: readonly FeatureRow[]): Promise<OnlineWriteResult> {
    const latest = [...latestPerItem(view, rows)];
    let written = 0;
    let skipped = 0;
    for (let i = 0; i < latest.length; i += WRITE_CONCURRENCY) {
      const outcomes = await Promise.all(
        latest.slice(i, i + WRITE_CONCURRENCY).map(([pk, row]) => this.put(pk, row)),
      );
      for (const ok of outcomes) ok ? written++ : skipped++;
    }
    return { written, skipped };
  }

  /** One conditional put; false when a newer value is already stored. */
  private async put(pk: string, row: FeatureRow): Promise<boolean> {
    const condition = newerWinsCondition(row);
    try {
      await this.props.client.send(
        new PutCommand({
          TableName: this.props.table,
          Item: {
            pk,
            eventTs: row.eventTimestampMs,
            createdTs: row.createdTimestampMs ?? 0,
            features: row.values,
          },
          ConditionExpression: condition.conditionExpression,
          ExpressionAttributeNames: condition.expressionAttributeNames,
          ExpressionAttributeValues: condition.expressionAttributeValues,
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  /** Deletes items by key (an erasure); returns how many existed. */
  async delete(keys: readonly string[]): Promise<number> {
    let deleted = 0;
    for (const pk of new Set(keys)) {
      const out = await this.props.client.send(
        new DeleteCommand({ TableName: this.props.table, Key: { pk }, ReturnValues: 'ALL_OLD' }),
      );
      if (out.Attributes) deleted++;
    }
    return deleted;
  }

  /** How many of the keys are stored (items or tile buckets alike), by BatchGetItem of `pk` only. */
  async countExisting(keys: readonly string[]): Promise<number> {
    const distinct = [...new Set(keys)];
    let found = 0;
    for (let i = 0; i < distinct.length; i += BATCH_GET_MAX_KEYS) {
      found += (await this.batchGet(distinct.slice(i, i + BATCH_GET_MAX_KEYS), '#pk', { '#pk': 'pk' }))
        .length;
    }
    return found;
  }

  async read(keys: readonly string[], features: readonly string[]): Promise<Map<string, OnlineItem>> {
    return (await this.readAll(keys, features, [])).items;
  }

  /** Stream tile buckets live in this table too (see `DynamoDbTileStore`); only their tiles are read. */
  async readTiles(keys: readonly string[]): Promise<Map<string, TileBucket>> {
    return (await this.readAll([], [], keys)).buckets;
  }

  /** The stream consumer's watermarks (see `DynamoDbTileStore.advanceWatermark`); empty when none. */
  async readStreamWatermarks(): Promise<StreamWatermarks> {
    return (await this.readAll([], [], [], { streamWatermarks: true })).watermarks ?? {};
  }

  /**
   * Items (projecting `features`), tile buckets (their tiles) and, when asked, the stream's
   * watermark item, in one BatchGetItem per 100 keys, the chunks sent at once. One projection
   * serves all: an item has no tiles, a bucket no features, the watermark item neither, so each
   * comes back with its own attributes only.
   */
  async readAll(
    itemKeys: readonly string[],
    features: readonly string[],
    tileKeys: readonly string[],
    options: { readonly streamWatermarks?: boolean } = {},
  ): Promise<{
    items: Map<string, OnlineItem>;
    buckets: Map<string, TileBucket>;
    watermarks?: StreamWatermarks;
  }> {
    const tiles = new Set(tileKeys);
    const distinct = [...new Set([...itemKeys, ...tiles])];
    if (options.streamWatermarks) distinct.push(STREAM_WATERMARK_KEY);
    const chunks: string[][] = [];
    for (let i = 0; i < distinct.length; i += BATCH_GET_MAX_KEYS)
      chunks.push(distinct.slice(i, i + BATCH_GET_MAX_KEYS));
    // Feature names are identifiers, but `#f0..` placeholders also dodge DynamoDB's reserved words.
    const names: Record<string, string> = { '#pk': 'pk' };
    const paths = ['#pk'];
    if (itemKeys.length > 0) {
      Object.assign(names, { '#ets': 'eventTs', '#cts': 'createdTs', '#features': 'features' });
      paths.push('#ets', '#cts');
      features.forEach((f, i) => {
        names[`#f${i}`] = f;
        paths.push(`#features.#f${i}`);
      });
    }
    if (tiles.size > 0) {
      Object.assign(names, { '#tiles': 'tiles', '#v': 'version' });
      paths.push('#tiles', '#v');
    }
    if (options.streamWatermarks) {
      names['#shards'] = 'shards';
      paths.push('#shards');
    }
    const projection = paths.join(', ');
    const results = await Promise.all(chunks.map((chunk) => this.batchGet(chunk, projection, names)));
    const items = new Map<string, OnlineItem>();
    const buckets = new Map<string, TileBucket>();
    let watermarks: StreamWatermarks | undefined = options.streamWatermarks ? {} : undefined;
    for (const item of results.flat()) {
      const pk = item.pk as string;
      if (pk === STREAM_WATERMARK_KEY) {
        watermarks = toWatermarks(item.shards);
      } else if (tiles.has(pk)) {
        buckets.set(pk, {
          tiles: (item.tiles ?? {}) as TileBucket['tiles'],
          hwm: {},
          version: Number(item.version ?? 0),
        });
      } else {
        items.set(pk, {
          values: (item.features ?? {}) as OnlineItem['values'],
          eventTimestampMs: Number(item.eventTs),
          createdTimestampMs: Number(item.createdTs),
        });
      }
    }
    return { items, buckets, ...(watermarks ? { watermarks } : {}) };
  }

  private async batchGet(
    keys: string[],
    projection: string,
    names: Record<string, string>,
  ): Promise<Array<Record<string, unknown>>> {
    const maxAttempts = this.props.maxAttempts ?? 8;
    const base = this.props.backoffBaseMs ?? 25;
    const found: Array<Record<string, unknown>> = [];
    let pending: Array<Record<string, unknown>> = keys.map((pk) => ({ pk }));
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > maxAttempts) {
        throw new Error(`DynamoDB left ${pending.length} keys unprocessed after ${maxAttempts} attempts`);
      }
      if (attempt > 1) await sleep(Math.random() * base * 2 ** (attempt - 1));
      const out = await this.props.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.props.table]: {
              Keys: pending,
              ProjectionExpression: projection,
              ExpressionAttributeNames: names,
            },
          },
        }),
      );
      found.push(...(out.Responses?.[this.props.table] ?? []));
      pending = (out.UnprocessedKeys?.[this.props.table]?.Keys ?? []) as Array<Record<string, unknown>>;
    }
    return found;
  }

  /** Deletes every item of a view: a scan filtered on the key prefix (deletes are rare). */
  async deleteView(view: string): Promise<void> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.props.client.send(
        new ScanCommand({
          TableName: this.props.table,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': `${view}#` },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: start,
        }),
      );
      const keys = (out.Items ?? []).map((i) => ({ pk: i.pk }));
      for (let i = 0; i < keys.length; i += 25) {
        let requests = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
        for (let attempt = 0; requests.length > 0 && attempt < 8; attempt++) {
          if (attempt > 0) await sleep(Math.random() * 50 * 2 ** attempt);
          const res = await this.props.client.send(
            new BatchWriteCommand({ RequestItems: { [this.props.table]: requests } }),
          );
          requests = (res.UnprocessedItems?.[this.props.table] ?? []) as typeof requests;
        }
      }
      start = out.LastEvaluatedKey;
    } while (start);
  }
}

function toWatermarks(shards: unknown): StreamWatermarks {
  const out: Record<string, ShardWatermark> = {};
  for (const [shardId, mark] of Object.entries((shards ?? {}) as Record<string, Record<string, unknown>>)) {
    out[shardId] = {
      endMs: Number(mark.endMs),
      windowMs: Number(mark.windowMs ?? 0),
      flushedAtMs: Number(mark.flushedAtMs ?? 0),
    };
  }
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
