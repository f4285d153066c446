/**
 * Feeds a Kinesis stream to a handler as Lambda's event source mapping does with tumbling windows:
 * per shard, in sequence order, batches of at most `batchSize` records, each record in the window
 * its arrival time falls in; the state the handler returns is passed to the window's next
 * invocation, and once the window has ended a final invocation (`isFinalInvokeForWindow`, no
 * records) gets the state. A failed batch is retried with the state it had before, split in two
 * when `bisectBatchOnFunctionError` is set, and after `maximumRetryAttempts` described to
 * `onFailure` and skipped; reported batch item failures restart the shard at the first failed
 * record. The position and the open window's state are checkpointed to a file, so a restart
 * neither loses nor replays records.
 *
 * Where it differs from Lambda: windows are aligned on the epoch and judged by this process's
 * clock, one shard is invoked at a time, and a window never ends early (the handler flushes on
 * its own near 1 MB, as it must on AWS too).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html
 */
import {
  type _Record,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type {
  KinesisStreamRecord,
  KinesisStreamStateResponse,
  KinesisStreamTumblingWindowEvent,
} from 'aws-lambda';
import { readJsonState, writeJsonAtomic } from './state-file';

export interface KinesisPollerProps {
  readonly kinesis: KinesisClient;
  readonly streamName: string;
  readonly streamArn: string;
  readonly handler: (
    event: KinesisStreamTumblingWindowEvent,
  ) => Promise<KinesisStreamStateResponse | undefined>;
  /** The mapping's `TumblingWindowInSeconds`. */
  readonly tumblingWindowSeconds: number;
  /** @default 100 */
  readonly batchSize?: number;
  /** @default false */
  readonly bisectBatchOnFunctionError?: boolean;
  /** @default 2 */
  readonly maximumRetryAttempts?: number;
  /** The on-failure destination: what a batch that exhausted its retries is reported to. */
  readonly onFailure?: (failure: Record<string, unknown>) => Promise<void>;
  readonly checkpointFile?: string;
  /** @default 200 */
  readonly intervalMs?: number;
  /** @default Date.now */
  readonly clock?: () => number;
}

interface ShardPosition {
  /** Last sequence number processed. */
  after?: string;
  /** The open window: start (ms) and the handler's state. */
  window?: { start: number; state: Record<string, unknown> };
}

export class KinesisPoller {
  private readonly shards: Record<string, ShardPosition>;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(private readonly props: KinesisPollerProps) {
    const file = props.checkpointFile;
    this.shards =
      (file &&
        readJsonState<Record<string, ShardPosition>>(file, {
          what: 'the feature stream checkpoint',
          recovery: 'delete it to read the stream again from its oldest record (replays are deduplicated)',
        })) ||
      {};
  }

  start(): void {
    const tick = () => {
      if (this.stopped) return;
      this.running = this.pollOnce()
        .catch((err) => console.error('kinesis poll failed:', err))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.props.intervalMs ?? 200);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Reads every shard to its end once, delivering batches and closing ended windows. */
  async pollOnce(): Promise<void> {
    const { Shards } = await this.props.kinesis.send(
      new ListShardsCommand({ StreamName: this.props.streamName }),
    );
    for (const shard of Shards ?? []) await this.pollShard(shard.ShardId!);
  }

  private async pollShard(shardId: string): Promise<void> {
    this.shards[shardId] ??= {};
    const pos = this.shards[shardId];
    const { ShardIterator } = await this.props.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: this.props.streamName,
        ShardId: shardId,
        ShardIteratorType: pos.after ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON',
        ...(pos.after ? { StartingSequenceNumber: pos.after } : {}),
      }),
    );
    let iterator = ShardIterator;
    const windowMs = this.props.tumblingWindowSeconds * 1000;
    while (iterator) {
      const out = await this.props.kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: this.props.batchSize ?? 100 }),
      );
      const records = out.Records ?? [];
      if (records.length === 0) break;
      // A batch never spans two windows: split where the arrival window changes.
      let i = 0;
      while (i < records.length) {
        const start = Math.floor(records[i].ApproximateArrivalTimestamp!.getTime() / windowMs) * windowMs;
        let end = i;
        while (
          end < records.length &&
          Math.floor(records[end].ApproximateArrivalTimestamp!.getTime() / windowMs) * windowMs === start
        )
          end++;
        if (pos.window && pos.window.start !== start) await this.closeWindow(shardId, pos);
        pos.window ??= { start, state: {} };
        const ok = await this.deliver(shardId, pos, records.slice(i, end));
        if (!ok) return;
        i = end;
      }
      iterator = out.NextShardIterator;
    }
    const now = (this.props.clock ?? Date.now)();
    if (pos.window && now >= pos.window.start + windowMs) await this.closeWindow(shardId, pos);
  }

  private async closeWindow(shardId: string, pos: ShardPosition): Promise<void> {
    const window = pos.window!;
    await this.invokeWithRetries(shardId, pos, [], true);
    // The final invocation's returned state replaces the window object: compare by start, or the
    // ended window would be closed again on every tick.
    if (pos.window?.start === window.start) pos.window = undefined;
    this.save();
  }

  /** Delivers records of the open window; false when the shard must stop until the next tick. */
  private async deliver(shardId: string, pos: ShardPosition, records: _Record[]): Promise<boolean> {
    const failedAt = await this.invokeWithRetries(shardId, pos, records, false);
    if (failedAt === undefined) {
      pos.after = records[records.length - 1].SequenceNumber;
      this.save();
      return true;
    }
    const index = records.findIndex((r) => r.SequenceNumber === failedAt);
    if (index > 0) pos.after = records[index - 1].SequenceNumber;
    this.save();
    return false;
  }

  /**
   * One batch, retried and bisected on a thrown error as Lambda does; returns the first failed
   * sequence number the handler reported, if any.
   */
  private async invokeWithRetries(
    shardId: string,
    pos: ShardPosition,
    records: _Record[],
    final: boolean,
  ): Promise<string | undefined> {
    const maxRetries = this.props.maximumRetryAttempts ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        const result = await this.props.handler(this.event(shardId, pos, records, final));
        if (result?.state) pos.window = { start: pos.window!.start, state: result.state };
        const failures = result?.batchItemFailures ?? [];
        return failures.length > 0 ? failures[0].itemIdentifier : undefined;
      } catch (err) {
        if (this.props.bisectBatchOnFunctionError && records.length > 1) {
          const half = Math.ceil(records.length / 2);
          const first = await this.invokeWithRetries(shardId, pos, records.slice(0, half), false);
          if (first !== undefined) return first;
          return this.invokeWithRetries(shardId, pos, records.slice(half), final);
        }
        if (attempt >= maxRetries) {
          await this.props.onFailure?.({
            requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: attempt + 1 },
            responseContext: { functionError: 'Unhandled' },
            KinesisBatchInfo: {
              shardId,
              startSequenceNumber: records[0]?.SequenceNumber,
              endSequenceNumber: records[records.length - 1]?.SequenceNumber,
              batchSize: records.length,
              streamArn: this.props.streamArn,
            },
            error: String(err),
          });
          return undefined;
        }
      }
    }
  }

  private event(
    shardId: string,
    pos: ShardPosition,
    records: _Record[],
    final: boolean,
  ): KinesisStreamTumblingWindowEvent {
    const start = pos.window!.start;
    const windowMs = this.props.tumblingWindowSeconds * 1000;
    return {
      Records: records.map(
        (r): KinesisStreamRecord => ({
          kinesis: {
            kinesisSchemaVersion: '1.0',
            partitionKey: r.PartitionKey!,
            sequenceNumber: r.SequenceNumber!,
            data: Buffer.from(r.Data ?? new Uint8Array()).toString('base64'),
            approximateArrivalTimestamp: r.ApproximateArrivalTimestamp!.getTime() / 1000,
          },
          eventSource: 'aws:kinesis',
          eventVersion: '1.0',
          eventID: `${shardId}:${r.SequenceNumber}`,
          eventName: 'aws:kinesis:record',
          invokeIdentityArn: 'arn:aws:iam::000000000000:role/local',
          awsRegion: 'us-east-1',
          eventSourceARN: this.props.streamArn,
        }),
      ),
      window: { start: new Date(start).toISOString(), end: new Date(start + windowMs).toISOString() },
      state: pos.window!.state,
      isFinalInvokeForWindow: final,
      isWindowTerminatedEarly: false,
      ...{ shardId, eventSourceARN: this.props.streamArn },
    };
  }

  private save(): void {
    if (this.props.checkpointFile) writeJsonAtomic(this.props.checkpointFile, this.shards);
  }
}
