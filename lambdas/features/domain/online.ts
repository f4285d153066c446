/**
 * The online store's rules, free of DynamoDB: how an item is keyed, when a write may replace an
 * item ("newer wins"), and how stored items become Feast's get-online-features response.
 * @see https://docs.feast.dev/reference/feature-servers/python-feature-server
 */
import { FULL_NAME_SEPARATOR, parseFeatureRef } from '../../../contracts/feature-names';
import type {
  EntitySpec,
  EntityValue,
  FeatureRow,
  FeatureValue,
  FeatureView,
  FieldStatus,
  GetOnlineFeaturesRequest,
  GetOnlineFeaturesResponse,
} from '../../../contracts/features';
import {
  FeatureNameCollisionError,
  FeatureNotFoundError,
  FeatureViewNotFoundError,
  type RowProblem,
  ValidationFailedError,
} from './errors';
import { column, entityValueProblem } from './validation';

/** What the online rules need of a view. */
export type OnlineView = Pick<FeatureView, 'name' | 'entities' | 'features' | 'ttlSeconds'>;

/** An online item as the adapter reads it: the latest values of one view for one entity key. */
export interface OnlineItem {
  /** Feature name to value; a feature added to the view after this write is absent. */
  readonly values: Readonly<Record<string, FeatureValue>>;
  readonly eventTimestampMs: number;
  readonly createdTimestampMs?: number;
  /**
   * Judged past its max age where it was built (a stream aggregate while the stream's watermark
   * lags), whatever the view's TTL says.
   */
  readonly outsideMaxAge?: boolean;
}

/**
 * Serializes an entity key stably: join keys sorted by name, each `name=type:value` with `i` for
 * int64 and `s` for string, joined by `|`. String values are percent-encoded so `|`, `=` and `%`
 * cannot forge another key, and the type tag keeps 1001 and "1001" apart.
 * @example serializeEntityKey(entities, { zone: 'a|b', driver_id: 7 }) === 'driver_id=i:7|zone=s:a%7Cb'
 */
export function serializeEntityKey(
  entities: readonly EntitySpec[],
  values: Readonly<Record<string, EntityValue>>,
): string {
  return entityKeySerializer(entities)(values);
}

/**
 * {@link serializeEntityKey} for many rows of one view: the join keys are sorted once, not per row
 * (a 1,000-entity lookup serializes 1,000 keys).
 */
export function entityKeySerializer(
  entities: readonly EntitySpec[],
): (values: Readonly<Record<string, EntityValue>>) => string {
  const sorted = [...entities].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return (values) =>
    sorted
      .map((e) => {
        const v = column(values, e.name);
        // String(-0) is "0", and safe integers print canonically, so equal keys give equal text.
        return e.valueType === 'int64'
          ? `${e.name}=i:${String(v)}`
          : `${e.name}=s:${encodeURIComponent(String(v))}`;
      })
      .join('|');
}

/**
 * The online item key of a view and entity key: `<view>#<serialized key>`. The view's version is
 * not part of it: compatible schema changes keep every stored item readable.
 */
export function onlineItemKey(
  view: Pick<FeatureView, 'name' | 'entities'>,
  values: Readonly<Record<string, EntityValue>>,
): string {
  return `${view.name}#${serializeEntityKey(view.entities, values)}`;
}

/** The event and write time of a row or item, which decide which of two writes is newer. */
export interface WriteStamp {
  readonly eventTimestampMs: number;
  readonly createdTimestampMs?: number;
}

/**
 * "Newer wins": `incoming` may replace `existing` when its event time is later, or equal with a
 * created time at least as late (a missing created time counts as earliest, as Feast's
 * MAX(created_timestamp) ignores nulls). An older event never overwrites a newer one, so
 * out-of-order delivery is safe; a replay of the same row is a harmless rewrite.
 */
export function isNewerWrite(incoming: WriteStamp, existing: WriteStamp | undefined): boolean {
  if (existing === undefined) return true;
  if (incoming.eventTimestampMs !== existing.eventTimestampMs) {
    return incoming.eventTimestampMs > existing.eventTimestampMs;
  }
  return (incoming.createdTimestampMs ?? 0) >= (existing.createdTimestampMs ?? 0);
}

/**
 * {@link isNewerWrite} as a DynamoDB condition expression, so the adapter's conditional put
 * enforces exactly the rule tested here. A failed condition means a newer value is stored and
 * the write is skipped, not an error. Items always carry both attributes.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ConditionExpressions.html
 */
export function newerWinsCondition(
  stamp: WriteStamp,
  attributes: { readonly eventTimestamp: string; readonly createdTimestamp: string } = {
    eventTimestamp: 'eventTs',
    createdTimestamp: 'createdTs',
  },
): {
  readonly conditionExpression: string;
  readonly expressionAttributeNames: Record<string, string>;
  readonly expressionAttributeValues: Record<string, number>;
} {
  return {
    conditionExpression: 'attribute_not_exists(#ets) OR #ets < :ets OR (#ets = :ets AND #cts <= :cts)',
    expressionAttributeNames: { '#ets': attributes.eventTimestamp, '#cts': attributes.createdTimestamp },
    expressionAttributeValues: { ':ets': stamp.eventTimestampMs, ':cts': stamp.createdTimestampMs ?? 0 },
  };
}

/**
 * Collapses a batch to the newest row per item key, by {@link isNewerWrite} (a later row of the
 * batch wins a full tie). DynamoDB refuses two writes of one key in a batch, and this is the row
 * the conditional write should carry.
 */
export function latestPerItem(
  view: Pick<FeatureView, 'name' | 'entities'>,
  rows: readonly FeatureRow[],
): Map<string, FeatureRow> {
  const latest = new Map<string, FeatureRow>();
  for (const row of rows) {
    const key = onlineItemKey(view, row.entityKey);
    if (isNewerWrite(row, latest.get(key))) latest.set(key, row);
  }
  return latest;
}

/**
 * Whether a value is too old to serve: its age is strictly more than the TTL. Exactly at the TTL
 * it is still PRESENT, matching the offline join's inclusive edge; a TTL of 0 never expires (Feast).
 * Feast's Go server compares whole seconds; this compares milliseconds, the precision we store.
 */
export function isOutsideMaxAge(eventTimestampMs: number, ttlSeconds: number, nowMs: number): boolean {
  return ttlSeconds > 0 && nowMs - eventTimestampMs > ttlSeconds * 1000;
}

/** A requested feature, resolved against its view, with the column name the response uses. */
export interface ResolvedFeature {
  readonly view: OnlineView;
  readonly feature: string;
  /** `feature`, or `view__feature` with full feature names. */
  readonly outputName: string;
}

/**
 * Resolves `view:feature` refs against the known views, in request order.
 * @throws FeatureViewNotFoundError, FeatureNotFoundError, or FeatureNameCollisionError when two
 *   refs share a short name without full feature names (as Feast refuses)
 */
export function resolveFeatureRefs(
  views: ReadonlyMap<string, OnlineView>,
  refs: readonly string[],
  fullFeatureNames: boolean,
): ResolvedFeature[] {
  const resolved = refs.map((ref) => {
    const { view: viewName, feature } = parseFeatureRef(ref);
    const view = views.get(viewName);
    if (!view) throw new FeatureViewNotFoundError(viewName);
    return {
      view,
      feature,
      outputName: fullFeatureNames ? viewName + FULL_NAME_SEPARATOR + feature : feature,
    };
  });
  for (const [viewName, view] of new Map(resolved.map((r) => [r.view.name, r.view]))) {
    const names = new Set(view.features.map((f) => f.name));
    const missing = resolved
      .filter((r) => r.view.name === viewName && !names.has(r.feature))
      .map((r) => r.feature);
    if (missing.length > 0) throw new FeatureNotFoundError(viewName, missing);
  }
  const counts = new Map<string, number>();
  for (const r of resolved) counts.set(r.outputName, (counts.get(r.outputName) ?? 0) + 1);
  const collisions = [...counts].filter(([, n]) => n > 1).map(([name]) => name);
  if (collisions.length > 0) throw new FeatureNameCollisionError(collisions);
  return resolved;
}

/** What to read for a lookup: per view, the item key of every entity row, and the features. */
export interface OnlineLookupPlan {
  readonly entityNames: readonly string[];
  readonly rowCount: number;
  readonly features: readonly ResolvedFeature[];
  readonly reads: ReadonlyArray<{
    readonly view: OnlineView;
    /** Attributes to project: only the requested features. */
    readonly features: readonly string[];
    /** Item key per entity row, in row order (repeats when rows repeat). */
    readonly itemKeys: readonly string[];
    /** The same keys without repeats: what BatchGetItem should ask for. */
    readonly distinctKeys: readonly string[];
  }>;
  readonly request: GetOnlineFeaturesRequest;
}

/**
 * Checks a lookup against the views and plans its reads. Every join key of every requested view
 * must be given and typed as declared; a column no requested view uses is refused, since it is
 * most likely a misspelt key.
 * @throws the errors of {@link resolveFeatureRefs}, or ValidationFailedError for entity columns
 */
export function planOnlineLookup(
  views: ReadonlyMap<string, OnlineView>,
  request: GetOnlineFeaturesRequest,
): OnlineLookupPlan {
  const features = resolveFeatureRefs(views, request.features, request.full_feature_names);
  const requestedViews = [...new Map(features.map((f) => [f.view.name, f.view])).values()];
  const entityNames = Object.keys(request.entities);
  const rowCount = request.entities[entityNames[0]]?.length ?? 0;
  const problems: RowProblem[] = [];
  const used = new Set<string>();
  for (const view of requestedViews) {
    for (const entity of view.entities) {
      used.add(entity.name);
      const values = column(request.entities, entity.name) as readonly EntityValue[] | undefined;
      if (values === undefined) {
        problems.push({
          field: entity.name,
          rule: 'REQUIRED',
          reason: `view ${view.name} needs entity column`,
        });
        continue;
      }
      values.forEach((value, row) => {
        const problem = entityValueProblem(entity, value);
        if (problem) problems.push({ row, ...problem });
      });
    }
  }
  for (const name of entityNames) {
    if (!used.has(name)) {
      problems.push({
        field: name,
        rule: 'UNKNOWN_FIELD',
        reason: 'no requested feature view has this entity',
      });
    }
  }
  if (problems.length > 0) throw new ValidationFailedError('Online lookup', dedupe(problems));
  const reads = requestedViews.map((view) => {
    const serialize = entityKeySerializer(view.entities);
    const itemKeys = Array.from({ length: rowCount }, (_, row) => {
      const key: Record<string, EntityValue> = {};
      for (const e of view.entities) key[e.name] = request.entities[e.name][row];
      return `${view.name}#${serialize(key)}`;
    });
    const projected = [...new Set(features.filter((f) => f.view === view).map((f) => f.feature))];
    return { view, features: projected, itemKeys, distinctKeys: [...new Set(itemKeys)] };
  });
  return { entityNames, rowCount, features, reads, request };
}

/** The zero timestamp Feast reports for entity columns and NOT_FOUND values. */
export const ZERO_TIMESTAMP = '1970-01-01T00:00:00Z';

/**
 * Formats epoch milliseconds as protobuf's JSON Timestamp, which Feast's feature server emits:
 * UTC, `Z`, fractional digits only when non-zero (`2021-12-31T23:00:00Z`, `...00.250Z`).
 * @see https://protobuf.dev/reference/protobuf/google.protobuf/#timestamp
 */
export function formatFeastTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/**
 * Builds Feast's response from the items read: entity columns first (request order, PRESENT,
 * zero timestamp), then one vector per requested feature in request order. Per value: no item,
 * or an item written before the feature existed, gives NOT_FOUND with null (the zero timestamp
 * when there is no item, as Feast); an item older than the view's TTL, or judged stale where it
 * was built (`outsideMaxAge`), gives OUTSIDE_MAX_AGE and still carries the value (Feast's Go
 * server), so the caller decides; otherwise PRESENT, even when the stored value is null (Feast's
 * Python server).
 * @param items online items by item key, as the adapter read them; absent keys were not found
 */
export function buildOnlineResponse(
  plan: OnlineLookupPlan,
  items: ReadonlyMap<string, OnlineItem>,
  now: Date | number,
): GetOnlineFeaturesResponse {
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const results: GetOnlineFeaturesResponse['results'] = plan.entityNames.map((name) => ({
    values: [...plan.request.entities[name]],
    statuses: new Array<FieldStatus>(plan.rowCount).fill('PRESENT'),
    event_timestamps: new Array<string>(plan.rowCount).fill(ZERO_TIMESTAMP),
  }));
  // Per view and row, once whatever the number of features: the item, its timestamp (formatted
  // once per distinct instant) and whether it is past the view's TTL.
  const rowsByView = new Map(
    plan.reads.map((r) => [r.view.name, readRows(r.view, r.itemKeys, items, nowMs)]),
  );
  for (const feature of plan.features) {
    const rows = rowsByView.get(feature.view.name)!;
    const n = rows.items.length;
    const values = new Array<FeatureValue>(n);
    const statuses = new Array<FieldStatus>(n);
    for (let row = 0; row < n; row++) {
      const item = rows.items[row];
      // A stored value is never undefined (null is a value): one property read for most cells.
      const value = item?.values[feature.feature];
      if (item === undefined || (value === undefined && !Object.hasOwn(item.values, feature.feature))) {
        values[row] = null;
        statuses[row] = 'NOT_FOUND';
      } else {
        values[row] = value as FeatureValue;
        statuses[row] = rows.stale[row] ? 'OUTSIDE_MAX_AGE' : 'PRESENT';
      }
    }
    // A fresh copy per feature: the response's vectors are independent arrays.
    results.push({ values, statuses, event_timestamps: rows.timestamps.slice() });
  }
  return {
    metadata: { feature_names: [...plan.entityNames, ...plan.features.map((f) => f.outputName)] },
    results,
  };
}

/** The rows of one view's read: item (or none), timestamp (zero when none) and staleness per row. */
function readRows(
  view: OnlineView,
  itemKeys: readonly string[],
  items: ReadonlyMap<string, OnlineItem>,
  nowMs: number,
): { items: (OnlineItem | undefined)[]; timestamps: string[]; stale: boolean[] } {
  const n = itemKeys.length;
  const rows = {
    items: new Array<OnlineItem | undefined>(n),
    timestamps: new Array<string>(n),
    stale: new Array<boolean>(n),
  };
  const formatted = new Map<number, string>();
  for (let row = 0; row < n; row++) {
    const item = items.get(itemKeys[row]);
    rows.items[row] = item;
    if (item === undefined) {
      rows.timestamps[row] = ZERO_TIMESTAMP;
      rows.stale[row] = false;
      continue;
    }
    let stamp = formatted.get(item.eventTimestampMs);
    if (stamp === undefined) {
      stamp = formatFeastTimestamp(item.eventTimestampMs);
      formatted.set(item.eventTimestampMs, stamp);
    }
    rows.timestamps[row] = stamp;
    rows.stale[row] =
      item.outsideMaxAge === true || isOutsideMaxAge(item.eventTimestampMs, view.ttlSeconds, nowMs);
  }
  return rows;
}

function dedupe(problems: RowProblem[]): RowProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.row}|${p.field}|${p.rule}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
