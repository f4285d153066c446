/**
 * Windowed aggregates as mergeable one-minute tiles. A tile holds, per aggregated feature, the
 * count of non-null values, their sum, min, max and the last value (by event time, then event id),
 * so any window is the merge of its tiles in any order, and one Lambda or a thousand give the
 * same answer. `pointInTimeAggregate` computes the same value from raw events with no tiles: the
 * definition the online value is tested against, and what an offline reader computes.
 */
import {
  aggregationName,
  STREAM_TILE_SECONDS,
  type StreamAggregation,
  type StreamSource,
} from '../../../contracts/feature-streams';
import type { EntityValue, FeatureValue } from '../../../contracts/features';

const TILE_MS = STREAM_TILE_SECONDS * 1000;

/** An accepted stream event, typed against its view. */
export interface StreamEvent {
  /** `<shard id>:<sequence number>`: the identity Lambda redelivers under. */
  readonly id: string;
  readonly entityKey: Readonly<Record<string, EntityValue>>;
  readonly eventTimestampMs: number;
  /** When Kinesis received the record (`approximateArrivalTimestamp`); decides lateness. */
  readonly arrivalTimestampMs: number;
  readonly values: Readonly<Record<string, FeatureValue>>;
}

/** The running summary of one feature within a tile. */
export interface FieldPartial {
  /** Non-null values seen. */
  n: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Newest value by (event time, event id), null included. */
  last: { v: FeatureValue; t: number; id: string } | null;
}

/** One minute of one entity's events. */
export interface Tile {
  /** Events, whatever their values. */
  events: number;
  fields: Record<string, FieldPartial>;
}

/** Start (epoch ms) of the tile holding an instant. */
export const tileStart = (ms: number): number => Math.floor(ms / TILE_MS) * TILE_MS;

/** Whether an event arrived past the allowed lateness: dropped online, still kept offline. */
export function isLate(
  event: Pick<StreamEvent, 'eventTimestampMs' | 'arrivalTimestampMs'>,
  source: StreamSource,
): boolean {
  return event.arrivalTimestampMs - event.eventTimestampMs > source.allowedLatenessSeconds * 1000;
}

/** The features a source aggregates: what a tile keeps partials of. */
export function aggregatedFields(source: StreamSource): string[] {
  return [...new Set(source.aggregations.flatMap((a) => (a.field === undefined ? [] : [a.field])))];
}

export const emptyTile = (): Tile => ({ events: 0, fields: {} });

/**
 * Orders event identities: by shard id, then sequence number as a number (Kinesis sequence
 * numbers are decimal strings up to 128 bits, so they compare by length first).
 */
export function compareEventIds(a: string, b: string): number {
  const [sa, qa] = splitId(a);
  const [sb, qb] = splitId(b);
  if (sa !== sb) return sa < sb ? -1 : 1;
  return compareSequenceNumbers(qa, qb);
}

/** Compares two Kinesis sequence numbers (decimal strings). */
export function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitId(id: string): [string, string] {
  const at = id.lastIndexOf(':');
  return [id.slice(0, at), id.slice(at + 1)];
}

/** Whether `a` is later than `b` for `last`: event time, then event id. */
function isAfter(a: { t: number; id: string }, b: { t: number; id: string } | null): boolean {
  if (b === null) return true;
  return a.t !== b.t ? a.t > b.t : compareEventIds(a.id, b.id) > 0;
}

/** Adds one event to a tile in place. */
export function addToTile(tile: Tile, fields: readonly string[], event: StreamEvent): void {
  tile.events += 1;
  for (const field of fields) {
    const v = Object.hasOwn(event.values, field) ? event.values[field] : null;
    tile.fields[field] ??= { n: 0, sum: 0, min: null, max: null, last: null };
    const p = tile.fields[field];
    const stamp = { t: event.eventTimestampMs, id: event.id };
    if (isAfter(stamp, p.last)) p.last = { v, ...stamp };
    if (v === null) continue;
    p.n += 1;
    if (typeof v === 'number') {
      p.sum += v;
      p.min = p.min === null || v < p.min ? v : p.min;
      p.max = p.max === null || v > p.max ? v : p.max;
    }
  }
}

/** Merges `from` into `into` in place; associative and commutative (sums up to rounding). */
export function mergeTile(into: Tile, from: Tile): Tile {
  into.events += from.events;
  for (const [field, q] of Object.entries(from.fields)) {
    const p = into.fields[field];
    if (p === undefined) {
      into.fields[field] = { ...q, last: q.last && { ...q.last } };
      continue;
    }
    p.n += q.n;
    p.sum += q.sum;
    p.min = q.min === null ? p.min : p.min === null || q.min < p.min ? q.min : p.min;
    p.max = q.max === null ? p.max : p.max === null || q.max > p.max ? q.max : p.max;
    if (q.last && isAfter(q.last, p.last)) p.last = { ...q.last };
  }
  return into;
}

/** Tile starts (epoch ms) a window at instant `atMs` covers, oldest first. */
export function windowTileStarts(windowSeconds: number, atMs: number): number[] {
  const last = tileStart(atMs);
  const count = windowSeconds / STREAM_TILE_SECONDS;
  return Array.from({ length: count }, (_, i) => last - (count - 1 - i) * TILE_MS);
}

/** The value an aggregation takes over a merged tile: 0 counts and sums when empty, else null. */
export function aggregateValue(a: StreamAggregation, merged: Tile): FeatureValue {
  if (a.field === undefined) return merged.events;
  const p = merged.fields[a.field];
  switch (a.function) {
    case 'count':
      return p?.n ?? 0;
    case 'sum':
      return p?.sum ?? 0;
    case 'mean':
      return p && p.n > 0 ? p.sum / p.n : null;
    case 'min':
      return p?.min ?? null;
    case 'max':
      return p?.max ?? null;
    case 'last':
      return p?.last?.v ?? null;
  }
}

/**
 * Every aggregation of a source at instant `atMs` from an entity's tiles (by tile start). Tiles
 * outside a window are ignored, so the caller may pass more than needed.
 */
export function windowValues(
  source: StreamSource,
  tiles: ReadonlyMap<number, Tile>,
  atMs: number,
): Record<string, FeatureValue> {
  const byWindow = new Map<number, Tile>();
  const out: Record<string, FeatureValue> = {};
  for (const a of source.aggregations) {
    let merged = byWindow.get(a.windowSeconds);
    if (merged === undefined) {
      merged = emptyTile();
      for (const start of windowTileStarts(a.windowSeconds, atMs)) {
        const t = tiles.get(start);
        if (t) mergeTile(merged, t);
      }
      byWindow.set(a.windowSeconds, merged);
    }
    out[aggregationName(a)] = aggregateValue(a, merged);
  }
  return out;
}

/**
 * The aggregates at instant `atMs` computed straight from one entity's raw events, with no
 * tiles: events deduplicated by id, late ones dropped, those with event time in
 * `[tileStart(atMs) + 1 tile - window, atMs]` kept. The online value equals this whenever no
 * accepted event of the current minute lies after `atMs` (always so for a read at "now" with
 * producers' clocks not ahead of ours).
 */
export function pointInTimeAggregate(
  source: StreamSource,
  events: readonly StreamEvent[],
  atMs: number,
): Record<string, FeatureValue> {
  const seen = new Set<string>();
  const accepted = events.filter((e) => {
    if (seen.has(e.id) || isLate(e, source)) return false;
    seen.add(e.id);
    return e.eventTimestampMs <= atMs;
  });
  const out: Record<string, FeatureValue> = {};
  for (const a of source.aggregations) {
    const from = tileStart(atMs) + TILE_MS - a.windowSeconds * 1000;
    const inWindow = accepted.filter((e) => e.eventTimestampMs >= from);
    out[aggregationName(a)] = naiveAggregate(a, inWindow);
  }
  return out;
}

function naiveAggregate(a: StreamAggregation, events: readonly StreamEvent[]): FeatureValue {
  if (a.field === undefined) return events.length;
  const field = a.field;
  const valued = events.filter((e) => e.values[field] !== null && e.values[field] !== undefined);
  const nums = valued.map((e) => e.values[field]).filter((v): v is number => typeof v === 'number');
  switch (a.function) {
    case 'count':
      return valued.length;
    case 'sum':
      return nums.reduce((s, v) => s + v, 0);
    case 'mean':
      return nums.length > 0 ? nums.reduce((s, v) => s + v, 0) / nums.length : null;
    case 'min':
      return nums.length > 0 ? Math.min(...nums) : null;
    case 'max':
      return nums.length > 0 ? Math.max(...nums) : null;
    case 'last': {
      let best: StreamEvent | undefined;
      for (const e of events) {
        if (
          best === undefined ||
          e.eventTimestampMs > best.eventTimestampMs ||
          (e.eventTimestampMs === best.eventTimestampMs && compareEventIds(e.id, best.id) > 0)
        )
          best = e;
      }
      return best === undefined ? null : (best.values[field] ?? null);
    }
  }
}
