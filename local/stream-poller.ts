/**
 * Feeds a DynamoDB table's stream to a Lambda handler, as Lambda's event source mapping does on
 * AWS: batches of records in shard order, retried from the first reported batch item failure,
 * with the position checkpointed to a file so a restart neither loses nor replays records.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html
 */
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type _Record,
  DescribeStreamCommand,
  type DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type Shard,
  TrimmedDataAccessException,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { readJsonState, writeJsonAtomic } from './state-file';

export interface StreamPollerProps {
  readonly dynamoDb: DynamoDBClient;
  readonly streams: DynamoDBStreamsClient;
  readonly tableName: string;
  readonly handler: (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | undefined>;
  /** JSON file holding the last processed sequence number per shard. */
  readonly checkpointFile?: string;
  /** Lambda polls each shard of a DynamoDB stream four times a second. @default 250 */
  readonly intervalMs?: number;
}

/**
 * How long the stream's ARN and shard list are used before they are described again (sooner after
 * a failure, or once a shard is read to its closed end and its children may have opened): two
 * fewer calls per tick, which an idle platform otherwise spends most of its CPU on.
 */
const DESCRIBE_EVERY_MS = 4_000;

const CHECKPOINT = {
  what: 'the audit stream checkpoint',
  recovery:
    'delete it to publish again from the oldest record the stream holds (consumers dedupe on detail.id)',
};

export class StreamPoller {
  private readonly checkpoints: Record<string, string>;
  /** Open iterators by shard; `null` marks a closed, drained shard. */
  private readonly iterators = new Map<string, string | null>();
  private described?: { streamArn: string; shards: Shard[]; at: number };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly props: StreamPollerProps) {
    const file = props.checkpointFile;
    this.checkpoints = (file && readJsonState<Record<string, string>>(file, CHECKPOINT)) || {};
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pollOnce()
        .catch((err) => console.error('stream poll failed:', err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.props.intervalMs ?? 250);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Reads every shard once and hands new records to the handler; resolves when done. */
  async pollOnce(): Promise<void> {
    const described = await this.describe();
    if (!described) return;
    const { streamArn, shards } = described;
    let failure: unknown;
    for (const shard of shards) {
      const shardId = shard.ShardId!;
      if (this.iterators.get(shardId) === null) continue; // closed and drained
      const closed = shard.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      try {
        await this.drainShard(streamArn, shardId, closed);
        // Read to its end: the shards that follow it are in the next description.
        if (this.iterators.get(shardId) === null) this.described = undefined;
      } catch (err) {
        // Never give an open shard up, and never keep an iterator a failed read leaves behind
        // (expired, timed out): the next tick starts again from the checkpoint, so nothing is
        // lost and at worst a batch is delivered twice, as with Lambda's own retries.
        this.iterators.delete(shardId);
        this.described = undefined;
        if (err instanceof TrimmedDataAccessException) {
          // The records after the checkpoint are gone (retention, or a store restarted over old
          // metadata): start over from the shard's oldest record, or drop a closed shard.
          delete this.checkpoints[shardId];
          if (closed) this.iterators.set(shardId, null);
        }
        failure ??= err;
      }
    }
    // The other shards were still polled; the tick reports the first failure.
    if (failure) throw failure;
  }

  /** The table's stream and its shards, described again every `DESCRIBE_EVERY_MS`. */
  private async describe(): Promise<{ streamArn: string; shards: Shard[] } | undefined> {
    if (this.described && Date.now() - this.described.at < DESCRIBE_EVERY_MS) return this.described;
    const { Table } = await this.props.dynamoDb.send(
      new DescribeTableCommand({ TableName: this.props.tableName }),
    );
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) return undefined;
    const { StreamDescription } = await this.props.streams.send(
      new DescribeStreamCommand({ StreamArn: streamArn }),
    );
    this.described = { streamArn, shards: StreamDescription?.Shards ?? [], at: Date.now() };
    return this.described;
  }

  private async drainShard(streamArn: string, shardId: string, closed: boolean): Promise<void> {
    let iterator = this.iterators.get(shardId) ?? (await this.firstIterator(streamArn, shardId));
    while (iterator) {
      const out = await this.props.streams.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: 100 }),
      );
      const records = out.Records ?? [];
      if (records.length === 0) {
        // DynamoDB Local's iterator from an empty read never sees later records: ask for a new
        // one from the checkpoint next time (one extra call per tick). A shard is done only when
        // it is closed (an ending sequence number) and read to its end.
        if (!out.NextShardIterator && closed) this.iterators.set(shardId, null);
        else this.iterators.delete(shardId);
        return;
      }
      const delivered = await this.deliver(shardId, records);
      if (delivered < records.length) {
        // Re-read from the first failed record next time, as Lambda's checkpointing does.
        iterator = await this.firstIterator(streamArn, shardId);
        break;
      }
      this.checkpoint(shardId, records[records.length - 1].dynamodb!.SequenceNumber!);
      iterator = out.NextShardIterator ?? null;
    }
    if (iterator) this.iterators.set(shardId, iterator);
    else if (closed) this.iterators.set(shardId, null);
    else this.iterators.delete(shardId);
  }

  private async firstIterator(streamArn: string, shardId: string): Promise<string | null> {
    const after = this.checkpoints[shardId];
    const out = await this.props.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(after ? { SequenceNumber: after } : {}),
      }),
    );
    return out.ShardIterator ?? null;
  }

  /** Returns how many records, from the start, were processed without failure. */
  private async deliver(shardId: string, records: _Record[]): Promise<number> {
    const event = { Records: records.map(repairRecord) } as unknown as DynamoDBStreamEvent;
    const result = await this.props.handler(event);
    const failures = new Set((result?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    const firstFailed = records.findIndex((r) => failures.has(r.dynamodb?.SequenceNumber ?? ''));
    if (firstFailed > 0) this.checkpoint(shardId, records[firstFailed - 1].dynamodb!.SequenceNumber!);
    return firstFailed === -1 ? records.length : firstFailed;
  }

  private checkpoint(shardId: string, sequenceNumber: string): void {
    this.checkpoints[shardId] = sequenceNumber;
    if (this.props.checkpointFile) writeJsonAtomic(this.props.checkpointFile, this.checkpoints);
  }
}

/**
 * DynamoDB Local writes an empty map into stream records as `{}` where DynamoDB writes
 * `{"M":{}}`; unmarshalling `{}` fails. Repair it so the handler sees what Lambda would send.
 */
function repairRecord(record: _Record): _Record {
  const d = record.dynamodb;
  if (!d) return record;
  return {
    ...record,
    dynamodb: {
      ...d,
      ...(d.NewImage ? { NewImage: repairMap(d.NewImage) } : {}),
      ...(d.OldImage ? { OldImage: repairMap(d.OldImage) } : {}),
    },
  };
}

type Attr = Record<string, unknown>;
function repairMap(map: Record<string, unknown>): Record<string, never> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(map)) out[k] = repairValue(v as Attr);
  return out as Record<string, never>;
}

function repairValue(value: Attr): Attr {
  if (Object.keys(value).length === 0) return { M: {} };
  if (value.M) return { M: repairMap(value.M as Record<string, unknown>) };
  if (value.L) return { L: (value.L as Attr[]).map(repairValue) };
  return value;
}
