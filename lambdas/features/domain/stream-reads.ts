/**
 * Stream views at read time: their online features are the aggregation outputs, computed when
 * read by merging the whole one-minute tiles each window covers (see `contracts/feature-streams.ts`),
 * so a window always ends at the read's instant and no precomputed value can be stale.
 */
import { aggregationName, STREAM_TILE_SECONDS } from '../../../contracts/feature-streams';
import type { FeatureDtype, FeatureSpec } from '../../../contracts/features';
import type { OnlineItem, OnlineView } from './online';
import type { OnlineStore } from './ports';
import { streamFreshness } from './stream-freshness';
import { BUCKET_MS, type StreamFeatureView, type TileBucket } from './stream-ingest';
import { type Tile, tileStart, windowValues } from './stream-tiles';

/** The view as the lookup resolves it: its features are what it serves, one per aggregation. */
export function streamOnlineView(view: StreamFeatureView): OnlineView {
  const dtypes = new Map(view.features.map((f) => [f.name, f.dtype]));
  const features: FeatureSpec[] = view.source.aggregations.map((a) => {
    const dtype: FeatureDtype =
      a.function === 'count'
        ? 'int64'
        : a.function === 'mean'
          ? 'float64'
          : (dtypes.get(a.field ?? '') ?? 'float64');
    return { name: aggregationName(a), dtype, required: false, description: '' };
  });
  // A window ends at the read, so the view's TTL never makes an aggregate stale.
  return { name: view.name, entities: view.entities, features, ttlSeconds: 0 };
}

/** The bucket keys an item key's windows need at `atMs`, given the longest window. */
export function bucketKeysOfItem(itemKey: string, windowSeconds: number, atMs: number): string[] {
  const from = tileStart(atMs) + STREAM_TILE_SECONDS * 1000 - windowSeconds * 1000;
  const keys: string[] = [];
  for (let b = Math.floor(from / BUCKET_MS) * BUCKET_MS; b <= atMs; b += BUCKET_MS) {
    keys.push(`${itemKey}#h${b}`);
  }
  return keys;
}

/** The bucket keys each item key (`<view>#<serialized key>`) of a stream view needs at `atMs`. */
export function streamBucketKeys(
  view: StreamFeatureView,
  itemKeys: readonly string[],
  atMs: number,
): Map<string, string[]> {
  const longest = Math.max(...view.source.aggregations.map((a) => a.windowSeconds));
  return new Map(itemKeys.map((k) => [k, bucketKeysOfItem(k, longest, atMs)]));
}

/**
 * Every aggregate of a stream view for each item key at `atMs`, from the buckets read, with `atMs`
 * (the windows' end) as the event time. An entity with no event in a window still has a value (0
 * counts and sums, null otherwise): the absence of events is what the aggregate says, as far as
 * the stream's watermark reaches; `outsideMaxAge` marks every value when it lags (see
 * `stream-freshness.ts`).
 */
export function streamAggregates(
  view: StreamFeatureView,
  keysByItem: ReadonlyMap<string, readonly string[]>,
  buckets: ReadonlyMap<string, TileBucket>,
  atMs: number,
  outsideMaxAge = false,
): Map<string, OnlineItem> {
  const items = new Map<string, OnlineItem>();
  for (const [itemKey, bucketKeys] of keysByItem) {
    const tiles = new Map<number, Tile>();
    for (const key of bucketKeys) {
      for (const [start, tile] of Object.entries(buckets.get(key)?.tiles ?? {}))
        tiles.set(Number(start), tile);
    }
    items.set(itemKey, {
      values: windowValues(view.source, tiles, atMs),
      eventTimestampMs: atMs,
      ...(outsideMaxAge ? { outsideMaxAge } : {}),
    });
  }
  return items;
}

/**
 * {@link streamAggregates} of the view, reading its buckets with `readTiles` and the stream's
 * watermarks with `readStreamWatermarks` (when the store has none, freshness is not judged).
 */
export async function readStreamAggregates(
  store: Pick<OnlineStore, 'readTiles' | 'readStreamWatermarks'>,
  view: StreamFeatureView,
  itemKeys: readonly string[],
  atMs: number,
): Promise<Map<string, OnlineItem>> {
  if (store.readTiles === undefined) {
    throw new Error(`the online store cannot read the tiles of stream view ${view.name}`);
  }
  const keysByItem = streamBucketKeys(view, itemKeys, atMs);
  const [buckets, watermarks] = await Promise.all([
    store.readTiles([...keysByItem.values()].flat()),
    store.readStreamWatermarks?.(),
  ]);
  const stale = watermarks !== undefined && streamFreshness(watermarks, atMs).outsideMaxAge;
  return streamAggregates(view, keysByItem, buckets, atMs, stale);
}
