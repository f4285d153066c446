/**
 * Streaming features on the local stand-ins (DynamoDB Local, s3rver, kinesalite), in one run:
 * - throughput: events per second one consumer (the Lambda handler, as the event source mapping
 *   invokes it: batches of 500, tumbling-window state, offline append and the flush into the
 *   tiles) ingests, against the push path landing the same rows offline and online;
 * - freshness: from an event put on the stream to its count visible in `get-online-features`,
 *   p50/p99, with a 1-second tumbling window and the local mapping's 200 ms poll, against a push
 *   then a read of the same row.
 * Printed with ratios; never fails on time.
 */
import { KinesisClient, PutRecordCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { CreateFeatureViewRequest, GetOnlineFeaturesRequest } from '../contracts/features';
import { pushRows } from '../lambdas/features/domain/ingest';
import { getOnlineFeatures } from '../lambdas/features/domain/lookup';
import { createFeatureView } from '../lambdas/features/domain/views';
import { makeStreamHandler, streamDepsFromEnv } from '../lambdas/features/stream-consumer';
import { startLocalFeatureStream } from '../local/feature-stream';
import { featureStreamTemplate } from '../test/helpers/feature-stream-template';
import { startFeaturesHarness } from '../test/helpers/features-harness';

const EVENTS = 20_000;
const USERS = 1_000;
const BATCH = 500;
const FRESHNESS_SAMPLES = 40;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const VIEW = {
  entities: [{ name: 'user_id', valueType: 'int64' }],
  features: [{ name: 'amount', dtype: 'float64' }],
} as const;
const AGGREGATIONS = [
  { function: 'count', windowSeconds: 300 },
  { function: 'sum', field: 'amount', windowSeconds: 300 },
  { function: 'mean', field: 'amount', windowSeconds: 3600 },
] as const;

/** The feature store alone with the stream view declared and a 1-second tumbling window. */
const streamTemplate = () =>
  featureStreamTemplate([
    { name: 'bench_stream', ...VIEW, source: { type: 'stream', aggregations: AGGREGATIONS } },
  ]);

/** Events as the mapping delivers them: one shard, tumbling-window batches, the last one final. */
function windowEvents(startMs: number): KinesisStreamTumblingWindowEvent[] {
  const batches: KinesisStreamTumblingWindowEvent[] = [];
  for (let first = 0; first < EVENTS; first += BATCH) {
    const records = Array.from({ length: Math.min(BATCH, EVENTS - first) }, (_, k) => {
      const i = first + k;
      const data = {
        feature_view: 'bench_stream',
        user_id: i % USERS,
        event_timestamp: new Date(startMs + i).toISOString(),
        amount: (i % 97) / 8,
      };
      const seq = String(1_000_000 + i).padStart(21, '0');
      return {
        eventID: `shardId-000000000000:${seq}`,
        kinesis: {
          sequenceNumber: seq,
          approximateArrivalTimestamp: (startMs + i) / 1000,
          data: Buffer.from(JSON.stringify(data)).toString('base64'),
        },
      };
    });
    batches.push({
      Records: records,
      shardId: 'shardId-000000000000',
      isFinalInvokeForWindow: first + BATCH >= EVENTS,
      isWindowTerminatedEarly: false,
    } as unknown as KinesisStreamTumblingWindowEvent);
  }
  return batches;
}

export async function streamFeatures(): Promise<{ name: string; lines: string[] }> {
  const h = await startFeaturesHarness();
  try {
    const stores = h.stores;
    const actor = { principal: 'bench' };
    await createFeatureView(
      stores,
      actor,
      CreateFeatureViewRequest.parse({
        name: 'bench_stream',
        ...VIEW,
        source: { type: 'stream', allowedLatenessSeconds: 60, aggregations: AGGREGATIONS },
      }),
    );
    await createFeatureView(stores, actor, CreateFeatureViewRequest.parse({ name: 'bench_push', ...VIEW }));

    // Throughput: the consumer over one window's batches, then the push path over the same rows.
    const consume = makeStreamHandler(streamDepsFromEnv(), async () => {});
    const startMs = Date.now() - 30_000;
    let state: Record<string, unknown> | undefined;
    let t = process.hrtime.bigint();
    for (const event of windowEvents(startMs)) {
      state = (await consume({ ...event, state } as never)).state;
    }
    const streamSeconds = Number(process.hrtime.bigint() - t) / 1e9;
    t = process.hrtime.bigint();
    for (let first = 0; first < EVENTS; first += BATCH) {
      const rows = Array.from({ length: Math.min(BATCH, EVENTS - first) }, (_, k) => {
        const i = first + k;
        return {
          user_id: i % USERS,
          event_timestamp: new Date(startMs + i).toISOString(),
          amount: (i % 97) / 8,
        };
      });
      await pushRows(stores, { featureView: 'bench_push', rows });
    }
    const pushSeconds = Number(process.hrtime.bigint() - t) / 1e9;

    // Freshness: put, then read every 10 ms until the user's 5-minute count moves.
    const stream = await startLocalFeatureStream({
      template: streamTemplate(),
      invoke: (e) => consume(e as never),
    });
    if (!stream) throw new Error('the template has no feature stream');
    const kinesis = new KinesisClient({
      endpoint: stream.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttpHandler(),
    });
    const count = async (view: string, feature: string, user: number) =>
      Number(
        (
          await getOnlineFeatures(
            stores,
            GetOnlineFeaturesRequest.parse({
              features: [`${view}:${feature}`],
              entities: { user_id: [user] },
            }),
          )
        ).results[1].values[0] ?? 0,
      );
    const streamLag: number[] = [];
    const pushLag: number[] = [];
    try {
      for (let s = 0; s < FRESHNESS_SAMPLES; s++) {
        const user = USERS + s; // an entity of its own: its count goes 0 > 1
        const put = Date.now();
        await kinesis.send(
          new PutRecordCommand({
            StreamName: stream.streamName,
            PartitionKey: String(user),
            Data: Buffer.from(
              JSON.stringify({
                feature_view: 'bench_stream',
                user_id: user,
                event_timestamp: new Date(put).toISOString(),
                amount: 1,
              }),
            ),
          }),
        );
        while ((await count('bench_stream', 'count_5m', user)) < 1) {
          if (Date.now() - put > 30_000) throw new Error(`event of user ${user} not visible after 30 s`);
          await new Promise((r) => setTimeout(r, 10));
        }
        streamLag.push(Date.now() - put);
        const pushed = Date.now();
        await pushRows(stores, {
          featureView: 'bench_push',
          rows: [{ user_id: user, event_timestamp: new Date(pushed).toISOString(), amount: 1 }],
        });
        while ((await count('bench_push', 'amount', user)) !== 1) await new Promise((r) => setTimeout(r, 10));
        pushLag.push(Date.now() - pushed);
      }
    } finally {
      kinesis.destroy();
      await stream.stop();
    }
    const rate = (seconds: number) => Math.round(EVENTS / seconds);
    return {
      name: 'stream features (one local consumer; DynamoDB Local, s3rver, kinesalite)',
      lines: [
        `ingest ${EVENTS} events over ${USERS} entities in batches of ${BATCH}: consumer ${rate(streamSeconds)} events/s, push ${rate(pushSeconds)} rows/s (the consumer at ${(pushSeconds / streamSeconds).toFixed(2)}x the push path)`,
        `freshness (put > visible, 1 s tumbling window, 200 ms poll), ${FRESHNESS_SAMPLES} events: p50 ${pct(streamLag, 0.5)} ms, p99 ${pct(streamLag, 0.99)} ms; push > visible p50 ${pct(pushLag, 0.5)} ms (${(pct(streamLag, 0.5) / Math.max(1, pct(pushLag, 0.5))).toFixed(1)}x)`,
        'with the default 60 s window add up to 60 s: values become visible when their window closes',
      ],
    };
  } finally {
    await h.stop();
  }
}
