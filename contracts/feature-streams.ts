/**
 * Stream feature views: a feature view whose rows arrive as records on the platform's feature
 * stream (Kinesis Data Streams) and whose online features are windowed aggregates of them
 * (`count`, `sum`, `mean`, `min`, `max`, `last` over 1 minute to 24 hours). The events are
 * validated against the view's features exactly as a push is, land in the offline store as rows,
 * and are summed online into one-minute tiles that any window combines at read.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** The aggregation functions a stream view may declare. */
export const StreamAggregationFunction = lazySchema(() =>
  z.enum(['count', 'sum', 'mean', 'min', 'max', 'last']),
);
export type StreamAggregationFunction = z.infer<typeof StreamAggregationFunction>;

/**
 * Width of a tile: the resolution of every window. A window at instant t covers the events whose
 * event time lies in `[tileStart(t) + TILE - window, t]`, i.e. the window's start is rounded to
 * the minute, so the online value is a merge of whole tiles.
 */
export const STREAM_TILE_SECONDS = 60;
/** Shortest and longest aggregation window. */
export const MIN_STREAM_WINDOW_SECONDS = 60;
export const MAX_STREAM_WINDOW_SECONDS = 86_400;
/**
 * Longest lateness accepted: past it an event is dropped from the online value (and counted),
 * still landing offline flagged by its arrival time.
 */
export const MAX_ALLOWED_LATENESS_SECONDS = 3_600;
/** Aggregations one stream view may declare: every output is a feature of one online read. */
export const MAX_STREAM_AGGREGATIONS = 50;

/**
 * The stream mapping's `MaximumBatchingWindowInSeconds`: how long Lambda gathers records before an
 * invocation. With the tumbling window it bounds how far a healthy consumer's watermark trails
 * the clock, so the read's freshness status and the mapping share this one number.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-kinesis.html#services-kinesis-batching
 */
export const STREAM_MAX_BATCHING_WINDOW_SECONDS = 1;

/**
 * The consumer's heartbeat: Lambda invokes a tumbling window only when records arrived in it, so a
 * quiet stream would never flush and its watermark would go stale like a stopped consumer's, and
 * every read of its (correct, zero) aggregates would say OUTSIDE_MAX_AGE. A scheduled function puts
 * one record holding only this field on every open shard each minute; the consumer counts it and
 * keeps nothing of it, but its window closes and the watermark moves. The field cannot be a
 * feature's or the view field's name (names are lowercase identifiers).
 */
export const STREAM_HEARTBEAT_FIELD = '~heartbeat';
/** The heartbeat's schedule, `rate(1 minute)`: EventBridge's finest. */
export const STREAM_HEARTBEAT_SECONDS = 60;
/**
 * What a healthy consumer's watermark may trail besides its windows: one heartbeat period, and one
 * more for EventBridge, which fires a scheduled rule somewhere within its minute.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html
 */
export const STREAM_HEARTBEAT_ALLOWANCE_SECONDS = 2 * STREAM_HEARTBEAT_SECONDS;

/**
 * The online table item holding the consumer's watermark per shard: at each flush it records the
 * arrival time up to which the shard's events are in the tiles (the window's end), newer wins.
 * One platform stream carries every stream view, so one item serves them all. It cannot meet a
 * view's item or bucket, whose keys start with the view name (a lowercase letter).
 */
export const STREAM_WATERMARK_KEY = '~feature-stream#watermark';

/** The record field naming the view an event belongs to (one platform stream carries all views). */
export const STREAM_VIEW_FIELD = 'feature_view';
/**
 * The offline column holding an event's identity, `<shard id>:<sequence number>`: Lambda
 * redelivers records, so offline readers keep one row per id, as the online tiles do.
 */
export const STREAM_EVENT_ID_FIELD = 'event_id';

const IDENTIFIER = /^[a-z][a-z0-9_]{0,62}$/;
const Name = lazySchema(() =>
  z.string().regex(IDENTIFIER, 'must be 1-63 lowercase letters, digits or _, starting with a letter'),
);

/**
 * One aggregate: a function of a feature over a window. `count` may omit `field` (events);
 * with a field it counts the events where the field is not null, as SQL's COUNT(field) does.
 */
export const StreamAggregation = lazySchema(() =>
  z
    .strictObject({
      function: StreamAggregationFunction,
      field: Name.optional(),
      windowSeconds: z
        .number()
        .int()
        .min(MIN_STREAM_WINDOW_SECONDS)
        .max(MAX_STREAM_WINDOW_SECONDS)
        .refine((s) => s % STREAM_TILE_SECONDS === 0, 'must be whole minutes'),
      /** @default - `<field>_<function>_<window>` (`amount_sum_5m`), or `count_<window>` */
      name: Name.optional(),
    })
    .refine((a) => a.function === 'count' || a.field !== undefined, {
      message: 'only count may omit field',
      path: ['field'],
    }),
);
export type StreamAggregation = z.infer<typeof StreamAggregation>;

/**
 * A view fed by the feature stream. Its `features` are the event's fields (validated as a push);
 * what `get-online-features` serves are the aggregation outputs.
 */
export const StreamSource = lazySchema(() =>
  z.strictObject({
    type: z.literal('stream'),
    aggregations: z.array(StreamAggregation).min(1).max(MAX_STREAM_AGGREGATIONS),
    /**
     * How long after its event time an event may arrive on the stream and still count online.
     * @default 60
     */
    allowedLatenessSeconds: z.number().int().min(0).max(MAX_ALLOWED_LATENESS_SECONDS).default(60),
  }),
);
export type StreamSource = z.infer<typeof StreamSource>;

/** `5m`, `1h`, `90m`: the window part of a default aggregate name. */
export function windowLabel(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}h` : `${seconds / 60}m`;
}

/** The feature name an aggregation is served under. */
export function aggregationName(a: StreamAggregation): string {
  if (a.name) return a.name;
  const window = windowLabel(a.windowSeconds);
  return a.field === undefined ? `count_${window}` : `${a.field}_${a.function}_${window}`;
}

/** Why a stream source does not fit the view's features; empty when it does. */
export function streamSourceProblems(
  source: StreamSource,
  features: ReadonlyArray<{ readonly name: string; readonly dtype: string }>,
  entityNames: readonly string[],
): string[] {
  const problems: string[] = [];
  for (const reserved of [STREAM_VIEW_FIELD, STREAM_EVENT_ID_FIELD]) {
    if (features.some((f) => f.name === reserved) || entityNames.includes(reserved)) {
      problems.push(`${reserved} is reserved in a stream view`);
    }
  }
  const dtypes = new Map(features.map((f) => [f.name, f.dtype]));
  const names = new Set<string>();
  for (const a of source.aggregations) {
    const name = aggregationName(a);
    if (names.has(name)) problems.push(`aggregation ${name} is declared twice`);
    if (entityNames.includes(name)) problems.push(`aggregation ${name} shadows an entity`);
    names.add(name);
    if (a.field === undefined) continue;
    const dtype = dtypes.get(a.field);
    if (dtype === undefined) {
      problems.push(`aggregation ${name}: ${a.field} is not a feature of the view`);
    } else if (a.function !== 'count' && a.function !== 'last' && dtype !== 'int64' && dtype !== 'float64') {
      problems.push(
        `aggregation ${name}: ${a.function} needs an int64 or float64 feature, ${a.field} is ${dtype}`,
      );
    }
  }
  return problems;
}

/** The metrics the stream consumer emits per invocation (Embedded Metric Format). */
export const STREAM_METRICS = {
  namespace: 'cdk-mlops/FeatureStore',
  accepted: 'StreamEventsAccepted',
  /** Refused by validation; each is in the dead letters with its reason. */
  rejected: 'StreamEventsRejected',
  /** Past the allowed lateness: offline only, dropped from the online value. */
  late: 'StreamEventsLate',
  /** Redelivered records skipped online. */
  duplicates: 'StreamEventsDuplicate',
  /** Of an erased entity (a tombstone holds its key): dropped everywhere, never dead-lettered. */
  erased: 'StreamEventsErased',
} as const;
