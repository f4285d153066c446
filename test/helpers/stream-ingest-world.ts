/**
 * In-memory ports for stream ingestion (`ingestStreamBatch`), one view known: offline rows, dead
 * letters, stored buckets merged as the tile store merges them, the watermarks stored, and a
 * tombstone set the tests change.
 */
import type { FeatureRow, FeatureView } from '../../contracts/features';
import type { ShardWatermark } from '../../lambdas/features/domain/stream-freshness';
import {
  applyContribution,
  type RejectedEvent,
  type StreamIngestDeps,
  type TileBucket,
} from '../../lambdas/features/domain/stream-ingest';

export function streamIngestWorld(view: FeatureView, nowMs: number) {
  const erased = new Set<string>();
  const offlineRows: FeatureRow[] = [];
  const deadLetters: RejectedEvent[] = [];
  const buckets = new Map<string, TileBucket>();
  const watermarks: Array<[string, ShardWatermark]> = [];
  const deps: StreamIngestDeps = {
    views: { get: async (name) => (name === view.name ? view : undefined) },
    offline: {
      append: async (_view, rows) => {
        offlineRows.push(...rows);
        return [];
      },
    },
    tiles: {
      highWaterMarks: async () => new Map(),
      merge: async (key, c) => {
        const next = applyContribution(key, buckets.get(key), c);
        if (next === 'duplicate') return 'duplicate';
        buckets.set(key, next);
        return 'applied';
      },
      read: async (keys) => new Map(keys.flatMap((k) => (buckets.has(k) ? [[k, buckets.get(k)!]] : []))),
      advanceWatermark: async (shardId, mark) => {
        watermarks.push([shardId, mark]);
        return true;
      },
    },
    deadLetters: { put: async (_key, events) => void deadLetters.push(...events) },
    tombstones: { erased: async (hashes) => new Set(hashes.filter((h) => erased.has(h))) },
    now: () => new Date(nowMs),
  };
  return { deps, erased, offlineRows, deadLetters, buckets, watermarks };
}
