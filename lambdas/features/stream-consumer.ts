/**
 * The feature stream's consumer: Lambda's Kinesis event source mapping invokes it with tumbling
 * windows. Each invocation validates and ingests a batch (rejected events to the dead letters,
 * every accepted one offline, on-time ones into the window's state); the window's final
 * invocation, or one terminated early because the state neared 1 MB, merges the state into the
 * tiles. A failure throws: Lambda retries the batch with the state it had before, bisecting it,
 * and after its retries sends the batch's description to the on-failure destination.
 * Counts are reported as metrics in Embedded Metric Format.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html
 */
import type { KinesisStreamStateResponse, KinesisStreamTumblingWindowEvent } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { STREAM_METRICS } from '../../contracts/feature-streams';
import { documentClient, requiredEnv } from '../shared/clients';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { s3Client } from '../shared/s3-client';
import { CachedViewReader } from './adapters/cached-view-reader';
import { DynamoDbTileStore } from './adapters/dynamodb-tile-store';
import { S3DeadLetters } from './adapters/s3-dead-letters';
import { storesFromEnv } from './deps';
import type { StreamWindowInfo } from './domain/stream-freshness';
import {
  ingestStreamBatch,
  type StreamIngestDeps,
  type StreamIngestResult,
  type StreamWindowState,
} from './domain/stream-ingest';

/** The ports over env, once per container. */
export function streamDepsFromEnv(): StreamIngestDeps {
  const stores = storesFromEnv();
  return {
    views: new CachedViewReader(stores.views),
    offline: stores.offline,
    tiles: new DynamoDbTileStore({ client: documentClient(), table: requiredEnv(ENV.onlineStoreTable) }),
    deadLetters: new S3DeadLetters({ client: s3Client(), bucket: requiredEnv(ENV.featureOfflineBucket) }),
    ...(stores.tombstones ? { tombstones: stores.tombstones } : {}),
    now: () => new Date(),
  };
}

/** The metrics document of one invocation's counts (no dimension: the stream is the platform's one). */
export function streamMetrics(result: StreamIngestResult, atMs: number): MetricsDocument {
  const counts = [
    [STREAM_METRICS.accepted, result.accepted],
    [STREAM_METRICS.rejected, result.rejected],
    [STREAM_METRICS.late, result.late],
    [STREAM_METRICS.duplicates, result.duplicates],
    [STREAM_METRICS.erased, result.erased],
  ] as const;
  return {
    namespace: STREAM_METRICS.namespace,
    metrics: counts.map(([name, value]) => ({ name, unit: 'Count', value })),
    timestamp: atMs,
  };
}

export function makeStreamHandler(
  deps: StreamIngestDeps,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
) {
  return async (event: KinesisStreamTumblingWindowEvent): Promise<KinesisStreamStateResponse> => {
    const prior = event.state as StreamWindowState | undefined;
    const shardId =
      event.Records[0]?.eventID.split(':')[0] ??
      (event as { shardId?: string }).shardId ??
      prior?.shardId ??
      'unknown';
    const result = await ingestStreamBatch(deps, {
      shardId,
      records: event.Records.map((r) => ({
        sequenceNumber: r.kinesis.sequenceNumber,
        arrivalTimestampMs: Math.round(r.kinesis.approximateArrivalTimestamp * 1000),
        data: Buffer.from(r.kinesis.data, 'base64').toString('utf8'),
      })),
      state: prior && Object.hasOwn(prior, 'buckets') ? prior : undefined,
      flush: event.isFinalInvokeForWindow || event.isWindowTerminatedEarly,
      finalForWindow: event.isFinalInvokeForWindow,
      ...(windowOf(event) ?? {}),
    });
    await emit(streamMetrics(result, deps.now().getTime()));
    return { state: result.state as unknown as Record<string, unknown>, batchItemFailures: [] };
  };
}

/** The invocation's tumbling window, when Lambda names one (`window.start`, `window.end`). */
function windowOf(event: KinesisStreamTumblingWindowEvent): { window: StreamWindowInfo } | undefined {
  const startMs = Date.parse(event.window?.start ?? '');
  const endMs = Date.parse(event.window?.end ?? '');
  return Number.isFinite(startMs) && Number.isFinite(endMs) && endMs > startMs
    ? { window: { startMs, endMs } }
    : undefined;
}

let cached: ReturnType<typeof makeStreamHandler> | undefined;

/** The Lambda entry point. */
export const handler = (event: KinesisStreamTumblingWindowEvent): Promise<KinesisStreamStateResponse> => {
  cached ??= makeStreamHandler(streamDepsFromEnv());
  return cached(event);
};
