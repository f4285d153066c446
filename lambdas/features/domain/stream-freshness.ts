/**
 * How fresh the stream's aggregates are. The tiles hold an event once the tumbling window its
 * arrival falls in is flushed, so a read cannot tell a quiet entity from a consumer that stopped:
 * the consumer says how far it got instead. At each flush it stores, per shard, the watermark (the
 * window's end: every event of the shard that arrived before it is in the tiles), newer wins. A
 * read then judges the stream by its newest watermark: a healthy consumer keeps it within one
 * tumbling window, the mapping's batching window and the heartbeat's allowance of the clock (the
 * heartbeat closes a window on a quiet stream); past that the values are served as Feast's
 * OUTSIDE_MAX_AGE (still given, so the caller decides).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 */
import {
  STREAM_HEARTBEAT_ALLOWANCE_SECONDS,
  STREAM_MAX_BATCHING_WINDOW_SECONDS,
} from '../../../contracts/feature-streams';

/** What one flush of a shard tells. */
export interface ShardWatermark {
  /** Epoch ms: every event of the shard that arrived before it is in the tiles. */
  readonly endMs: number;
  /** The tumbling window's length, ms (0 when the invocation named no window). */
  readonly windowMs: number;
  /** Epoch ms of the flush, by the consumer's clock. */
  readonly flushedAtMs: number;
}

/** The stored watermarks by shard id. */
export type StreamWatermarks = Readonly<Record<string, ShardWatermark>>;

/** What a window's invocation tells of its window (Lambda's `window`, `isFinalInvokeForWindow`). */
export interface StreamWindowInfo {
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The watermark a flush may store, or undefined when it tells nothing new: the window's end at
 * its final invocation, else (a flush near the state's 1 MB, or a window terminated early, which
 * Lambda continues with a fresh state) the newest arrival the invocation flushed, since a shard's
 * records reach the consumer in arrival order.
 */
export function flushWatermark(input: {
  readonly window?: StreamWindowInfo;
  readonly finalForWindow: boolean;
  readonly flushed: boolean;
  readonly arrivalTimestampsMs: readonly number[];
  readonly nowMs: number;
}): ShardWatermark | undefined {
  const windowMs = input.window ? input.window.endMs - input.window.startMs : 0;
  if (input.finalForWindow && input.window) {
    return { endMs: input.window.endMs, windowMs, flushedAtMs: input.nowMs };
  }
  if ((input.finalForWindow || input.flushed) && input.arrivalTimestampsMs.length > 0) {
    return { endMs: Math.max(...input.arrivalTimestampsMs), windowMs, flushedAtMs: input.nowMs };
  }
  return undefined;
}

/** Whether `incoming` may replace `existing`: a later end only, so an older flush never regresses it. */
export const isNewerWatermark = (incoming: ShardWatermark, existing: ShardWatermark | undefined): boolean =>
  existing === undefined || incoming.endMs > existing.endMs;

/** The stream's freshness at an instant, as the read and the freshness route judge it. */
export interface StreamFreshness {
  /** The newest watermark of any shard; absent when no flush was ever recorded. */
  readonly watermarkMs?: number;
  /** How far the watermark trails the instant, ms (negative when the instant is before it). */
  readonly lagMs?: number;
  /**
   * The largest lag of a healthy consumer: the tumbling window, the batching window and the
   * heartbeat's allowance (a quiet stream flushes only on heartbeats), ms.
   */
  readonly maxLagMs: number;
  /** Past `maxLagMs`, or no watermark at all: the aggregates may lack events that arrived. */
  readonly outsideMaxAge: boolean;
}

/**
 * Judges the stream by the newest watermark of its shards. The newest, not the oldest: a shard
 * without records has nothing to flush, and a resharded stream's closed parents never flush
 * again, so an idle or closed shard's old watermark is no sign of a stall. One shard stuck while
 * others flush shows in the freshness route's per-shard lags and the mapping's IteratorAge, not
 * in the read's status.
 */
export function streamFreshness(watermarks: StreamWatermarks, nowMs: number): StreamFreshness {
  let newest: ShardWatermark | undefined;
  for (const mark of Object.values(watermarks)) if (isNewerWatermark(mark, newest)) newest = mark;
  const slackMs = (STREAM_MAX_BATCHING_WINDOW_SECONDS + STREAM_HEARTBEAT_ALLOWANCE_SECONDS) * 1000;
  if (newest === undefined) return { maxLagMs: slackMs, outsideMaxAge: true };
  const lagMs = nowMs - newest.endMs;
  const maxLagMs = newest.windowMs + slackMs;
  return { watermarkMs: newest.endMs, lagMs, maxLagMs, outsideMaxAge: lagMs > maxLagMs };
}
