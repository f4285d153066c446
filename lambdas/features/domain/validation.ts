/**
 * Row validation against a feature view: the gate every push passes before anything is written.
 * A batch is all or nothing, so every problem of every row is collected, never just the first.
 */

import { isStorableNumber, STORABLE_NUMBER_RANGE } from '../../../contracts/dynamodb-number';
import {
  CREATED_TIMESTAMP_FIELD,
  DEFAULT_MAX_FUTURE_SKEW_SECONDS,
  EVENT_TIMESTAMP_FIELD,
  MAX_ENTITY_STRING_LENGTH,
} from '../../../contracts/feature-names';
import type {
  EntitySpec,
  EntityValue,
  FeatureRow,
  FeatureSpec,
  FeatureValue,
  FeatureView,
} from '../../../contracts/features';
import { type RowProblem, ValidationFailedError } from './errors';

/** What validation needs of a view. */
export type ViewSchema = Pick<FeatureView, 'name' | 'entities' | 'features'>;

/** A row as it arrives in JSON. */
export type RawRow = Readonly<Record<string, unknown>>;

export interface ValidationOptions {
  /** The current time, injected so tests and replays are deterministic. */
  readonly now: Date | number;
  /**
   * How far past `now` an event or created timestamp may be.
   * @default 300 (DEFAULT_MAX_FUTURE_SKEW_SECONDS)
   */
  readonly maxFutureSkewSeconds?: number;
}

// ISO 8601 date-time with a zone; a space may stand for the T, as in Feast's push examples.
// A zone is required: JavaScript reads a zoneless date-time as local time, which differs by host.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Parses a timestamp to epoch milliseconds: an ISO 8601 string with a zone, or a number of epoch
 * seconds (Unix time, as Feast's unix_timestamp_val; a milliseconds value lands centuries ahead and
 * fails the future check). Sub-millisecond digits are truncated. Returns undefined when invalid
 * or before 1970.
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const m = ISO_DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6] ?? '0'].map(Number);
  const millis = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  if (year < 1970 || hour > 23 || minute > 59 || second > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  const check = new Date(local);
  // Date.UTC rolls 31 February over into March; a round trip catches impossible dates.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  const zone = m[8];
  if (zone === 'Z' || zone === 'z') return local;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  const ms = local - sign * offsetMinutes * 60_000;
  return ms >= 0 ? ms : undefined;
}

/**
 * A column of a row, own properties only: `constructor` is a valid feature name, and a plain
 * `row[name]` would find Object.prototype's instead of reporting the column missing.
 */
export function column(row: Readonly<Record<string, unknown>>, name: string): unknown {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

/** Checks an entity key value against its declared type; returns the reason it fails, if it does. */
export function entityValueProblem(entity: EntitySpec, value: unknown): Omit<RowProblem, 'row'> | undefined {
  if (value === undefined || value === null) {
    return { field: entity.name, rule: 'REQUIRED', reason: 'entity key is missing' };
  }
  if (entity.valueType === 'int64') {
    return Number.isSafeInteger(value)
      ? undefined
      : { field: entity.name, rule: 'TYPE', reason: `expected int64, got ${describe(value)}` };
  }
  if (typeof value !== 'string' || value.length === 0) {
    return {
      field: entity.name,
      rule: 'TYPE',
      reason: `expected a non-empty string, got ${describe(value)}`,
    };
  }
  return value.length > MAX_ENTITY_STRING_LENGTH
    ? { field: entity.name, rule: 'TOO_LONG', reason: `longer than ${MAX_ENTITY_STRING_LENGTH} characters` }
    : undefined;
}

/**
 * Every problem of every row against the view: entity keys present and typed, event timestamp
 * present, parseable and not beyond the skew into the future, feature dtypes, required values,
 * min/max (inclusive) and allowed values, and no column the view does not know.
 */
export function validateRows(
  view: ViewSchema,
  rows: readonly RawRow[],
  options: ValidationOptions,
): RowProblem[] {
  const latestMs = latestAllowed(options);
  const known = new Set([
    EVENT_TIMESTAMP_FIELD,
    CREATED_TIMESTAMP_FIELD,
    ...view.entities.map((e) => e.name),
    ...view.features.map((f) => f.name),
  ]);
  const problems: RowProblem[] = [];
  rows.forEach((row, index) => {
    const add = (p: Omit<RowProblem, 'row'>) => problems.push({ row: index, ...p });
    for (const entity of view.entities) {
      const problem = entityValueProblem(entity, column(row, entity.name));
      if (problem) add(problem);
    }
    timestampProblems(row, latestMs, true).forEach(add);
    for (const feature of view.features) {
      const problem = featureValueProblem(feature, column(row, feature.name));
      if (problem) add(problem);
    }
    for (const field of Object.keys(row)) {
      if (!known.has(field)) {
        add({ field, rule: 'UNKNOWN_FIELD', reason: `not an entity or feature of view ${view.name}` });
      }
    }
  });
  return problems;
}

/**
 * Validates and normalizes a batch, refusing it whole on any problem. Timestamps become epoch
 * milliseconds, timestamp features ISO strings, missing optional features null; a row without
 * `created_timestamp` gets `now`, so among equal event times the later write wins (Feast's
 * created-timestamp tie-breaker) both online and offline.
 * @throws ValidationFailedError listing every problem
 */
export function toFeatureRows(
  view: ViewSchema,
  rows: readonly RawRow[],
  options: ValidationOptions,
): FeatureRow[] {
  const problems = validateRows(view, rows, options);
  if (problems.length > 0) throw new ValidationFailedError(`Push to ${view.name}`, problems);
  const nowMs = toMs(options.now);
  return rows.map((row) => {
    const entityKey: Record<string, EntityValue> = {};
    for (const e of view.entities) entityKey[e.name] = column(row, e.name) as EntityValue;
    const values: Record<string, FeatureValue> = {};
    for (const f of view.features) values[f.name] = normalizeFeatureValue(f, column(row, f.name));
    return {
      entityKey,
      eventTimestampMs: parseTimestamp(column(row, EVENT_TIMESTAMP_FIELD))!,
      createdTimestampMs: parseTimestamp(column(row, CREATED_TIMESTAMP_FIELD)) ?? nowMs,
      values,
    };
  });
}

/**
 * Problems of entity rows for a training set or batch lookup: the join keys of every view
 * present and typed, and `event_timestamp` valid. Other columns (labels) pass through unchecked;
 * entity rows may lie in the future (scoring ahead), so no skew check.
 */
export function validateEntityRows(entities: readonly EntitySpec[], rows: readonly RawRow[]): RowProblem[] {
  const problems: RowProblem[] = [];
  rows.forEach((row, index) => {
    for (const entity of entities) {
      const problem = entityValueProblem(entity, column(row, entity.name));
      if (problem) problems.push({ row: index, ...problem });
    }
    for (const p of timestampProblems(row, Number.POSITIVE_INFINITY, false))
      problems.push({ row: index, ...p });
  });
  return problems;
}

function featureValueProblem(feature: FeatureSpec, value: unknown): Omit<RowProblem, 'row'> | undefined {
  const field = feature.name;
  if (value === undefined || value === null) {
    return feature.required
      ? { field, rule: 'REQUIRED', reason: 'required feature is null or missing' }
      : undefined;
  }
  const typeOk = {
    int64: () => Number.isSafeInteger(value),
    float64: () => typeof value === 'number' && Number.isFinite(value),
    string: () => typeof value === 'string',
    bool: () => typeof value === 'boolean',
    timestamp: () => parseTimestamp(value) !== undefined,
  }[feature.dtype]();
  if (!typeOk) return { field, rule: 'TYPE', reason: `expected ${feature.dtype}, got ${describe(value)}` };
  // The online store is DynamoDB: a number it cannot hold would fail the push half-written.
  if (typeof value === 'number' && !isStorableNumber(value)) {
    return { field, rule: 'RANGE', reason: `must be ${STORABLE_NUMBER_RANGE} (got ${value})` };
  }
  if (typeof value === 'number' && feature.min !== undefined && value < feature.min) {
    return { field, rule: 'MIN', reason: `below minimum ${feature.min} (got ${value})` };
  }
  if (typeof value === 'number' && feature.max !== undefined && value > feature.max) {
    return { field, rule: 'MAX', reason: `above maximum ${feature.max} (got ${value})` };
  }
  if (feature.allowedValues !== undefined && !feature.allowedValues.includes(value as string | number)) {
    return { field, rule: 'ALLOWED_VALUES', reason: `${describe(value)} is not one of the allowed values` };
  }
  return undefined;
}

function timestampProblems(row: RawRow, latestMs: number, createdToo: boolean): Omit<RowProblem, 'row'>[] {
  const problems: Omit<RowProblem, 'row'>[] = [];
  const fields = createdToo ? [EVENT_TIMESTAMP_FIELD, CREATED_TIMESTAMP_FIELD] : [EVENT_TIMESTAMP_FIELD];
  for (const field of fields) {
    const raw = column(row, field);
    if (raw === undefined || raw === null) {
      if (field === EVENT_TIMESTAMP_FIELD)
        problems.push({ field, rule: 'REQUIRED', reason: 'event timestamp is missing' });
      continue;
    }
    const ms = parseTimestamp(raw);
    if (ms === undefined) {
      problems.push({
        field,
        rule: 'TIMESTAMP_FORMAT',
        reason: `expected ISO 8601 with a zone (2024-05-01T12:00:00Z) or epoch seconds, got ${describe(raw)}`,
      });
    } else if (ms > latestMs) {
      problems.push({
        field,
        rule: 'TIMESTAMP_IN_FUTURE',
        reason: `${new Date(ms).toISOString()} is more than the allowed skew in the future`,
      });
    }
  }
  return problems;
}

function normalizeFeatureValue(feature: FeatureSpec, value: unknown): FeatureValue {
  if (value === undefined || value === null) return null;
  return feature.dtype === 'timestamp'
    ? new Date(parseTimestamp(value)!).toISOString()
    : (value as FeatureValue);
}

function latestAllowed(options: ValidationOptions): number {
  return toMs(options.now) + (options.maxFutureSkewSeconds ?? DEFAULT_MAX_FUTURE_SKEW_SECONDS) * 1000;
}

function toMs(now: Date | number): number {
  return typeof now === 'number' ? now : now.getTime();
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
