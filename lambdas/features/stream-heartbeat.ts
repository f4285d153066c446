/**
 * The feature stream's heartbeat, run every minute by an EventBridge schedule: one record on every
 * open shard, so each shard's tumbling window closes and its consumer stores a newer watermark
 * even while no event arrives. Without it a quiet stream reads as a stopped consumer (see
 * `STREAM_HEARTBEAT_FIELD`). Shards are listed at each run: the stream is on-demand, and Kinesis
 * splits and merges its shards on its own.
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_ListShards.html
 * @see https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
 */
import { KinesisClient, ListShardsCommand, PutRecordsCommand, type Shard } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ENV } from '../../contracts/env';
import { STREAM_HEARTBEAT_FIELD } from '../../contracts/feature-streams';
import { API_CALL_TIMEOUTS, API_MAX_ATTEMPTS, requiredEnv } from '../shared/clients';
import { traced } from '../shared/tracing';

/** PutRecords takes at most 500 records a call. */
const PUT_RECORDS_MAX = 500;

/** The open shards of `streamName`, every page. */
export async function openShards(kinesis: KinesisClient, streamName: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    const page = await kinesis.send(
      nextToken
        ? new ListShardsCommand({ NextToken: nextToken })
        : new ListShardsCommand({ StreamName: streamName, ShardFilter: { Type: 'AT_LATEST' } }),
    );
    shards.push(...(page.Shards ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  // AT_LATEST lists open shards on AWS; a stand-in that ignores the filter still marks closed ones.
  return shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
}

/**
 * Puts one heartbeat on each open shard, routed by the shard's starting hash key. A record Kinesis
 * refuses (throttled) fails the run, which EventBridge's retries or the next minute make good.
 * @returns the shard ids that got one
 */
export async function putHeartbeats(
  kinesis: KinesisClient,
  streamName: string,
  now: Date,
): Promise<string[]> {
  const shards = await openShards(kinesis, streamName);
  const data = Buffer.from(JSON.stringify({ [STREAM_HEARTBEAT_FIELD]: now.toISOString() }));
  for (let i = 0; i < shards.length; i += PUT_RECORDS_MAX) {
    const chunk = shards.slice(i, i + PUT_RECORDS_MAX);
    const put = await kinesis.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: chunk.map((shard) => ({
          Data: data,
          PartitionKey: STREAM_HEARTBEAT_FIELD,
          ExplicitHashKey: shard.HashKeyRange?.StartingHashKey,
        })),
      }),
    );
    if ((put.FailedRecordCount ?? 0) > 0) {
      const failed = put.Records?.find((r) => r.ErrorCode)?.ErrorCode ?? 'unknown';
      throw new Error(`${put.FailedRecordCount} of ${chunk.length} heartbeats refused (${failed})`);
    }
  }
  return shards.map((s) => s.ShardId ?? '');
}

let kinesis: KinesisClient | undefined;

/** The Lambda entry point (an EventBridge scheduled event; its content is not read). */
export const handler = async (): Promise<{ shards: string[] }> => {
  // HTTP/1.1: the client's default HTTP/2 handler serves SubscribeToShard, which this never calls,
  // and the local stand-in speaks HTTP/1.1 only.
  kinesis ??= traced(
    new KinesisClient({
      requestHandler: new NodeHttpHandler(API_CALL_TIMEOUTS),
      maxAttempts: API_MAX_ATTEMPTS,
      endpoint: process.env[ENV.kinesisEndpoint] || undefined,
    }),
  );
  return { shards: await putHeartbeats(kinesis, requiredEnv(ENV.featureStreamName), new Date()) };
};
