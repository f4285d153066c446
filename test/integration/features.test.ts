/**
 * The feature store against DynamoDB Local and s3rver: views, push and lookup round trips,
 * all-or-nothing batches, out-of-order delivery, BatchGetItem with unprocessed keys,
 * materialization re-runs and training-set jobs through the handler.
 */
import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbOnlineStore } from '../../lambdas/features/adapters/dynamodb-online-store';
import { materializeRange } from '../../lambdas/features/domain/ingest';
import { onlineItemKey } from '../../lambdas/features/domain/online';
import { toFeatureRows } from '../../lambdas/features/domain/validation';
import { materializeView } from '../../lambdas/features/materialize';
import { documentClient } from '../../lambdas/shared/clients';
import { type EmfDocument, type MetricsDocument, toEmf } from '../../lambdas/shared/metrics';
import { type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { expectReplyMatchesRoute } from '../helpers/route-replies';

let h: FeaturesHarness;
beforeAll(async () => {
  h = await startFeaturesHarness();
}, 60_000);
afterAll(() => h?.stop());

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
const viewBody = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  entities: [{ name: 'driver_id', valueType: 'int64' }],
  features: [
    { name: 'conv_rate', dtype: 'float64', min: 0, max: 1, required: true },
    { name: 'tier', dtype: 'string', allowedValues: ['gold', 'silver'] },
  ],
  ttlSeconds: 86_400,
  ...extra,
});

describe('feature views', () => {
  it('creates, evolves compatibly, refuses incompatible changes, and deletes', async () => {
    // Act
    const createdView = await h.call('POST', '/feature-views', viewBody('fv_life'));
    const duplicate = await h.call('POST', '/feature-views', viewBody('fv_life'));
    const { name: _n, ...spec } = viewBody('fv_life');
    const widened = await h.call('PUT', '/feature-views/fv_life', {
      ...spec,
      features: [...spec.features, { name: 'trips', dtype: 'int64' }],
    });
    const narrowed = await h.call('PUT', '/feature-views/fv_life', { ...spec, features: [spec.features[0]] });
    const listed = await h.call('GET', '/feature-views');
    const deleted = await h.call('DELETE', '/feature-views/fv_life');
    const gone = await h.call('GET', '/feature-views/fv_life');
    const again = await h.call('POST', '/feature-views', viewBody('fv_life'));
    const againV2 = await h.call('PUT', '/feature-views/fv_life', { ...spec, description: 'second life' });
    // Assess
    expect(createdView.status).toBe(201);
    expect(createdView.body).toMatchObject({ name: 'fv_life', version: 1 });
    expect(duplicate.body.error.code).toBe('FEATURE_VIEW_ALREADY_EXISTS');
    expect(widened.body).toMatchObject({ version: 2 });
    expect(narrowed.status).toBe(409);
    expect(narrowed.body.error.code).toBe('INCOMPATIBLE_SCHEMA_CHANGE');
    expect(listed.body.items.map((v: { name: string }) => v.name)).toContain('fv_life');
    expect(deleted.status).toBe(204);
    expect(gone.status).toBe(404);
    expect([again.body.version, againV2.body.version]).toEqual([1, 2]);
    expectReplyMatchesRoute('CreateFeatureView', createdView);
    expectReplyMatchesRoute('UpdateFeatureView', widened);
    expectReplyMatchesRoute('ListFeatureViews', listed);
    expectReplyMatchesRoute('DeleteFeatureView', deleted);
    expectReplyMatchesRoute('GetFeatureView', await h.call('GET', '/feature-views/fv_life'));
  });
});

describe('push and online lookup', () => {
  beforeAll(async () => {
    expect((await h.call('POST', '/feature-views', viewBody('drivers'))).status).toBe(201);
  });

  it('round-trips pushed rows through get-online-features in Feast shape', async () => {
    // Prepare
    const t = Date.now() - HOUR;
    const push = await h.call('POST', '/push', {
      featureView: 'drivers',
      rows: [
        { driver_id: 1, event_timestamp: iso(t), conv_rate: 0.5, tier: 'gold' },
        { driver_id: 2, event_timestamp: iso(t), conv_rate: 0.25 },
      ],
    });
    // Act
    const res = await h.call('POST', '/get-online-features', {
      features: ['drivers:conv_rate', 'drivers:tier'],
      entities: { driver_id: [1, 2, 3] },
    });
    // Assess
    expect(push.body).toMatchObject({ rows: 2, onlineWritten: 2, offlineFiles: 1 });
    expect(res.body.metadata.feature_names).toEqual(['driver_id', 'conv_rate', 'tier']);
    expect(res.body.results[1]).toEqual({
      values: [0.5, 0.25, null],
      statuses: ['PRESENT', 'PRESENT', 'NOT_FOUND'],
      event_timestamps: [
        iso(t)
          .replace('.000Z', 'Z')
          .replace(/(\.\d{3})Z$/, '$1Z'),
        expect.any(String),
        '1970-01-01T00:00:00Z',
      ],
    });
    expect(res.body.results[2].values).toEqual(['gold', null, null]);
    expectReplyMatchesRoute('PushFeatures', push);
    expectReplyMatchesRoute('GetOnlineFeatures', res);
  });

  it('refuses a batch with bad rows whole, listing each, and writes nothing online or offline', async () => {
    // Prepare
    const before = await h.stores.offline.listFiles('drivers');
    // Act
    const res = await h.call('POST', '/push', {
      featureView: 'drivers',
      rows: [
        { driver_id: 50, event_timestamp: iso(Date.now()), conv_rate: 0.1 },
        { driver_id: 51, event_timestamp: iso(Date.now()), conv_rate: 1.5 },
        { driver_id: 'x', event_timestamp: 'yesterday', tier: 'bronze' },
      ],
    });
    const lookup = await h.call('POST', '/get-online-features', {
      features: ['drivers:conv_rate'],
      entities: { driver_id: [50] },
    });
    // Assess
    expect(res.status).toBe(422);
    expect(res.body.error.details.badRows).toEqual([1, 2]);
    expect(
      res.body.error.details.problems.map((p: { row: number; rule: string }) => `${p.row}:${p.rule}`),
    ).toEqual(
      expect.arrayContaining(['1:MAX', '2:TYPE', '2:TIMESTAMP_FORMAT', '2:REQUIRED', '2:ALLOWED_VALUES']),
    );
    expect(await h.stores.offline.listFiles('drivers')).toHaveLength(before.length);
    expect(lookup.body.results[1].statuses).toEqual(['NOT_FOUND']);
  });

  it('never lets an older event overwrite a newer one (out-of-order delivery)', async () => {
    // Prepare
    const t = Date.now() - HOUR;
    await h.call('POST', '/push', {
      featureView: 'drivers',
      rows: [{ driver_id: 7, event_timestamp: iso(t), conv_rate: 0.9 }],
    });
    // Act
    const late = await h.call('POST', '/push', {
      featureView: 'drivers',
      rows: [{ driver_id: 7, event_timestamp: iso(t - HOUR), conv_rate: 0.1 }],
    });
    const res = await h.call('POST', '/get-online-features', {
      features: ['drivers:conv_rate'],
      entities: { driver_id: [7] },
    });
    // Assess
    expect(late.body).toMatchObject({ onlineWritten: 0, onlineSkipped: 1, offlineFiles: 1 });
    expect(res.body.results[1].values).toEqual([0.9]);
  });

  it('answers a repeated push with the same Idempotency-Key once', async () => {
    const body = {
      featureView: 'drivers',
      rows: [{ driver_id: 8, event_timestamp: iso(Date.now()), conv_rate: 0.3 }],
    };
    const headers = { 'idempotency-key': 'push-8' };
    const first = await h.call('POST', '/push', body, headers);
    const files = (await h.stores.offline.listFiles('drivers')).length;
    const second = await h.call('POST', '/push', body, headers);
    expect(second).toEqual(first);
    expect(await h.stores.offline.listFiles('drivers')).toHaveLength(files);
  });
});

describe('DynamoDB online store', () => {
  it('reads back every value type as written: numbers, strings, booleans, timestamps and nulls', async () => {
    // Prepare
    const view = {
      name: 'typed',
      entities: [{ name: 'id', valueType: 'int64' as const }],
      features: (['int64', 'float64', 'string', 'bool', 'timestamp'] as const).map((dtype) => ({
        name: dtype,
        dtype,
        required: false,
        description: '',
      })),
      ttlSeconds: 0,
    };
    const raw = [
      {
        id: 1,
        event_timestamp: 1_700_000_000,
        int64: -42,
        float64: 0.125,
        string: 'a|b',
        bool: true,
        timestamp: 1_700_000_000,
      },
      {
        id: 2,
        event_timestamp: 1_700_000_000,
        int64: null,
        float64: null,
        string: null,
        bool: false,
        timestamp: null,
      },
    ];
    const rows = toFeatureRows(view, raw, { now: Date.now() });
    const store = new DynamoDbOnlineStore({ client: documentClient(), table: 'OnlineStore' });
    await store.write(view, rows);
    // Act
    const names = view.features.map((f) => f.name);
    const items = await store.read(
      rows.map((r) => onlineItemKey(view, r.entityKey)),
      names,
    );
    // Assess: as stored, and as written
    const { Responses } = await documentClient().send(
      new BatchGetCommand({
        RequestItems: { OnlineStore: { Keys: rows.map((r) => ({ pk: onlineItemKey(view, r.entityKey) })) } },
      }),
    );
    for (const row of rows) {
      const key = onlineItemKey(view, row.entityKey);
      const stored = Responses!.OnlineStore.find((i) => i.pk === key)!;
      expect(items.get(key)).toEqual({
        values: stored.features,
        eventTimestampMs: stored.eventTs,
        createdTimestampMs: stored.createdTs,
      });
      expect(items.get(key)?.values).toEqual(row.values);
    }
  });

  it('reads more than 100 keys in concurrent chunks and retries unprocessed keys', async () => {
    // Prepare: 250 items, and a client that leaves a third of each first request unprocessed
    const view = {
      name: 'bulk',
      entities: [{ name: 'id', valueType: 'int64' as const }],
      features: [{ name: 'x', dtype: 'int64' as const, required: false, description: '' }],
      ttlSeconds: 0,
    };
    const rows = toFeatureRows(
      view,
      Array.from({ length: 250 }, (_, id) => ({ id, event_timestamp: 1_700_000_000, x: id })),
      { now: Date.now() },
    );
    const real = documentClient();
    await new DynamoDbOnlineStore({ client: real, table: 'OnlineStore' }).write(view, rows);
    const calls: number[] = [];
    const seen = new Set<string>();
    const flaky = {
      send: async (command: BatchGetCommand) => {
        const keys = command.input.RequestItems!.OnlineStore.Keys as Array<{ pk: string }>;
        calls.push(keys.length);
        const first = keys.filter((k) => !seen.has(k.pk));
        for (const k of keys) seen.add(k.pk);
        const held = first.length === keys.length ? keys.slice(0, Math.floor(keys.length / 3)) : [];
        const served = keys.filter((k) => !held.includes(k));
        const out = await real.send(
          new BatchGetCommand({
            RequestItems: { OnlineStore: { ...command.input.RequestItems!.OnlineStore, Keys: served } },
          }),
        );
        return { ...out, UnprocessedKeys: held.length ? { OnlineStore: { Keys: held } } : {} };
      },
    } as unknown as DynamoDBDocumentClient;
    const store = new DynamoDbOnlineStore({ client: flaky, table: 'OnlineStore', backoffBaseMs: 1 });
    // Act
    const items = await store.read(
      rows.map((r) => onlineItemKey(view, r.entityKey)),
      ['x'],
    );
    // Assess
    expect(items.size).toBe(250);
    expect(items.get(onlineItemKey(view, { id: 249 }))?.values).toEqual({ x: 249 });
    expect(calls.slice(0, 3).sort()).toEqual([100, 100, 50]);
    expect(calls.length).toBe(6);
  });
});

describe('materialization', () => {
  it('backfills offline rows online, and a re-run changes nothing', async () => {
    // Prepare: rows written offline only, as a backfill job would
    await h.call('POST', '/feature-views', viewBody('backfill'));
    const view = (await h.stores.views.get('backfill'))!;
    const t = Date.parse('2024-05-01T00:00:00Z');
    const rows = toFeatureRows(
      view,
      [
        { driver_id: 1, event_timestamp: iso(t), conv_rate: 0.1 },
        { driver_id: 1, event_timestamp: iso(t + HOUR), conv_rate: 0.2 },
        { driver_id: 2, event_timestamp: iso(t + 2 * HOUR), conv_rate: 0.3 },
        { driver_id: 3, event_timestamp: iso(t + 48 * HOUR), conv_rate: 0.4 },
      ],
      { now: Date.now() },
    );
    await h.stores.offline.append(view, rows);
    const range = { start: iso(t), end: iso(t + 24 * HOUR) };
    // Act
    const first = await h.call('POST', '/feature-views/backfill/materialize', range);
    const second = await h.call('POST', '/feature-views/backfill/materialize', range);
    const items = await h.stores.online.read(
      [onlineItemKey(view, { driver_id: 1 }), onlineItemKey(view, { driver_id: 3 })],
      ['conv_rate'],
    );
    // Assess
    // Three rows: the file of May 3 lies outside the range's date partitions and is not read.
    expect(first.body).toMatchObject({ rowsRead: 3, itemsConsidered: 2, itemsWritten: 2, itemsSkipped: 0 });
    expect(second.body).toEqual(first.body);
    expectReplyMatchesRoute('MaterializeFeatureView', first);
    expect(items.get(onlineItemKey(view, { driver_id: 1 }))?.values).toEqual({ conv_rate: 0.2 });
    expect(items.has(onlineItemKey(view, { driver_id: 3 }))).toBe(false);
  });

  it("reports the view's freshness from a backfill, as the schedule does: its newest row's age", async () => {
    // Prepare: a view without a schedule, its newest row two hours old
    await h.call('POST', '/feature-views', viewBody('unscheduled'));
    const view = (await h.stores.views.get('unscheduled'))!;
    const t = Date.now() - 2 * HOUR;
    await h.stores.offline.append(
      view,
      toFeatureRows(
        view,
        [
          { driver_id: 1, event_timestamp: iso(t - HOUR), conv_rate: 0.1 },
          { driver_id: 2, event_timestamp: iso(t), conv_rate: 0.2 },
        ],
        { now: Date.now() },
      ),
    );
    const before = h.metrics.length;
    // Act
    const res = await h.call('POST', '/feature-views/unscheduled/materialize', {
      start: iso(t - 2 * HOUR),
      end: iso(t + HOUR),
    });
    // Assess
    expect(res.status).toBe(200);
    const emf = h.metrics.slice(before).map(toEmf);
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ FeatureView: 'unscheduled' });
    expect(emf[0].FeatureFreshnessSeconds).toBeGreaterThanOrEqual(2 * 3600);
    expect(emf[0].FeatureFreshnessSeconds).toBeLessThan(2 * 3600 + 60);
  });

  it('runs incrementally past a watermark and reports freshness; a re-run is idempotent', async () => {
    // Prepare
    await h.call('POST', '/feature-views', viewBody('incremental'));
    const view = (await h.stores.views.get('incremental'))!;
    const t = Date.now() - 2 * HOUR;
    await h.stores.offline.append(
      view,
      toFeatureRows(view, [{ driver_id: 9, event_timestamp: iso(t), conv_rate: 0.7 }], { now: Date.now() }),
    );
    const docs: EmfDocument[] = [];
    const collect = async (doc: MetricsDocument) => void docs.push(toEmf(doc));
    // Act
    const first = await materializeView(h.stores, { featureView: 'incremental' }, collect);
    const again = await materializeView(h.stores, { featureView: 'incremental' }, collect);
    // Assess
    expect(first).toMatchObject({ filesRead: 1, itemsWritten: 1 });
    expect(again.watermarkMs).toBe(first.watermarkMs);
    expect(again.itemsSkipped).toBe(0);
    const emf = docs[0];
    expect(emf.FeatureView).toBe('incremental');
    expect(emf.FeatureFreshnessSeconds).toBeGreaterThanOrEqual(2 * 3600);
    expect(await h.stores.views.getWatermark('incremental')).toBe(first.watermarkMs);
  });

  it('refuses a range with start after end with 400', async () => {
    const res = await h.call('POST', '/feature-views/drivers/materialize', {
      start: iso(2000),
      end: iso(1000),
    });
    expect(res.status).toBe(400);
    await expect(materializeRange(h.stores, 'nope', 0, 1)).rejects.toMatchObject({ status: 404 });
  });
});

describe('training sets through the handler', () => {
  it('accepts a job, runs it, and reports SUCCEEDED with the Parquet location', async () => {
    // Prepare
    await h.call('POST', '/feature-views', viewBody('ts_view'));
    const t = Date.parse('2024-06-01T12:00:00Z');
    await h.call('POST', '/push', {
      featureView: 'ts_view',
      rows: [{ driver_id: 1, event_timestamp: iso(t), conv_rate: 0.5 }],
    });
    // Act
    const accepted = await h.call('POST', '/training-sets', {
      features: ['ts_view:conv_rate'],
      entityRows: [
        { driver_id: 1, event_timestamp: iso(t + HOUR), label: 1 },
        { driver_id: 1, event_timestamp: iso(t - HOUR), label: 0 },
      ],
    });
    await h.launcher.settle();
    const status = await h.call('GET', `/training-sets/${accepted.body.jobId}`);
    const bad = await h.call('POST', '/training-sets', {
      features: ['ts_view:conv_rate'],
      entityRows: [{ event_timestamp: iso(t) }],
    });
    // Assess
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('QUEUED');
    expect(status.body).toMatchObject({ status: 'SUCCEEDED', rowCount: 2 });
    expect(status.body.outputUri).toMatch(
      /^s3:\/\/mlops-features\/features\/training\/.+\/output\/part-00000\.parquet$/,
    );
    expect(bad.status).toBe(422);
    expectReplyMatchesRoute('CreateTrainingSet', accepted);
    expectReplyMatchesRoute('GetTrainingSet', status);
  });
});
