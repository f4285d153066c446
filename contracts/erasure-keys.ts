/**
 * How an erasure recognises what it erases: the tombstone keys of entity keys and experiment
 * units, and the match of an erasure's entities against a row's key. Schema-free, so the functions
 * that only check tombstones (experiments, features, serving) build none of the erasure request's
 * schemas, nor the feature store's it names; `privacy.ts` re-exports them.
 */
import { createHash, createHmac } from 'node:crypto';

/**
 * The tombstone key of an entity key: a SHA-256 of join key and value (as text, so `1001` and
 * `"1001"` are one entity), so the tombstone keeps no personal data yet matches every later row.
 */
export const tombstoneHash = (joinKey: string, value: string | number): string =>
  createHash('sha256')
    .update(`${joinKey}=${String(value)}`)
    .digest('hex');

/**
 * The tombstone key of an experiment's randomization unit (a prediction's `routing_key`): units
 * carry no join key, so an erased entity key's value is erased as a unit whatever its join key.
 */
export const unitTombstoneHash = (unit: string): string =>
  createHash('sha256').update(`unit=${unit}`).digest('hex');

/** The units an erasure clears from experiments: every erased value, as text. */
export const erasedUnits = (entities: Readonly<Record<string, ReadonlyArray<string | number>>>): string[] => [
  ...new Set(Object.values(entities).flatMap((values) => values.map(String))),
];

/** The erased values by join key, as text (`1001` and `"1001"` are one entity). */
export type EntityMatch = ReadonlyMap<string, ReadonlySet<string>>;

export const entityMatch = (
  entities: Readonly<Record<string, ReadonlyArray<string | number>>>,
): EntityMatch => new Map(Object.entries(entities).map(([k, values]) => [k, new Set(values.map(String))]));

/** Whether an entity key (a feature row's, a training set's entity row) holds an erased value. */
export function keyMatches(match: EntityMatch, key: Readonly<Record<string, unknown>>): boolean {
  for (const [joinKey, values] of match) {
    const v = key[joinKey];
    if ((typeof v === 'string' || typeof v === 'number') && values.has(String(v))) return true;
  }
  return false;
}

/**
 * The OIP request parameter an enriched prediction carries to its endpoint: a keyed hash of each
 * entity key it was given (`captureKeyHash`), so its capture record, which holds only features,
 * can be found by an erasure of one of those keys without keeping the key itself.
 */
export const CAPTURE_KEY_HASHES_PARAMETER = 'mlops_entity_key_hashes';

/**
 * The keyed hash of an entity key on a capture record: an HMAC-SHA256 of join key and value (as
 * text, as tombstones) under the platform's capture key, so the hashes in capture files, which
 * monitoring and analysts read, cannot be reversed by hashing every likely customer id.
 * @see https://datatracker.ietf.org/doc/html/rfc2104
 */
export const captureKeyHash = (secret: string, joinKey: string, value: string | number): string =>
  createHmac('sha256', secret)
    .update(`${joinKey}=${String(value)}`)
    .digest('hex');

/** The distinct keyed hashes of every entity key given, by join key. */
export const captureKeyHashes = (
  secret: string,
  entities: Readonly<Record<string, ReadonlyArray<string | number>>>,
): string[] => [
  ...new Set(
    Object.entries(entities).flatMap(([k, values]) => values.map((v) => captureKeyHash(secret, k, v))),
  ),
];
