/**
 * Stream views in the online lookup: served under their aggregation names beside batch views in
 * one request, windows reading only the hour buckets they cover, and an event field is not a
 * served feature.
 */
import { CreateFeatureViewRequest, type FeatureView } from '../../../contracts/features';
import { FeatureNotFoundError } from '../../../lambdas/features/domain/errors';
import { getOnlineFeatures } from '../../../lambdas/features/domain/lookup';
import type { OnlineItem } from '../../../lambdas/features/domain/online';
import { BUCKET_MS, type TileBucket } from '../../../lambdas/features/domain/stream-ingest';
import { bucketKeysOfItem } from '../../../lambdas/features/domain/stream-reads';
import { emptyTile } from '../../../lambdas/features/domain/stream-tiles';

const HOUR = Date.parse('2026-12-01T12:00:00Z');
const stamp = { version: 1, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' };
const view = (spec: object): FeatureView => ({ ...CreateFeatureViewRequest.parse(spec), ...stamp });

const clicks = view({
  name: 'clicks',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'n', dtype: 'int64' }],
  source: {
    type: 'stream',
    aggregations: [
      { function: 'sum', field: 'n', windowSeconds: 300 },
      { function: 'count', windowSeconds: 86_400 },
    ],
  },
});
const profile = view({
  name: 'profile',
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'age', dtype: 'int64' }],
});

function tile(n: number): TileBucket['tiles'][string] {
  const t = emptyTile();
  t.events = 1;
  t.fields.n = { n: 1, sum: n, min: n, max: n, last: { v: n, t: 0, id: 's:1' } };
  return t;
}

describe('stream views in get-online-features', () => {
  it('reads the buckets a window covers: one inside an hour, two across its edge, 25 for 24 hours', () => {
    expect(bucketKeysOfItem('v#k', 300, HOUR + 10 * 60_000)).toEqual([`v#k#h${HOUR}`]);
    expect(bucketKeysOfItem('v#k', 300, HOUR + 2 * 60_000 + 5)).toEqual([
      `v#k#h${HOUR - BUCKET_MS}`,
      `v#k#h${HOUR}`,
    ]);
    expect(bucketKeysOfItem('v#k', 86_400, HOUR + 30 * 60_000)).toHaveLength(25);
  });

  it('serves stream aggregates beside batch features in one request', async () => {
    // Prepare: a tile 2 minutes ago, one 10 minutes ago (outside 5 minutes), for user 1 only.
    const at = HOUR + 30 * 60_000 + 123;
    const buckets = new Map<string, TileBucket>([
      [
        `clicks#user_id=i:1#h${HOUR}`,
        {
          tiles: { [at - 123 - 2 * 60_000]: tile(4), [at - 123 - 10 * 60_000]: tile(50) },
          hwm: {},
          version: 1,
        },
      ],
    ]);
    const items = new Map<string, OnlineItem>([
      ['profile#user_id=i:1', { values: { age: 40 }, eventTimestampMs: HOUR }],
    ]);
    const deps = {
      views: { get: async (name: string) => ({ clicks, profile })[name] },
      online: {
        write: async () => ({ written: 0, skipped: 0 }),
        read: async (keys: readonly string[]) => new Map([...items].filter(([k]) => keys.includes(k))),
        readTiles: async (keys: readonly string[]) => new Map([...buckets].filter(([k]) => keys.includes(k))),
      },
      now: () => new Date(at),
    };

    // Act
    const out = await getOnlineFeatures(deps, {
      features: ['clicks:n_sum_5m', 'profile:age', 'clicks:count_24h'],
      entities: { user_id: [1, 2] },
      full_feature_names: false,
    });

    // Assess
    expect(out.metadata.feature_names).toEqual(['user_id', 'n_sum_5m', 'age', 'count_24h']);
    expect(out.results.slice(1).map((r) => r.values)).toEqual([
      [4, 0],
      [40, null],
      [2, 0],
    ]);
    expect(out.results[1].statuses).toEqual(['PRESENT', 'PRESENT']);
    expect(out.results[1].event_timestamps).toEqual(['2026-12-01T12:30:00.123Z', '2026-12-01T12:30:00.123Z']);
    expect(out.results[2].statuses).toEqual(['PRESENT', 'NOT_FOUND']);
    await expect(
      getOnlineFeatures(deps, {
        features: ['clicks:n'],
        entities: { user_id: [1] },
        full_feature_names: false,
      }),
    ).rejects.toBeInstanceOf(FeatureNotFoundError);
  });
});
