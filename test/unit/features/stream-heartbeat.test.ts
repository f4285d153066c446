/**
 * Heartbeat records on the feature stream: the consumer keeps nothing of them (no offline row, no
 * dead letter, no tile) yet its window's final invocation stores the shard's watermark, so a quiet
 * stream reads fresh; a record carrying anything beside the heartbeat field is judged as an event.
 */
import { STREAM_HEARTBEAT_FIELD, type StreamSource } from '../../../contracts/feature-streams';
import type { FeatureView } from '../../../contracts/features';
import { ingestStreamBatch } from '../../../lambdas/features/domain/stream-ingest';
import { streamIngestWorld } from '../../helpers/stream-ingest-world';

const T0 = Date.UTC(2026, 11, 1, 10, 0, 0);
const VIEW: FeatureView = {
  name: 'user_txn',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'amount', dtype: 'float64', required: false, description: '' }],
  ttlSeconds: 0,
  owner: '',
  description: '',
  tags: {},
  source: {
    type: 'stream',
    allowedLatenessSeconds: 60,
    aggregations: [{ function: 'count', windowSeconds: 300 }],
  } satisfies StreamSource,
  version: 1,
  createdAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
};

const world = () => streamIngestWorld(VIEW, T0 + 61_000);

const heartbeat = (sequenceNumber: string, extra: Record<string, unknown> = {}) => ({
  sequenceNumber,
  arrivalTimestampMs: T0 + 30_000,
  data: JSON.stringify({ [STREAM_HEARTBEAT_FIELD]: new Date(T0 + 30_000).toISOString(), ...extra }),
});

describe('heartbeat records', () => {
  it("are kept nowhere, and the window's final invocation still stores the watermark", async () => {
    // Prepare
    const w = world();

    // Act
    const result = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [heartbeat('100'), heartbeat('101')],
      state: undefined,
      flush: true,
      window: { startMs: T0, endMs: T0 + 60_000 },
    });

    // Assess
    expect(result).toMatchObject({ accepted: 0, rejected: 0, heartbeats: 2, bucketsFlushed: 0 });
    expect(w.offlineRows).toEqual([]);
    expect(w.deadLetters).toEqual([]);
    expect([...w.buckets.keys()]).toEqual([]);
    expect(w.watermarks).toEqual([
      ['shardId-000000000000', { endMs: T0 + 60_000, windowMs: 60_000, flushedAtMs: T0 + 61_000 }],
    ]);
  });

  it('beside events: the events are ingested as without them', async () => {
    // Prepare
    const w = world();
    const event = {
      sequenceNumber: '201',
      arrivalTimestampMs: T0 + 20_000,
      data: JSON.stringify({
        feature_view: 'user_txn',
        user_id: 7,
        event_timestamp: new Date(T0 + 10_000).toISOString(),
        amount: 2,
      }),
    };

    // Act
    const result = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [heartbeat('200'), event, heartbeat('202')],
      state: undefined,
      flush: true,
      window: { startMs: T0, endMs: T0 + 60_000 },
    });

    // Assess
    expect(result).toMatchObject({ accepted: 1, rejected: 0, heartbeats: 2, bucketsFlushed: 1 });
    expect(w.offlineRows.map((r) => r.entityKey)).toEqual([{ user_id: 7 }]);
  });

  it('with any other field: judged as an event, and refused as one', async () => {
    // Prepare
    const w = world();

    // Act
    const result = await ingestStreamBatch(w.deps, {
      shardId: 'shardId-000000000000',
      records: [heartbeat('300', { user_id: 1 })],
      state: undefined,
      flush: false,
    });

    // Assess
    expect(result).toMatchObject({ accepted: 0, rejected: 1, heartbeats: 0 });
    expect(w.deadLetters.map((d) => d.reason)).toEqual(['feature_view is missing']);
  });
});
