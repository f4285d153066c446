/**
 * The point-in-time join on in-memory data: the reference the DuckDB (local) and Athena (cloud)
 * queries must agree with, checked against pandas' `merge_asof` in the tests, and the engine for
 * small training sets.
 *
 * For each entity row (join keys, `event_timestamp` T, other columns passed through) and each
 * requested view, the value comes from the view's row with the same key and the latest event
 * time t such that
 *
 *     T - ttl <= t <= T        (ttl 0: no lower bound)
 *
 * Both ends are inclusive, as in Feast's offline stores (`event_timestamp <= entity_timestamp AND
 * event_timestamp >= entity_timestamp - ttl`); so a row exactly one TTL old still joins, and
 * nothing after T ever does (no leakage). Among rows of equal t the greatest created timestamp
 * wins (Feast's created_timestamp tie-breaker, a missing one counting as earliest); a full tie
 * goes to the row that came last. No such row, or no history at all, gives null. Late-arriving
 * rows (written long after their event time) join by event time like any other: this is the
 * backfill semantics of Feast, not an "as known at T" join.
 * @see https://docs.feast.dev/getting-started/concepts/point-in-time-joins
 * @see https://github.com/feast-dev/feast/blob/master/sdk/python/feast/infra/offline_stores/offline_utils.py
 */

import { EVENT_TIMESTAMP_FIELD } from '../../../contracts/feature-names';
import type { EntitySpec, EntityValue, FeatureRow, FeatureValue } from '../../../contracts/features';
import { ValidationFailedError } from './errors';
import { type ResolvedFeature, serializeEntityKey } from './online';
import { column, parseTimestamp, type RawRow, validateEntityRows } from './validation';

/** An entity row of a training set, validated: its columns and its event time. */
export interface EntityRow {
  /** Every column of the request row: join keys, `event_timestamp`, labels and the like. */
  readonly fields: Readonly<Record<string, unknown>>;
  readonly eventTimestampMs: number;
}

/** An entity row with the joined features, keyed by output name (`feature` or `view__feature`). */
export interface JoinedRow extends EntityRow {
  readonly features: Readonly<Record<string, FeatureValue>>;
}

/**
 * Validates raw entity rows against the join keys of the requested views and parses their
 * timestamps.
 * @throws ValidationFailedError listing every bad row
 */
export function toEntityRows(features: readonly ResolvedFeature[], rows: readonly RawRow[]): EntityRow[] {
  const entities = new Map<string, EntitySpec>();
  for (const f of features) for (const e of f.view.entities) entities.set(`${e.name}:${e.valueType}`, e);
  const problems = validateEntityRows([...entities.values()], rows);
  if (problems.length > 0) throw new ValidationFailedError('Training set', problems);
  return rows.map((row) => ({
    fields: row,
    eventTimestampMs: parseTimestamp(column(row, EVENT_TIMESTAMP_FIELD))!,
  }));
}

/**
 * Joins each entity row with the requested features as of its event time (see the module
 * comment for the exact rule). Output rows keep the input order, one per entity row.
 * @param history feature rows per view name, in any order (the order breaks full ties only)
 */
export function pointInTimeJoin(
  entityRows: readonly EntityRow[],
  features: readonly ResolvedFeature[],
  history: ReadonlyMap<string, readonly FeatureRow[]>,
): JoinedRow[] {
  const byView = new Map<string, { view: ResolvedFeature['view']; outputs: ResolvedFeature[] }>();
  for (const f of features) {
    const group = byView.get(f.view.name) ?? { view: f.view, outputs: [] };
    group.outputs.push(f);
    byView.set(f.view.name, group);
  }
  const indexes = new Map(
    [...byView.values()].map(({ view }) => [
      view.name,
      indexHistory(view.entities, history.get(view.name) ?? []),
    ]),
  );
  return entityRows.map((entityRow) => {
    const joined: Record<string, FeatureValue> = {};
    for (const { view, outputs } of byView.values()) {
      const key = serializeEntityKey(view.entities, entityRow.fields as Record<string, EntityValue>);
      const match = asOf(indexes.get(view.name)!.get(key), entityRow.eventTimestampMs, view.ttlSeconds);
      for (const out of outputs)
        joined[out.outputName] =
          match && Object.hasOwn(match.values, out.feature) ? match.values[out.feature] : null;
    }
    return { ...entityRow, features: joined };
  });
}

/** Feature rows grouped by serialized entity key, each group in ascending join order. */
function indexHistory(
  entities: readonly EntitySpec[],
  rows: readonly FeatureRow[],
): Map<string, FeatureRow[]> {
  const groups = new Map<string, { row: FeatureRow; seq: number }[]>();
  rows.forEach((row, seq) => {
    const key = serializeEntityKey(entities, row.entityKey);
    const group = groups.get(key);
    if (group) group.push({ row, seq });
    else groups.set(key, [{ row, seq }]);
  });
  const index = new Map<string, FeatureRow[]>();
  for (const [key, group] of groups) {
    // Ascending by event time, then created time (missing first), then arrival: the last row at
    // or before T is then the winner, the order merge_asof and Feast's MAX(created) both pick.
    group.sort(
      (a, b) =>
        a.row.eventTimestampMs - b.row.eventTimestampMs ||
        (a.row.createdTimestampMs ?? Number.NEGATIVE_INFINITY) -
          (b.row.createdTimestampMs ?? Number.NEGATIVE_INFINITY) ||
        a.seq - b.seq,
    );
    index.set(
      key,
      group.map((g) => g.row),
    );
  }
  return index;
}

/** The last row with event time <= T, if it is within the TTL (inclusive); else undefined. */
function asOf(
  rows: readonly FeatureRow[] | undefined,
  atMs: number,
  ttlSeconds: number,
): FeatureRow | undefined {
  if (rows === undefined || rows.length === 0) return undefined;
  // Binary search for the first row after T; the one before it is the candidate.
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid].eventTimestampMs <= atMs) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const candidate = rows[lo - 1];
  // Older rows are older still, so if the latest is past the TTL, nothing joins.
  if (ttlSeconds > 0 && candidate.eventTimestampMs < atMs - ttlSeconds * 1000) return undefined;
  return candidate;
}
