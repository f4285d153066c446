/**
 * The stream consumer on DynamoDB Local, s3rver and kinesalite, fed by the local event source
 * mapping: events put on a two-shard stream come back as 5-minute aggregates equal to what the
 * offline rows say, rejected events sit in the dead letters with their reasons, a late event is
 * offline only, and a replay of the whole stream changes no tile. Read over the route, a stream
 * view's windows equal a brute-force count over the same events, minute edges and late ones included.
 * Local mode's wiring starts kinesalite and the mapping from a synthesized template's mapping.
 */
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  PutRecordsCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ENV } from '../../contracts/env';
import {
  STREAM_HEARTBEAT_ALLOWANCE_SECONDS,
  STREAM_HEARTBEAT_FIELD,
  STREAM_MAX_BATCHING_WINDOW_SECONDS,
  STREAM_WATERMARK_KEY,
} from '../../contracts/feature-streams';
import { CreateFeatureViewRequest, FEATURE_BUCKET_LAYOUT, type FeatureView } from '../../contracts/features';
import { DynamoDbTileStore } from '../../lambdas/features/adapters/dynamodb-tile-store';
import {
  bucketKeysFor,
  offlineViewOf,
  type StreamFeatureView,
  type TileBucket,
} from '../../lambdas/features/domain/stream-ingest';
import {
  pointInTimeAggregate,
  type StreamEvent,
  type Tile,
  windowValues,
} from '../../lambdas/features/domain/stream-tiles';
import { createFeatureView } from '../../lambdas/features/domain/views';
import { makeHandler } from '../../lambdas/features/handler';
import { makeStreamHandler, streamDepsFromEnv } from '../../lambdas/features/stream-consumer';
import { putHeartbeats } from '../../lambdas/features/stream-heartbeat';
import { documentClient } from '../../lambdas/shared/clients';
import { FEATURE_STORE_DEFAULTS } from '../../lib/features/defaults';
import { featureStreamMapping, startLocalFeatureStream } from '../../local/feature-stream';
import { KinesisPoller } from '../../local/kinesis-poller';
import { featureStreamTemplate } from '../helpers/feature-stream-template';
import { FEATURE_BUCKET, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';
import { httpCaller } from '../helpers/http-call';

const kinesalite = require('kinesalite') as (opts: object) => import('node:http').Server;

const STREAM = 'feature-events';
const ARN = `arn:aws:kinesis:us-east-1:000000000000:stream/${STREAM}`;
let harness: FeaturesHarness;
let server: import('node:http').Server;
let kinesis: KinesisClient;
let view: StreamFeatureView;

beforeAll(async () => {
  harness = await startFeaturesHarness();
  server = kinesalite({ createStreamMs: 10 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  kinesis = new KinesisClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // The client speaks HTTP/2 by default (for SubscribeToShard); kinesalite serves HTTP/1.1.
    requestHandler: new NodeHttpHandler(),
  });
  await kinesis.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
  for (;;) {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: STREAM }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  view = (await createFeatureView(
    harness.stores,
    { principal: 'bob' },
    CreateFeatureViewRequest.parse({
      name: 'user_txn',
      entities: [{ name: 'user_id', valueType: 'int64' }],
      features: [
        { name: 'amount', dtype: 'float64', min: 0 },
        { name: 'merchant', dtype: 'string' },
      ],
      source: {
        type: 'stream',
        allowedLatenessSeconds: 60,
        aggregations: [
          { function: 'count', windowSeconds: 300 },
          { function: 'sum', field: 'amount', windowSeconds: 300 },
          { function: 'mean', field: 'amount', windowSeconds: 300 },
          { function: 'max', field: 'amount', windowSeconds: 86_400 },
          { function: 'last', field: 'merchant', windowSeconds: 300 },
        ],
      },
    }),
  )) as StreamFeatureView;
}, 60_000);

afterAll(async () => {
  kinesis?.destroy();
  await new Promise((resolve) => server?.close(resolve));
  await harness?.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function put(events: ReadonlyArray<Record<string, unknown>>): Promise<void> {
  await kinesis.send(
    new PutRecordsCommand({
      StreamName: STREAM,
      Records: events.map((e) => ({
        PartitionKey: String(e.user_id ?? 'x'),
        Data: Buffer.from(typeof e.raw === 'string' ? e.raw : JSON.stringify(e)),
      })),
    }),
  );
}

/** Runs the mapping until every window it opened is closed. */
async function drain(poller: KinesisPoller): Promise<void> {
  await poller.pollOnce();
  await sleep(1100);
  await poller.pollOnce();
}

const poller = () =>
  new KinesisPoller({
    kinesis,
    streamName: STREAM,
    streamArn: ARN,
    tumblingWindowSeconds: 1,
    batchSize: 7,
    bisectBatchOnFunctionError: true,
    handler: makeStreamHandler(streamDepsFromEnv(), async () => {}),
  });

async function onlineValues(user: number, atMs: number) {
  const store = new DynamoDbTileStore({
    client: documentClient(),
    table: process.env[ENV.onlineStoreTable]!,
  });
  const buckets: Map<string, TileBucket> = await store.read(
    bucketKeysFor(view, { user_id: user }, 86_400, atMs),
  );
  const tiles = new Map<number, Tile>();
  for (const b of buckets.values()) for (const [s, t] of Object.entries(b.tiles)) tiles.set(Number(s), t);
  return { values: windowValues(view.source, tiles, atMs), buckets };
}

async function offlineEvents(): Promise<StreamEvent[]> {
  const offlineView: FeatureView = offlineViewOf(view);
  const files = await harness.stores.offline.listFiles(view.name);
  const rows = (await Promise.all(files.map((f) => harness.stores.offline.readRows(offlineView, f)))).flat();
  return rows.map((r) => ({
    id: r.values.event_id as string,
    entityKey: r.entityKey,
    eventTimestampMs: r.eventTimestampMs,
    arrivalTimestampMs: r.createdTimestampMs!,
    values: r.values,
  }));
}

describe('stream feature views on the local event source mapping', () => {
  it('serves 5-minute aggregates equal to the offline rows, dead-letters bad events, drops late ones online', async () => {
    // Prepare
    const now = Date.now();
    const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
    const good = Array.from({ length: 40 }, (_, i) => ({
      feature_view: 'user_txn',
      user_id: i % 3,
      event_timestamp: at(50 - i),
      amount: i * 0.5,
      merchant: `m${i % 4}`,
    }));
    await put(good.slice(0, 20));
    await put([
      { feature_view: 'user_txn', user_id: 1, event_timestamp: at(10), amount: -3 },
      { feature_view: 'user_txn', user_id: 1, event_timestamp: at(10), colour: 'red' },
      { feature_view: 'nope', user_id: 1 },
      { raw: 'not json' },
      // Late: 10 minutes old with 60 s allowed; offline only.
      { feature_view: 'user_txn', user_id: 2, event_timestamp: at(600), amount: 1000 },
    ]);
    await put(good.slice(20));

    // Act
    await drain(poller());

    // Assess
    const offline = await offlineEvents();
    expect(offline).toHaveLength(41);
    const readAt = Date.now();
    for (const user of [0, 1, 2]) {
      const mine = offline.filter((e) => e.entityKey.user_id === user);
      const { values } = await onlineValues(user, readAt);
      expect(values).toEqual(pointInTimeAggregate(view.source, mine, readAt));
      expect(values.count_5m).toBe(good.filter((g) => g.user_id === user).length);
    }
    expect((await onlineValues(2, readAt)).values.amount_max_24h).toBe(38 * 0.5);
    const listed = await harness.s3.send(
      new ListObjectsV2Command({ Bucket: FEATURE_BUCKET, Prefix: FEATURE_BUCKET_LAYOUT.streamRejected }),
    );
    const lines = (
      await Promise.all(
        (listed.Contents ?? []).map(async (o) =>
          (
            await (
              await harness.s3.send(new GetObjectCommand({ Bucket: FEATURE_BUCKET, Key: o.Key }))
            ).Body!.transformToString()
          )
            .trim()
            .split('\n'),
        ),
      )
    )
      .flat()
      .map((l) => JSON.parse(l).reason as string);
    expect(lines.sort()).toEqual(
      [
        'amount: below minimum 0 (got -3)',
        'colour: not an entity or feature of view user_txn',
        'data is not JSON',
        'feature view nope does not exist',
      ].sort(),
    );
  });

  it('changes no tile when the whole stream is delivered again', async () => {
    // Prepare
    const readAt = Date.now();
    const before = await Promise.all([0, 1, 2].map(async (u) => (await onlineValues(u, readAt)).buckets));

    // Act: a new mapping with no checkpoint starts at the oldest record.
    await drain(poller());

    // Assess
    const after = await Promise.all([0, 1, 2].map(async (u) => (await onlineValues(u, readAt)).buckets));
    expect(after).toEqual(before);
    expect(new Set((await offlineEvents()).map((e) => e.id)).size).toBe(41);
  });
});

describe("the stream's heartbeat", () => {
  const rejectedObjects = async () =>
    (
      await harness.s3.send(
        new ListObjectsV2Command({ Bucket: FEATURE_BUCKET, Prefix: FEATURE_BUCKET_LAYOUT.streamRejected }),
      )
    ).KeyCount ?? 0;

  it('closes a window on every shard of a quiet stream: the watermarks move, nothing else is written', async () => {
    // Prepare: the stream above, drained, then quiet.
    const mapping = poller();
    await drain(mapping);
    const before = await harness.stores.online.readStreamWatermarks();
    const offlineBefore = (await offlineEvents()).length;
    const rejectedBefore = await rejectedObjects();
    const sentAt = Date.now();

    // Act
    const shards = await putHeartbeats(kinesis, STREAM, new Date(sentAt));
    await drain(mapping);

    // Assess
    const after = await harness.stores.online.readStreamWatermarks();
    expect(shards.sort()).toEqual(['shardId-000000000000', 'shardId-000000000001']);
    for (const shard of shards) {
      expect(after[shard]?.endMs).toBeGreaterThan(Math.max(before[shard]?.endMs ?? 0, sentAt - 1));
    }
    expect((await offlineEvents()).length).toBe(offlineBefore);
    expect(await rejectedObjects()).toBe(rejectedBefore);
    const freshness = await harness.call('GET', '/feature-views/user_txn/freshness');
    expect(freshness.body).toMatchObject({ kind: 'stream', status: 'PRESENT' });
  });

  it('puts one record on each open shard, none on a closed parent', async () => {
    // Prepare: split one shard of a fresh stream, closing it and opening two children.
    const name = 'heartbeat-split';
    await kinesis.send(new CreateStreamCommand({ StreamName: name, ShardCount: 2 }));
    await waitActive(name);
    await kinesis.send(
      new SplitShardCommand({
        StreamName: name,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: (2n ** 127n / 2n).toString(),
      }),
    );
    await waitActive(name);

    // Act
    const shards = await putHeartbeats(kinesis, name, new Date());

    // Assess
    expect(shards.sort()).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    for (const shard of ['shardId-000000000000', ...shards]) {
      const { ShardIterator } = await kinesis.send(
        new GetShardIteratorCommand({ StreamName: name, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' }),
      );
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator }));
      const bodies = (Records ?? []).map((r) => JSON.parse(Buffer.from(r.Data!).toString('utf8')));
      expect(bodies).toEqual(
        shard === 'shardId-000000000000' ? [] : [{ [STREAM_HEARTBEAT_FIELD]: expect.any(String) }],
      );
    }
  });
});

async function waitActive(name: string): Promise<void> {
  for (;;) {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await sleep(20);
  }
}

describe('stream views over get-online-features', () => {
  const MINUTE = 60_000;
  /** A deterministic generator, so a failure replays. */
  const random = (() => {
    let x = 0x2545f491;
    return () => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
  })();

  interface Sent {
    readonly id: string;
    readonly user: number;
    readonly t: number;
    readonly arrival: number;
    readonly clicks: number;
    readonly dwell: number | null;
  }

  it('merges the whole tiles of each window at the read instant, as a brute force over the events says', async () => {
    // Prepare: a view with 1-, 5- and 60-minute windows, events across 90 minutes of which some
    // sit exactly on or 1 ms before a minute edge and some arrive past the 60 s allowed lateness.
    await createFeatureView(
      harness.stores,
      { principal: 'bob' },
      CreateFeatureViewRequest.parse({
        name: 'user_clicks',
        entities: [{ name: 'user_id', valueType: 'int64' }],
        features: [
          { name: 'clicks', dtype: 'int64', min: 0 },
          { name: 'dwell', dtype: 'float64' },
        ],
        source: {
          type: 'stream',
          allowedLatenessSeconds: 60,
          aggregations: [
            { function: 'count', windowSeconds: 60 },
            { function: 'sum', field: 'clicks', windowSeconds: 300 },
            { function: 'min', field: 'clicks', windowSeconds: 300 },
            { function: 'max', field: 'clicks', windowSeconds: 3600 },
            { function: 'sum', field: 'clicks', windowSeconds: 3600 },
            { function: 'count', field: 'dwell', windowSeconds: 300 },
            { function: 'mean', field: 'dwell', windowSeconds: 300 },
            { function: 'last', field: 'clicks', windowSeconds: 300 },
          ],
        },
      }),
    );
    const base = Math.floor(Date.now() / MINUTE) * MINUTE - 120 * MINUTE;
    const sent: Sent[] = [];
    const shards = ['shardId-000000000000', 'shardId-000000000001'];
    const seq = [100_000, 100_000];
    const batches: Array<{ shard: number; records: Sent[] }> = [];
    for (let b = 0; b < 40; b++) {
      const shard = b % 2;
      const records: Sent[] = [];
      for (let i = 0; i < 25; i++) {
        const edge = random();
        const minute = base + Math.floor(random() * 90) * MINUTE;
        const t = edge < 0.2 ? minute : edge < 0.4 ? minute - 1 : minute + Math.floor(random() * MINUTE);
        const late = random() < 0.08;
        seq[shard] += 1 + Math.floor(random() * 5);
        records.push({
          id: `${shards[shard]}:${seq[shard]}`,
          user: Math.floor(random() * 3),
          t,
          arrival: t + (late ? 61_000 + Math.floor(random() * 600_000) : Math.floor(random() * 60_000)),
          clicks: Math.floor(random() * 1000),
          dwell: random() < 0.1 ? null : Math.floor(random() * 1e6) / 64,
        });
      }
      batches.push({ shard, records });
      sent.push(...records);
    }
    const consumer = makeStreamHandler(streamDepsFromEnv(), async () => {});
    const deliver = (shard: number, records: readonly Sent[]) =>
      consumer({
        Records: records.map((r) => ({
          eventID: `${r.id.split(':')[0]}:${r.id.split(':')[1]}`,
          kinesis: {
            sequenceNumber: r.id.split(':')[1],
            approximateArrivalTimestamp: r.arrival / 1000,
            data: Buffer.from(
              JSON.stringify({
                feature_view: 'user_clicks',
                user_id: r.user,
                event_timestamp: new Date(r.t).toISOString(),
                clicks: r.clicks,
                dwell: r.dwell,
              }),
            ).toString('base64'),
          },
        })),
        shardId: shards[shard],
        isFinalInvokeForWindow: true,
        isWindowTerminatedEarly: false,
        state: {},
      } as never);
    for (const { shard, records } of batches) await deliver(shard, records);
    // Redelivered: counted once.
    await deliver(batches[6].shard, batches[6].records);

    // Act
    const readAts = [
      base + 30 * MINUTE,
      base + 30 * MINUTE - 1,
      base + 61 * MINUTE + 1,
      base + 89 * MINUTE + 59_999,
    ];
    const replies = await Promise.all(
      readAts.map((at) =>
        httpCaller(makeHandler({ ...harness.deps, now: () => new Date(at) }), { functionName: 'features' })(
          'POST',
          '/get-online-features',
          {
            features: [
              'user_clicks:count_1m',
              'user_clicks:clicks_sum_5m',
              'user_clicks:clicks_min_5m',
              'user_clicks:clicks_max_1h',
              'user_clicks:clicks_sum_1h',
              'user_clicks:dwell_count_5m',
              'user_clicks:dwell_mean_5m',
              'user_clicks:clicks_last_5m',
            ],
            entities: { user_id: [0, 1, 2, 7] },
          },
        ),
      ),
    );

    // Assess: a window at instant r covers [minute(r) + 1 min - window, minute(r) + 1 min).
    const onTime = sent.filter((e) => e.arrival - e.t <= 60_000);
    expect(onTime.length).toBeLessThan(sent.length);
    readAts.forEach((at, k) => {
      const reply = replies[k];
      expect(reply.status).toBe(200);
      const end = Math.floor(at / MINUTE) * MINUTE + MINUTE;
      const column = (name: string) => reply.body.results[reply.body.metadata.feature_names.indexOf(name)];
      [0, 1, 2, 7].forEach((user, row) => {
        const within = (minutes: number) =>
          onTime.filter((e) => e.user === user && e.t >= end - minutes * MINUTE && e.t < end);
        const clicks = (minutes: number) => within(minutes).map((e) => e.clicks);
        const dwell = within(5).flatMap((e) => (e.dwell === null ? [] : [e.dwell]));
        const lastOf = within(5).reduce<Sent | undefined>(
          (best, e) => (best === undefined || e.t > best.t || (e.t === best.t && e.id > best.id) ? e : best),
          undefined,
        );
        const expected: Record<string, unknown> = {
          count_1m: within(1).length,
          clicks_sum_5m: clicks(5).reduce((a, b) => a + b, 0),
          clicks_min_5m: clicks(5).length ? Math.min(...clicks(5)) : null,
          clicks_max_1h: clicks(60).length ? Math.max(...clicks(60)) : null,
          clicks_sum_1h: clicks(60).reduce((a, b) => a + b, 0),
          dwell_count_5m: dwell.length,
          clicks_last_5m: lastOf?.clicks ?? null,
        };
        for (const [name, value] of Object.entries(expected)) {
          expect([name, column(name).values[row]]).toEqual([name, value]);
          expect(column(name).statuses[row]).toBe('PRESENT');
          expect(column(name).event_timestamps[row]).toBe(new Date(at).toISOString().replace('.000Z', 'Z'));
        }
        const mean = column('dwell_mean_5m').values[row];
        if (dwell.length === 0) expect(mean).toBeNull();
        else
          expect(Math.abs(mean - dwell.reduce((a, b) => a + b, 0) / dwell.length)).toBeLessThanOrEqual(
            1e-12 * Math.abs(mean),
          );
      });
    });
    // Something was in the windows read, so the comparison is not between empty sets.
    expect(replies[3].body.results[2].values.some((n: number) => n > 0)).toBe(true);
  });

  it('reads batch and stream features and the stream watermark of one request in one BatchGetItem', async () => {
    // Prepare: a batch view beside the stream view, with a value for user 1, and a window just flushed
    const readAt = Date.now();
    await finalInvoke('shardId-000000000000', readAt - 60_000, readAt, readAt);
    const call = httpCaller(makeHandler({ ...harness.deps, now: () => new Date(readAt) }), {
      functionName: 'features',
    });
    const created = await call('POST', '/feature-views', {
      name: 'user_profile',
      entities: [{ name: 'user_id', valueType: 'int64' }],
      features: [{ name: 'tier', dtype: 'string' }],
      ttlSeconds: 0,
    });
    expect(created.status).toBe(201);
    const pushed = await call('POST', '/push', {
      featureView: 'user_profile',
      rows: [{ user_id: 1, event_timestamp: new Date().toISOString(), tier: 'gold' }],
    });
    expect(pushed.status).toBe(200);
    const client = documentClient();
    const send = jest.spyOn(client, 'send');
    // Act
    const reply = await call('POST', '/get-online-features', {
      features: ['user_profile:tier', 'user_clicks:count_1m', 'user_clicks:clicks_sum_1h'],
      entities: { user_id: [1, 2] },
    });
    const batchGets = send.mock.calls.filter(([command]) => command.constructor.name === 'BatchGetCommand');
    send.mockRestore();
    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body.metadata.feature_names).toEqual(['user_id', 'tier', 'count_1m', 'clicks_sum_1h']);
    expect(reply.body.results[1]).toMatchObject({
      values: ['gold', null],
      statuses: ['PRESENT', 'NOT_FOUND'],
    });
    expect(reply.body.results[2].statuses).toEqual(['PRESENT', 'PRESENT']);
    expect(batchGets).toHaveLength(1);
  });
});

/**
 * The window's final invocation on a shard, as Lambda makes it once the window `[startMs, endMs)`
 * has ended, with the consumer's clock at `atMs`: its flush stores the shard's watermark.
 */
async function finalInvoke(
  shardId: string,
  startMs: number,
  endMs: number,
  atMs: number,
  records: ReadonlyArray<{ seq: string; arrivalMs: number; data: object }> = [],
) {
  await makeStreamHandler({ ...streamDepsFromEnv(), now: () => new Date(atMs) }, async () => {})({
    Records: records.map((r) => ({
      eventID: `${shardId}:${r.seq}`,
      kinesis: {
        sequenceNumber: r.seq,
        approximateArrivalTimestamp: r.arrivalMs / 1000,
        data: Buffer.from(JSON.stringify(r.data)).toString('base64'),
      },
    })),
    window: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
    shardId,
    state: {},
    isFinalInvokeForWindow: true,
    isWindowTerminatedEarly: false,
  } as never);
}

describe('the freshness of stream values', () => {
  const SHARD = 'shardId-000000000007';
  const WINDOW_MS = 60_000;
  /**
   * A healthy consumer's watermark trails by at most the tumbling window, the batching window and
   * the heartbeat's allowance.
   */
  const MAX_LAG_MS =
    WINDOW_MS + (STREAM_MAX_BATCHING_WINDOW_SECONDS + STREAM_HEARTBEAT_ALLOWANCE_SECONDS) * 1000;
  const end = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const lookup = (atMs: number) =>
    httpCaller(makeHandler({ ...harness.deps, now: () => new Date(atMs) }), { functionName: 'features' })(
      'POST',
      '/get-online-features',
      { features: ['user_taps:count_5m'], entities: { user_id: [5, 6] } },
    );
  const freshness = (name: string, atMs: number) =>
    httpCaller(makeHandler({ ...harness.deps, now: () => new Date(atMs) }), { functionName: 'features' })(
      'GET',
      `/feature-views/${name}/freshness`,
    );

  beforeAll(async () => {
    // The watermarks earlier tests left would speak for the stream: start from none.
    await documentClient().send(
      new DeleteCommand({ TableName: process.env[ENV.onlineStoreTable]!, Key: { pk: STREAM_WATERMARK_KEY } }),
    );
    await createFeatureView(
      harness.stores,
      { principal: 'bob' },
      CreateFeatureViewRequest.parse({
        name: 'user_taps',
        entities: [{ name: 'user_id', valueType: 'int64' }],
        features: [{ name: 'x', dtype: 'int64' }],
        source: { type: 'stream', aggregations: [{ function: 'count', windowSeconds: 300 }] },
      }),
    );
  });

  it('serves OUTSIDE_MAX_AGE before the consumer ever flushed, values still given', async () => {
    const reply = await lookup(end);
    expect(reply.body.results[1]).toMatchObject({
      values: [0, 0],
      statuses: ['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE'],
    });
    const route = await freshness('user_taps', end);
    expect(route.body).toMatchObject({ kind: 'stream', status: 'OUTSIDE_MAX_AGE', shards: [] });
    expect(route.body.watermark).toBeUndefined();
  });

  it('serves PRESENT while the watermark trails the read by at most the tumbling plus the batching window', async () => {
    // Prepare: one event of user 5 in the window [end - 1 min, end), flushed at the window's end
    await finalInvoke(SHARD, end - WINDOW_MS, end, end + 200, [
      {
        seq: '100',
        arrivalMs: end - 5_000,
        data: {
          feature_view: 'user_taps',
          user_id: 5,
          event_timestamp: new Date(end - 6_000).toISOString(),
          x: 1,
        },
      },
    ]);

    // Act: read at the healthy bound's edge
    const reply = await lookup(end + MAX_LAG_MS);

    // Assess: the event time stays the windows' end, the read instant
    expect(reply.status).toBe(200);
    expect(reply.body.results[1]).toEqual({
      values: [1, 0],
      statuses: ['PRESENT', 'PRESENT'],
      event_timestamps: Array(2).fill(new Date(end + MAX_LAG_MS).toISOString().replace('.000Z', 'Z')),
    });
  });

  it('serves OUTSIDE_MAX_AGE once the stream stalls past that bound, values still given', async () => {
    const reply = await lookup(end + MAX_LAG_MS + 1);
    expect(reply.body.results[1]).toMatchObject({
      values: [1, 0],
      statuses: ['OUTSIDE_MAX_AGE', 'OUTSIDE_MAX_AGE'],
    });
  });

  it('never moves a watermark back: an older flush, or racing first flushes of several shards, leave the newest', async () => {
    // Prepare: no watermark item, so the racing flushes also race to create it
    await documentClient().send(
      new DeleteCommand({ TableName: process.env[ENV.onlineStoreTable]!, Key: { pk: STREAM_WATERMARK_KEY } }),
    );
    const tiles = new DynamoDbTileStore({
      client: documentClient(),
      table: process.env[ENV.onlineStoreTable]!,
    });
    const mark = (endMs: number) => ({ endMs, windowMs: WINDOW_MS, flushedAtMs: endMs + 100 });
    const shards = Array.from({ length: 4 }, (_, i) => `shardId-00000000010${i}`);

    // Act: each shard's windows flushed at once in a shuffled order, one already-stored window again
    const outcomes = await Promise.all(
      shards.flatMap((shard, i) =>
        [2, 0, 3, 1].map((k) => tiles.advanceWatermark(shard, mark(end - (i + k) * WINDOW_MS))),
      ),
    );
    await finalInvoke(SHARD, end - WINDOW_MS, end, end + 300);
    await finalInvoke(SHARD, end - 3 * WINDOW_MS, end - 2 * WINDOW_MS, end + 400);
    const older = await tiles.advanceWatermark(shards[0], mark(end - 5 * WINDOW_MS));

    // Assess
    expect(outcomes.filter(Boolean).length).toBeGreaterThanOrEqual(shards.length);
    expect(older).toBe(false);
    const stored = await harness.stores.online.readStreamWatermarks();
    expect(Object.keys(stored).sort()).toEqual([...shards, SHARD].sort());
    expect(shards.map((shard) => stored[shard].endMs)).toEqual(shards.map((_, i) => end - i * WINDOW_MS));
    expect(stored[SHARD]).toEqual({ endMs: end, windowMs: WINDOW_MS, flushedAtMs: end + 300 });
    expect((await lookup(end + MAX_LAG_MS)).body.results[1].statuses).toEqual(['PRESENT', 'PRESENT']);
  });

  it("reports a stream view's watermark lag per shard and in all", async () => {
    // Act
    const fresh = await freshness('user_taps', end + 10_000);
    const stale = await freshness('user_taps', end + 10 * WINDOW_MS);

    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      featureView: 'user_taps',
      kind: 'stream',
      checkedAt: new Date(end + 10_000).toISOString(),
      status: 'PRESENT',
      ageSeconds: 10,
      maxAgeSeconds: MAX_LAG_MS / 1000,
      watermark: new Date(end).toISOString(),
    });
    expect(fresh.body.shards).toHaveLength(5);
    expect(fresh.body.shards.find((s: { shardId: string }) => s.shardId === 'shardId-000000000103')).toEqual({
      shardId: 'shardId-000000000103',
      watermark: new Date(end - 3 * WINDOW_MS).toISOString(),
      flushedAt: new Date(end - 3 * WINDOW_MS + 100).toISOString(),
      lagSeconds: 190,
    });
    expect(stale.body).toMatchObject({ status: 'OUTSIDE_MAX_AGE', ageSeconds: 600 });
  });

  it("reports a batch view's newest row age against its TTL, and NOT_FOUND without rows", async () => {
    // Prepare
    const call = harness.call;
    for (const name of ['user_tier', 'user_empty']) {
      const created = await call('POST', '/feature-views', {
        name,
        entities: [{ name: 'user_id', valueType: 'int64' }],
        features: [{ name: 'tier', dtype: 'string' }],
        ttlSeconds: 3600,
        expectedIntervalSeconds: 900,
      });
      expect(created.status).toBe(201);
    }
    const eventMs = Math.floor(Date.now() / 1000) * 1000 - 600_000;
    const pushed = await call('POST', '/push', {
      featureView: 'user_tier',
      rows: [
        { user_id: 1, event_timestamp: new Date(eventMs - 60_000).toISOString(), tier: 'gold' },
        { user_id: 2, event_timestamp: new Date(eventMs).toISOString(), tier: 'silver' },
      ],
    });
    expect(pushed.status).toBe(200);

    // Act
    const fresh = await freshness('user_tier', eventMs + 600_000);
    const stale = await freshness('user_tier', eventMs + 3_600_001);
    const empty = await freshness('user_empty', eventMs);
    const missing = await freshness('no_such_view', eventMs);

    // Assess
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({
      featureView: 'user_tier',
      kind: 'batch',
      status: 'PRESENT',
      ageSeconds: 600,
      maxAgeSeconds: 3600,
      expectedIntervalSeconds: 900,
      newestEventAt: new Date(eventMs).toISOString(),
    });
    expect(Date.parse(fresh.body.lastWrittenAt)).toBeGreaterThan(eventMs);
    expect(fresh.body.lastMaterializedAt).toBeUndefined();
    expect(stale.body).toMatchObject({ status: 'OUTSIDE_MAX_AGE', ageSeconds: 3600.001 });
    expect(empty.body).toMatchObject({ kind: 'batch', status: 'NOT_FOUND', maxAgeSeconds: 3600 });
    expect(empty.body.ageSeconds).toBeUndefined();
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('FEATURE_VIEW_NOT_FOUND');
  });
});

describe('the local feature stream', () => {
  /** The feature store alone, with a declared stream view and a 1-second tumbling window. */
  const featureStoreTemplate = () =>
    featureStreamTemplate([
      {
        name: 'user_txn',
        entities: [{ name: 'user_id', valueType: 'int64' }],
        features: [{ name: 'amount', dtype: 'float64' }],
        source: { type: 'stream', aggregations: [{ function: 'count', windowSeconds: 300 }] },
      },
    ]);

  it('is not started without a stream in the template', async () => {
    expect(featureStreamMapping({ Resources: {} })).toBeUndefined();
    await expect(
      startLocalFeatureStream({ template: { Resources: {} }, invoke: async () => undefined }),
    ).resolves.toBeUndefined();
  });

  it("runs the template's mapping: an event put on kinesalite is read back online", async () => {
    // Prepare
    let invocations = 0;
    const stream = await startLocalFeatureStream({
      template: featureStoreTemplate(),
      invoke: (e) => {
        invocations++;
        return makeStreamHandler(streamDepsFromEnv(), async () => {})(e as never);
      },
    });
    const client = new KinesisClient({
      endpoint: stream!.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    try {
      expect(stream!.mapping).toEqual({
        batchSize: FEATURE_STORE_DEFAULTS.streamBatchSize,
        tumblingWindowSeconds: 1,
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: FEATURE_STORE_DEFAULTS.streamMaximumRetryAttempts,
      });

      // Act
      await client.send(
        new PutRecordsCommand({
          StreamName: stream!.streamName,
          Records: [
            {
              PartitionKey: '4242',
              Data: Buffer.from(
                JSON.stringify({
                  feature_view: 'user_txn',
                  user_id: 4242,
                  event_timestamp: new Date().toISOString(),
                  amount: 5,
                }),
              ),
            },
          ],
        }),
      );
      const read = () =>
        harness.call('POST', '/get-online-features', {
          features: ['user_txn:count_5m', 'user_txn:amount_sum_5m'],
          entities: { user_id: [4242] },
        });
      let reply = await read();
      for (let i = 0; i < 100 && reply.body.results[1]?.values[0] !== 1; i++) {
        await sleep(100);
        reply = await read();
      }

      // Assess
      expect(reply.status).toBe(200);
      expect(reply.body.results.slice(1).map((r: { values: unknown[] }) => r.values[0])).toEqual([1, 5]);
      // A closed window is not invoked again: with no new record, the consumer stays idle.
      const settled = invocations;
      await sleep(1500);
      expect(invocations).toBe(settled);
    } finally {
      client.destroy();
      await stream?.stop();
    }
  });
});
