/**
 * Stream ingestion, free of Lambda and DynamoDB: a batch of one shard's records is validated as a
 * push is (rejected events go to the dead letters with their reasons), every accepted event lands
 * offline, and the on-time ones are added to the tumbling window's state as tiles grouped by
 * entity and hour ("buckets"). At the window's end (or when the state nears Lambda's 1 MB) the
 * state is merged into the stored buckets. Each stored bucket keeps, per shard, the sequence number
 * of the newest event it holds, so a redelivered record is counted once.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 */

import { CREATED_TIMESTAMP_FIELD, DEFAULT_MAX_FUTURE_SKEW_SECONDS } from '../../../contracts/feature-names';
import {
  aggregationName,
  MAX_ALLOWED_LATENESS_SECONDS,
  MAX_STREAM_WINDOW_SECONDS,
  STREAM_EVENT_ID_FIELD,
  STREAM_HEARTBEAT_FIELD,
  STREAM_VIEW_FIELD,
  type StreamSource,
} from '../../../contracts/feature-streams';
import type { EntityValue, FeatureRow, FeatureView } from '../../../contracts/features';
import { entityHashes } from './entity-hashes';
import { entityKeySerializer } from './online';
import type { OfflineStore, TombstoneReader } from './ports';
import { flushWatermark, type ShardWatermark, type StreamWindowInfo } from './stream-freshness';
import {
  addToTile,
  aggregatedFields,
  compareSequenceNumbers,
  emptyTile,
  isLate,
  mergeTile,
  type StreamEvent,
  type Tile,
} from './stream-tiles';
import { toFeatureRows } from './validation';

/** Width of a stored bucket of tiles: a 24-hour window reads 25 items per entity. */
export const BUCKET_MS = 3_600_000;
/**
 * Lambda refuses a window state over 1 MB; flushing at this serialized size leaves room for the
 * batch that pushes it over.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-windows.html
 */
export const STATE_FLUSH_BYTES = 700_000;

/** A stream view: a feature view whose source is the feature stream. */
export type StreamFeatureView = FeatureView & { readonly source: StreamSource };

export const isStreamView = (view: FeatureView): view is StreamFeatureView => view.source.type === 'stream';

/** The stored item key of an entity's bucket: `<view>#<serialized key>#h<bucket start ms>`. */
export function bucketKey(
  view: Pick<FeatureView, 'name' | 'entities'>,
  entityKey: Readonly<Record<string, EntityValue>>,
  atMs: number,
): string {
  return `${view.name}#${entityKeySerializer(view.entities)(entityKey)}#h${Math.floor(atMs / BUCKET_MS) * BUCKET_MS}`;
}

/** The bucket keys a read at `atMs` needs for an entity, for windows up to `windowSeconds`. */
export function bucketKeysFor(
  view: Pick<FeatureView, 'name' | 'entities'>,
  entityKey: Readonly<Record<string, EntityValue>>,
  windowSeconds: number,
  atMs: number,
): string[] {
  const keys: string[] = [];
  const first = Math.floor((atMs - windowSeconds * 1000 + 1) / BUCKET_MS) * BUCKET_MS;
  for (let b = first; b <= atMs; b += BUCKET_MS) keys.push(bucketKey(view, entityKey, b));
  return keys;
}

/**
 * How long after its end a bucket may still be stored: DynamoDB deletes an item whose TTL passed
 * within a few days, not at once, and an erasure must find it meanwhile.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
const TTL_DELETION_LAG_MS = 3 * 86_400_000;

/**
 * Every key under which an entity's events may be stored at `nowMs`: the buckets not yet deleted
 * by their TTL (see {@link bucketExpiresAtSeconds}, plus DynamoDB's deletion lag) up to the
 * bucket holding the furthest event time validation lets in (the future skew).
 */
export function storedBucketKeys(
  view: Pick<FeatureView, 'name' | 'entities'>,
  entityKey: Readonly<Record<string, EntityValue>>,
  nowMs: number,
): string[] {
  const oldest =
    nowMs -
    BUCKET_MS -
    (MAX_STREAM_WINDOW_SECONDS + MAX_ALLOWED_LATENESS_SECONDS) * 1000 -
    TTL_DELETION_LAG_MS;
  const newest = nowMs + DEFAULT_MAX_FUTURE_SKEW_SECONDS * 1000;
  const keys: string[] = [];
  for (let b = Math.floor(oldest / BUCKET_MS) * BUCKET_MS; b <= newest; b += BUCKET_MS) {
    keys.push(bucketKey(view, entityKey, b));
  }
  return keys;
}

/** A stored bucket: tiles by start (ms, as text), newest sequence number per shard, version. */
export interface TileBucket {
  readonly tiles: Record<string, Tile>;
  readonly hwm: Record<string, string>;
  readonly version: number;
}

/** What one window's state adds to one bucket from one shard. */
export interface TileContribution {
  readonly shardId: string;
  readonly firstSeq: string;
  readonly lastSeq: string;
  readonly tiles: Record<string, Tile>;
}

/** Refused: part of a contribution is stored already, so neither adding nor skipping it is exact. */
export class TileReplayOverlapError extends Error {
  constructor(key: string, shardId: string) {
    super(`bucket ${key} already holds part of the events of shard ${shardId} being merged`);
    this.name = 'TileReplayOverlapError';
  }
}

/**
 * Merges a contribution into a stored bucket. A shard's events reach a bucket in sequence order,
 * so the stored high-water mark tells whether the contribution is new (all after it), a replay
 * (all at or before it) or, after an interrupted flush of another split of the batch, neither.
 * @throws TileReplayOverlapError in that last case
 */
export function applyContribution(
  key: string,
  existing: TileBucket | undefined,
  c: TileContribution,
): TileBucket | 'duplicate' {
  const hwm = existing?.hwm[c.shardId];
  if (hwm !== undefined && compareSequenceNumbers(hwm, c.lastSeq) >= 0) return 'duplicate';
  if (hwm !== undefined && compareSequenceNumbers(hwm, c.firstSeq) >= 0) {
    throw new TileReplayOverlapError(key, c.shardId);
  }
  // Untouched tiles are shared with `existing`; touched ones are merged into fresh copies.
  const tiles: Record<string, Tile> = { ...existing?.tiles };
  for (const [start, tile] of Object.entries(c.tiles)) {
    const copy = tiles[start] ? mergeTile(emptyTile(), tiles[start]) : emptyTile();
    tiles[start] = mergeTile(copy, tile);
  }
  return { tiles, hwm: { ...existing?.hwm, [c.shardId]: c.lastSeq }, version: (existing?.version ?? 0) + 1 };
}

/** When a bucket may be deleted: past its end, the longest window and the longest lateness. */
export function bucketExpiresAtSeconds(key: string): number {
  const start = Number(key.slice(key.lastIndexOf('#h') + 2));
  return Math.ceil((start + BUCKET_MS) / 1000) + MAX_STREAM_WINDOW_SECONDS + MAX_ALLOWED_LATENESS_SECONDS;
}

/** The stored tiles, where buckets are read, merged and written (a DynamoDB table on AWS). */
export interface StreamTileStore {
  /** The stored high-water mark of `shardId` per bucket key; keys without one are absent. */
  highWaterMarks(keys: readonly string[], shardId: string): Promise<Map<string, string>>;
  /** Merges a contribution with {@link applyContribution}, conditioned on the version it read. */
  merge(key: string, contribution: TileContribution): Promise<'applied' | 'duplicate'>;
  read(keys: readonly string[]): Promise<Map<string, TileBucket>>;
  /**
   * Stores a shard's watermark unless a later one is stored ({@link isNewerWatermark}, enforced by
   * the write's condition); false when it was left alone.
   * @default - no watermark is kept, and reads cannot judge the stream's freshness
   */
  advanceWatermark?(shardId: string, mark: ShardWatermark): Promise<boolean>;
}

/** An event refused, with why; what the dead-letter object holds. */
export interface RejectedEvent {
  readonly eventId: string;
  readonly reason: string;
  readonly data: string;
}

/** Where rejected events go: one object per batch, keyed so a retried batch rewrites it. */
export interface DeadLetters {
  put(key: string, events: readonly RejectedEvent[]): Promise<void>;
}

/** A Kinesis record reduced to what ingestion needs. */
export interface StreamRecordIn {
  readonly sequenceNumber: string;
  readonly arrivalTimestampMs: number;
  /** The record's data as text (UTF-8 JSON expected). */
  readonly data: string;
}

/** The tumbling window's state, carried by Lambda between the window's invocations. */
export interface StreamWindowState {
  /** The shard the window belongs to; a final invocation may carry no record to tell. */
  shardId?: string;
  buckets: Record<
    string,
    {
      /** The stored high-water mark of this shard when loaded or last flushed; null when none. */
      known: string | null;
      firstSeq?: string;
      lastSeq?: string;
      tiles: Record<string, Tile>;
      /** The tombstone hashes of the bucket's entity, checked again before the flush. */
      hashes?: string[];
    }
  >;
}

export const emptyWindowState = (): StreamWindowState => ({ buckets: {} });

export interface StreamIngestDeps {
  readonly views: { get(name: string): Promise<FeatureView | undefined> };
  readonly offline: Pick<OfflineStore, 'append'>;
  readonly tiles: StreamTileStore;
  readonly deadLetters: DeadLetters;
  /** Erasures' tombstones: events of an erased entity are dropped (absent: nothing is erased). */
  readonly tombstones?: TombstoneReader;
  readonly now: () => Date;
}

/** What one invocation did. */
export interface StreamIngestResult {
  readonly state: StreamWindowState;
  readonly accepted: number;
  readonly rejected: number;
  /** Accepted, but past the allowed lateness: offline only. */
  readonly late: number;
  /** Already in the stored tiles or the window's state (redelivered). */
  readonly duplicates: number;
  /** Heartbeat records: kept nowhere, they only make the window close (see `STREAM_HEARTBEAT_FIELD`). */
  readonly heartbeats: number;
  /** Buckets merged into the store by this invocation's flush. */
  readonly bucketsFlushed: number;
  /** The shard's watermark this invocation's flush stored (absent when none, or a newer one stood). */
  readonly watermark?: ShardWatermark;
  /**
   * Events of an erased entity, dropped: on arrival (nowhere written, not even dead-lettered, which
   * would keep the personal data the erasure removed) or, erased while the window held them, at
   * the flush.
   */
  readonly erased: number;
}

/** The view's rows as they land offline: its features plus the event id (created time = arrival). */
export function offlineViewOf(view: FeatureView): FeatureView {
  return {
    ...view,
    features: [
      ...view.features,
      { name: STREAM_EVENT_ID_FIELD, dtype: 'string', required: true, description: 'shard:sequence' },
    ],
  };
}

/**
 * Ingests one batch of one shard. Offline first: if it fails the whole batch fails and the state
 * is returned unchanged, so a retry starts again from the same state. The flush runs when
 * `flush` is set (the window's final invocation) or the state passes {@link STATE_FLUSH_BYTES};
 * once its tiles are merged, the shard's watermark moves (see `stream-freshness.ts`).
 */
export async function ingestStreamBatch(
  deps: StreamIngestDeps,
  input: {
    readonly shardId: string;
    readonly records: readonly StreamRecordIn[];
    readonly state: StreamWindowState | undefined;
    readonly flush: boolean;
    /** The tumbling window of the invocation, when Lambda names it. */
    readonly window?: StreamWindowInfo;
    /** Lambda's `isFinalInvokeForWindow`. @default - `flush` */
    readonly finalForWindow?: boolean;
  },
): Promise<StreamIngestResult> {
  const { shardId, records } = input;
  // Lambda retries a failed batch with the state it had before: never change the caller's.
  const state: StreamWindowState = JSON.parse(JSON.stringify(input.state ?? emptyWindowState()));
  state.shardId ??= shardId;
  const nowMs = deps.now().getTime();
  const rejected: RejectedEvent[] = [];
  const accepted: Array<{ view: StreamFeatureView; event: StreamEvent; seq: string }> = [];
  const viewCache = new Map<string, Promise<FeatureView | undefined>>();
  let heartbeats = 0;
  for (const record of records) {
    const eventId = `${shardId}:${record.sequenceNumber}`;
    const reject = (reason: string) => rejected.push({ eventId, reason, data: record.data });
    let body: unknown;
    try {
      body = JSON.parse(record.data);
    } catch {
      reject('data is not JSON');
      continue;
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      reject('data is not a JSON object');
      continue;
    }
    if (isHeartbeat(body as Record<string, unknown>)) {
      heartbeats++;
      continue;
    }
    const { [STREAM_VIEW_FIELD]: viewName, ...row } = body as Record<string, unknown>;
    if (typeof viewName !== 'string') {
      reject(`${STREAM_VIEW_FIELD} is missing`);
      continue;
    }
    if (!viewCache.has(viewName)) viewCache.set(viewName, deps.views.get(viewName));
    const view = await viewCache.get(viewName);
    if (view === undefined || !isStreamView(view)) {
      reject(
        view === undefined
          ? `feature view ${viewName} does not exist`
          : `feature view ${viewName} is not fed by the stream`,
      );
      continue;
    }
    // The arrival time is the created time: no producer may set it.
    if (Object.hasOwn(row, CREATED_TIMESTAMP_FIELD)) {
      reject(`${CREATED_TIMESTAMP_FIELD} is set by the stream, not the producer`);
      continue;
    }
    try {
      const [parsed] = toFeatureRows(view, [row], { now: nowMs });
      accepted.push({
        view,
        seq: record.sequenceNumber,
        event: {
          id: eventId,
          entityKey: parsed.entityKey,
          eventTimestampMs: parsed.eventTimestampMs,
          arrivalTimestampMs: record.arrivalTimestampMs,
          values: parsed.values,
        },
      });
    } catch (err) {
      const problems = (err as { problems?: ReadonlyArray<{ field: string; reason: string }> }).problems;
      reject(problems ? problems.map((p) => `${p.field}: ${p.reason}`).join('; ') : String(err));
    }
  }

  if (rejected.length > 0) {
    await deps.deadLetters.put(`${shardId}/${records[0].sequenceNumber}`, rejected);
  }
  const erasedOnArrival = await dropErased(deps.tombstones, accepted);
  await appendOffline(deps.offline, accepted);

  // Online: late events are dropped, redelivered ones skipped by the high-water marks.
  let late = 0;
  let duplicates = 0;
  const onTime = accepted.filter(({ view, event }) => {
    if (!isLate(event, view.source)) return true;
    late++;
    return false;
  });
  const keyed = onTime.map((a) => ({
    ...a,
    key: bucketKey(a.view, a.event.entityKey, a.event.eventTimestampMs),
  }));
  const unknown = [...new Set(keyed.map((a) => a.key).filter((k) => !Object.hasOwn(state.buckets, k)))];
  if (unknown.length > 0) {
    const marks = await deps.tiles.highWaterMarks(unknown, shardId);
    for (const key of unknown) state.buckets[key] = { known: marks.get(key) ?? null, tiles: {} };
  }
  for (const { view, event, seq, key } of keyed) {
    const bucket = state.buckets[key];
    const after = bucket.lastSeq ?? bucket.known;
    if (after !== null && compareSequenceNumbers(seq, after) <= 0) {
      duplicates++;
      continue;
    }
    const start = String(Math.floor(event.eventTimestampMs / 60_000) * 60_000);
    bucket.hashes ??= entityHashes(view, event.entityKey);
    bucket.tiles[start] ??= emptyTile();
    addToTile(bucket.tiles[start], aggregatedFields(view.source), event);
    bucket.firstSeq ??= seq;
    bucket.lastSeq = seq;
  }

  let bucketsFlushed = 0;
  let erasedAtFlush = 0;
  const flushed = input.flush || JSON.stringify(state).length > STATE_FLUSH_BYTES;
  if (flushed) {
    ({ flushed: bucketsFlushed, erased: erasedAtFlush } = await flushState(deps, shardId, state));
  }
  const mark = flushWatermark({
    window: input.window,
    finalForWindow: input.finalForWindow ?? input.flush,
    flushed,
    arrivalTimestampsMs: records.map((r) => r.arrivalTimestampMs),
    nowMs: deps.now().getTime(),
  });
  const stored = mark !== undefined && (await deps.tiles.advanceWatermark?.(shardId, mark)) === true;
  return {
    state,
    accepted: accepted.length,
    rejected: rejected.length,
    late,
    duplicates,
    heartbeats,
    bucketsFlushed,
    ...(stored ? { watermark: mark } : {}),
    erased: erasedOnArrival + erasedAtFlush,
  };
}

/** A heartbeat holds its field and nothing else; anything more is an event, judged as one. */
function isHeartbeat(body: Record<string, unknown>): boolean {
  const keys = Object.keys(body);
  return keys.length === 1 && keys[0] === STREAM_HEARTBEAT_FIELD;
}

/** Removes the events of erased entities from `accepted` (in place); how many there were. */
async function dropErased(
  tombstones: TombstoneReader | undefined,
  accepted: Array<{ view: StreamFeatureView; event: StreamEvent }>,
): Promise<number> {
  if (!tombstones || accepted.length === 0) return 0;
  const hashes = accepted.map(({ view, event }) => entityHashes(view, event.entityKey));
  const erased = await tombstones.erased([...new Set(hashes.flat())]);
  if (erased.size === 0) return 0;
  const kept = accepted.filter((_, i) => !hashes[i].some((h) => erased.has(h)));
  const dropped = accepted.length - kept.length;
  accepted.splice(0, accepted.length, ...kept);
  return dropped;
}

/**
 * Merges every bucket of the state that holds events into the store, then empties it, keeping
 * only the high-water marks (so a later batch of the window still skips what was flushed).
 */
async function flushState(
  deps: Pick<StreamIngestDeps, 'tiles' | 'tombstones'>,
  shardId: string,
  state: StreamWindowState,
): Promise<{ flushed: number; erased: number }> {
  // An entity erased while its events sat in the window: the erasure deleted its stored buckets,
  // and merging these would bring part of it back.
  const pending = Object.values(state.buckets).filter((b) => b.lastSeq !== undefined);
  const erasedHashes = deps.tombstones
    ? await deps.tombstones.erased([...new Set(pending.flatMap((b) => b.hashes ?? []))])
    : new Set<string>();
  let flushed = 0;
  let erased = 0;
  for (const [key, bucket] of Object.entries(state.buckets)) {
    if (bucket.firstSeq === undefined || bucket.lastSeq === undefined) continue;
    if (bucket.hashes?.some((h) => erasedHashes.has(h))) {
      erased += Object.values(bucket.tiles).reduce((n, t) => n + t.events, 0);
      state.buckets[key] = { known: bucket.lastSeq, tiles: {} };
      continue;
    }
    await deps.tiles.merge(key, {
      shardId,
      firstSeq: bucket.firstSeq,
      lastSeq: bucket.lastSeq,
      tiles: bucket.tiles,
    });
    state.buckets[key] = { known: bucket.lastSeq, tiles: {} };
    flushed++;
  }
  return { flushed, erased };
}

async function appendOffline(
  offline: Pick<OfflineStore, 'append'>,
  accepted: ReadonlyArray<{ view: StreamFeatureView; event: StreamEvent }>,
): Promise<void> {
  const byView = new Map<string, { view: StreamFeatureView; rows: FeatureRow[] }>();
  for (const { view, event } of accepted) {
    const group = byView.get(view.name) ?? { view, rows: [] };
    group.rows.push({
      entityKey: event.entityKey,
      eventTimestampMs: event.eventTimestampMs,
      createdTimestampMs: event.arrivalTimestampMs,
      values: { ...event.values, [STREAM_EVENT_ID_FIELD]: event.id },
    });
    byView.set(view.name, group);
  }
  for (const { view, rows } of byView.values()) await offline.append(offlineViewOf(view), rows);
}

/** The feature names a stream view serves online, in declaration order. */
export const servedFeatureNames = (source: StreamSource): string[] =>
  source.aggregations.map(aggregationName);
