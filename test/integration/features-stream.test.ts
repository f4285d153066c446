/**
 * The stream consumer on DynamoDB Local, s3rver and kinesalite, fed by the local event source
 * mapping: events put on a two-shard stream come back as 5-minute aggregates equal to what the
 * offline rows say, rejected events sit in the dead letters with their reasons, a late event is
 * offline only, and a replay of the whole stream changes no tile.
 */
import type { AddressInfo } from 'node:net';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  KinesisClient,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ENV } from '../../contracts/env';
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
import { makeStreamHandler, streamDepsFromEnv } from '../../lambdas/features/stream-consumer';
import { documentClient } from '../../lambdas/shared/clients';
import { KinesisPoller } from '../../local/kinesis-poller';
import { FEATURE_BUCKET, type FeaturesHarness, startFeaturesHarness } from '../helpers/features-harness';

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
