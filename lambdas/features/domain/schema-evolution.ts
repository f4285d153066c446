/**
 * Schema evolution of feature views: which changes to a definition keep every stored row and
 * every reader valid (compatible: the version goes up by one) and which do not (refused, each
 * reason listed). The rules follow Avro's reader/writer compatibility, applied to both sides we
 * have: rows already stored (online items, offline Parquet, Glue columns) must still satisfy the
 * new definition, and models reading the features must still get what they were trained on.
 *
 * Compatible:
 * - adding an optional feature (old rows read it as null: Avro's "field with a default");
 * - making a required feature optional; widening min/max or dropping a bound; adding allowed
 *   values or dropping the restriction;
 * - description, tags, owner, TTL, expected interval, offline source, feature descriptions,
 *   feature order (nothing is positional).
 *
 * Incompatible:
 * - any dtype change, widening included (int64 to float64): Avro would promote it, but the
 *   offline Parquet files and the Glue table would then disagree on a column's type;
 * - removing (or renaming) a feature: a model or training set may read it (Feast refuses
 *   nothing here, but this platform cannot see who reads a feature, so it assumes someone does);
 * - adding a required feature, or making one required: stored rows have no value;
 * - narrowing min/max, removing allowed values, or restricting a feature that was free: stored
 *   rows may break the new rule, and a training set would mix both;
 * - any change to the entities (names or key types): every online item key changes.
 * A change that must break these rules is a new feature view.
 * @see https://avro.apache.org/docs/1.11.1/specification/#schema-resolution
 * @see https://docs.feast.dev/getting-started/concepts/feature-view
 */
import type {
  CreateFeatureViewRequest,
  FeatureSpec,
  FeatureView,
  UpdateFeatureViewRequest,
} from '../../../contracts/features';
import { FeatureViewVersionConflictError, IncompatibleSchemaChangeError, type SchemaChange } from './errors';

/** A definition without its identity and bookkeeping: what schema evolution compares. */
export type ViewDefinition = Omit<FeatureView, 'name' | 'version' | 'createdAt' | 'updatedAt'>;

/**
 * Every difference between the current and the proposed definition, each marked compatible or
 * not. An empty list means nothing changed.
 */
export function diffFeatureViews(current: ViewDefinition, next: ViewDefinition): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const entityText = (d: ViewDefinition) =>
    d.entities
      .map((e) => `${e.name}:${e.valueType}`)
      .sort()
      .join(', ');
  if (entityText(current) !== entityText(next)) {
    changes.push({
      kind: 'ENTITIES_CHANGED',
      compatible: false,
      reason: `entities would change from [${entityText(current)}] to [${entityText(next)}], re-keying every item`,
    });
  }
  const before = new Map(current.features.map((f) => [f.name, f]));
  const after = new Map(next.features.map((f) => [f.name, f]));
  for (const [name, old] of before) {
    const now = after.get(name);
    if (now === undefined) {
      changes.push({
        kind: 'FEATURE_REMOVED',
        field: name,
        compatible: false,
        reason: `feature ${name} would be removed`,
      });
    } else {
      changes.push(...diffFeature(old, now));
    }
  }
  for (const [name, added] of after) {
    if (before.has(name)) continue;
    changes.push(
      added.required
        ? {
            kind: 'FEATURE_ADDED',
            field: name,
            compatible: false,
            reason: `new feature ${name} cannot be required: stored rows have no value for it`,
          }
        : { kind: 'FEATURE_ADDED', field: name, compatible: true, reason: `optional feature ${name} added` },
    );
  }
  if (current.ttlSeconds !== next.ttlSeconds) {
    changes.push({
      kind: 'TTL_CHANGED',
      compatible: true,
      reason: `ttlSeconds ${current.ttlSeconds} -> ${next.ttlSeconds}`,
    });
  }
  for (const field of ['owner', 'description', 'tags', 'expectedIntervalSeconds'] as const) {
    if (canonical(current[field]) !== canonical(next[field])) {
      changes.push({ kind: 'METADATA_CHANGED', field, compatible: true, reason: `${field} changed` });
    }
  }
  if (canonical(current.source) !== canonical(next.source)) {
    changes.push({
      kind: 'SOURCE_CHANGED',
      compatible: true,
      reason: `offline source ${canonical(current.source)} -> ${canonical(next.source)}`,
    });
  }
  return changes;
}

/**
 * The first version of a view.
 * @param now ISO timestamp of creation
 */
export function newFeatureView(request: CreateFeatureViewRequest, now: string): FeatureView {
  return { ...request, version: 1, createdAt: now, updatedAt: now };
}

/**
 * Applies an update: refuses it when `expectedVersion` is stale or any change is incompatible,
 * returns the current view untouched when nothing changed (a repeated PUT is a no-op), and
 * otherwise the new definition at the next version.
 * @throws FeatureViewVersionConflictError, IncompatibleSchemaChangeError listing every reason
 */
export function evolveFeatureView(
  current: FeatureView,
  request: UpdateFeatureViewRequest,
  now: string,
): { readonly view: FeatureView; readonly changes: readonly SchemaChange[]; readonly changed: boolean } {
  const { expectedVersion, ...definition } = request;
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new FeatureViewVersionConflictError(current.name, expectedVersion, current.version);
  }
  const changes = diffFeatureViews(current, definition);
  if (changes.some((c) => !c.compatible)) throw new IncompatibleSchemaChangeError(current.name, changes);
  if (changes.length === 0) return { view: current, changes, changed: false };
  const view: FeatureView = {
    ...definition,
    name: current.name,
    version: current.version + 1,
    createdAt: current.createdAt,
    updatedAt: now,
  };
  return { view, changes, changed: true };
}

function diffFeature(old: FeatureSpec, now: FeatureSpec): SchemaChange[] {
  const field = old.name;
  if (old.dtype !== now.dtype) {
    return [
      {
        kind: 'DTYPE_CHANGED',
        field,
        compatible: false,
        reason: `feature ${field} would change dtype ${old.dtype} -> ${now.dtype}`,
      },
    ];
  }
  const changes: SchemaChange[] = [];
  if (old.required !== now.required) {
    changes.push(
      now.required
        ? {
            kind: 'REQUIRED_ADDED',
            field,
            compatible: false,
            reason: `feature ${field} cannot become required: stored rows may hold nulls`,
          }
        : { kind: 'REQUIRED_REMOVED', field, compatible: true, reason: `feature ${field} is now optional` },
    );
  }
  changes.push(...diffBound(field, 'min', old.min, now.min), ...diffBound(field, 'max', old.max, now.max));
  const allowed = diffAllowed(field, old.allowedValues, now.allowedValues);
  if (allowed) changes.push(allowed);
  if (old.description !== now.description) {
    changes.push({
      kind: 'FEATURE_DESCRIPTION_CHANGED',
      field,
      compatible: true,
      reason: `feature ${field} description changed`,
    });
  }
  return changes;
}

function diffBound(
  field: string,
  bound: 'min' | 'max',
  old: number | undefined,
  now: number | undefined,
): SchemaChange[] {
  if (old === now) return [];
  // A lower min or a higher max admits more; an absent bound admits everything.
  const wider = now === undefined || (old !== undefined && (bound === 'min' ? now < old : now > old));
  const text = `feature ${field} ${bound} ${old ?? 'none'} -> ${now ?? 'none'}`;
  return wider
    ? [{ kind: 'RANGE_WIDENED', field, compatible: true, reason: text }]
    : [
        {
          kind: 'RANGE_NARROWED',
          field,
          compatible: false,
          reason: `${text} would narrow the range stored rows met`,
        },
      ];
}

function diffAllowed(
  field: string,
  old: readonly (string | number)[] | undefined,
  now: readonly (string | number)[] | undefined,
): SchemaChange | undefined {
  if (canonical(old ? [...old].sort() : old) === canonical(now ? [...now].sort() : now)) return undefined;
  if (now === undefined) {
    return {
      kind: 'ALLOWED_VALUES_WIDENED',
      field,
      compatible: true,
      reason: `feature ${field} allows any value`,
    };
  }
  if (old === undefined) {
    return {
      kind: 'ALLOWED_VALUES_NARROWED',
      field,
      compatible: false,
      reason: `feature ${field} cannot gain allowed values: stored rows were unrestricted`,
    };
  }
  const removed = old.filter((v) => !now.includes(v));
  return removed.length === 0
    ? {
        kind: 'ALLOWED_VALUES_WIDENED',
        field,
        compatible: true,
        reason: `feature ${field} allows more values`,
      }
    : {
        kind: 'ALLOWED_VALUES_NARROWED',
        field,
        compatible: false,
        reason: `feature ${field} would stop allowing ${removed.map((v) => JSON.stringify(v)).join(', ')}`,
      };
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` compare equal. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v !== null && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
        : v,
    ) ?? 'undefined'
  );
}
