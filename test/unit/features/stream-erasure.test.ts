/**
 * Erasure reaches stream views: events of an erased entity are dropped on arrival (not offline,
 * not in the dead letters, not in the tiles), events the window held when the entity was erased
 * are dropped at the flush, and the erasure pass deletes every hourly bucket of the entity's
 * aggregates that may still be stored.
 */
import type { StreamSource } from '../../../contracts/feature-streams';
import type { FeatureRow, FeatureView } from '../../../contracts/features';
import { entityMatch, tombstoneHash } from '../../../contracts/privacy';
import { eraseFromFeatureStore, type FeatureErasureDeps } from '../../../lambdas/features/domain/erasure';
import { onlineItemKey } from '../../../lambdas/features/domain/online';
import type { OfflineFile } from '../../../lambdas/features/domain/ports';
import {
  BUCKET_MS,
  bucketKey,
  ingestStreamBatch,
  type StreamWindowState,
  storedBucketKeys,
} from '../../../lambdas/features/domain/stream-ingest';
import { streamIngestWorld } from '../../helpers/stream-ingest-world';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const SOURCE: StreamSource = {
  type: 'stream',
  allowedLatenessSeconds: 120,
  aggregations: [{ function: 'sum', field: 'amount', windowSeconds: 300 }],
};
const VIEW: FeatureView = {
  name: 'user_txn',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'amount', dtype: 'float64', required: false, description: '' }],
  ttlSeconds: 0,
  owner: '',
  description: '',
  tags: {},
  source: SOURCE,
  version: 1,
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
};

/** In-memory ports; `erased` is the tombstone set, changed by the tests. */
const world = () => streamIngestWorld(VIEW, T0 + 60_000);

let seq = 100;
const record = (user: number, amount: number) => ({
  sequenceNumber: String(seq++),
  arrivalTimestampMs: T0 + 1_000,
  data: JSON.stringify({
    feature_view: VIEW.name,
    user_id: user,
    event_timestamp: new Date(T0).toISOString(),
    amount,
  }),
});
const bucketOf = (user: number) => bucketKey(VIEW, { user_id: user }, T0);

describe('stream ingestion of an erased entity', () => {
  it('drops its events on arrival: nothing offline, nothing dead-lettered, no tiles', async () => {
    // Prepare
    const w = world();
    w.erased.add(tombstoneHash('user_id', 7));
    // Act
    const result = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [record(7, 1), record(8, 2), record(7, 3)],
      state: undefined,
      flush: true,
    });
    // Assess
    expect(result).toMatchObject({ accepted: 1, rejected: 0, erased: 2, bucketsFlushed: 1 });
    expect(w.offlineRows.map((r) => r.entityKey)).toEqual([{ user_id: 8 }]);
    expect(w.deadLetters).toEqual([]);
    expect([...w.buckets.keys()]).toEqual([bucketOf(8)]);
  });

  it('drops at the flush the events the window held when the entity was erased', async () => {
    // Prepare: the window holds user 7's events, then user 7 is erased
    const w = world();
    const first = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [record(7, 1), record(8, 2), record(7, 3)],
      state: undefined,
      flush: false,
    });
    w.erased.add(tombstoneHash('user_id', 7));
    // Act
    const final = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [],
      state: first.state,
      flush: true,
    });
    // Assess
    expect(final).toMatchObject({ erased: 2, bucketsFlushed: 1 });
    expect([...w.buckets.keys()]).toEqual([bucketOf(8)]);
    const held = (final.state as StreamWindowState).buckets[bucketOf(7)];
    expect(held).toEqual({ known: expect.any(String), tiles: {} });
  });
});

describe('the erasure pass over a stream view', () => {
  it('deletes every hourly bucket of the entity that may still be stored, and its online item', async () => {
    // Prepare: one offline row of user 7 (how the pass finds the entity of a stream view)
    const file: OfflineFile = {
      bucket: 'b',
      key: 'k',
      rowCount: 1,
      minEventTimestampMs: T0,
      maxEventTimestampMs: T0,
      writtenAtMs: T0,
    } as OfflineFile;
    const row: FeatureRow = {
      entityKey: { user_id: 7 },
      eventTimestampMs: T0,
      createdTimestampMs: T0,
      values: { amount: 1 },
    };
    const deleted: string[] = [];
    const deps = {
      views: { list: async () => ({ items: [VIEW] }) },
      offline: {
        append: async () => [],
        listFiles: async () => [file],
        readRows: async () => [row],
        rewrite: async () => {},
        removeSuperseded: async () => {},
      },
      online: {
        delete: async (keys: readonly string[]) => {
          deleted.push(...keys);
          return keys.length;
        },
        countExisting: async (keys: readonly string[]) => keys.length,
      },
      jobs: { listJobIds: async () => [], getJob: async () => undefined, getRequest: async () => undefined },
    } as unknown as FeatureErasureDeps;
    const nowMs = T0 + 30 * 60_000;
    // Act
    await eraseFromFeatureStore(deps, entityMatch({ user_id: ['7'] }), 'erasure-1', nowMs);
    // Assess: the item, the bucket of the event, and the whole range a TTL may not yet have deleted
    expect(deleted).toContain(onlineItemKey(VIEW, { user_id: 7 }));
    expect(deleted).toContain(bucketOf(7));
    const range = storedBucketKeys(VIEW, { user_id: 7 }, nowMs);
    expect(deleted).toEqual(expect.arrayContaining(range));
    const hourOf = (k: string) => Number(k.slice(k.lastIndexOf('#h') + 2));
    // Back past the longest window (24 h), the lateness (1 h), one bucket and DynamoDB's TTL lag (3 days)
    expect(hourOf(range[0])).toBeLessThanOrEqual(nowMs - (24 + 1 + 1 + 72) * 3_600_000);
    expect(hourOf(range[range.length - 1])).toBe(Math.floor((nowMs + 300_000) / BUCKET_MS) * BUCKET_MS);
    const own = onlineItemKey(VIEW, { user_id: 7 });
    expect(deleted.filter((k) => k !== own && !k.startsWith(`${own}#h`))).toEqual([]);
  });
});
