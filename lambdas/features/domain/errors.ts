/**
 * Errors of the feature store domain. Each knows its HTTP status and a SCREAMING_SNAKE `code`, as
 * Feast's errors know theirs, so a handler renders `{ "error": { "code", "message", "details" } }`
 * without a mapping table. `FeatureStoreError` extends the platform's `PlatformError`, which
 * has no I/O, so the domain stays pure.
 * @see https://github.com/feast-dev/feast/blob/master/sdk/python/feast/errors.py
 */

import { type ErrorCode, PlatformError } from '../../shared/errors';

/** One reason a row (or a request) was refused; `row` is absent when the whole request is at fault. */
export interface RowProblem {
  /** Index of the row in the pushed batch, or of the entity in a lookup's entity columns. */
  readonly row?: number;
  /** The column at fault: an entity key, a feature, `event_timestamp` or `created_timestamp`. */
  readonly field: string;
  /** Which rule failed, for clients that branch on it. */
  readonly rule: ProblemRule;
  /** Human-readable reason, e.g. `above maximum 1 (got 1.5)`. */
  readonly reason: string;
}

/** The validation rules a row can fail. */
export type ProblemRule =
  | 'REQUIRED'
  | 'TYPE'
  | 'MIN'
  | 'MAX'
  | 'ALLOWED_VALUES'
  | 'RANGE'
  | 'UNKNOWN_FIELD'
  | 'TIMESTAMP_FORMAT'
  | 'TIMESTAMP_IN_FUTURE'
  | 'TOO_LONG'
  | 'NAME_FORMAT';

/** Problems listed in an error's details at most; the count and every bad row index are always given. */
export const MAX_REPORTED_PROBLEMS = 1000;

/**
 * Base of every feature store error: a `PlatformError` (so the shared router renders it), with
 * `details` always an object.
 */
export class FeatureStoreError extends PlatformError {
  declare public readonly details?: Record<string, unknown>;

  public constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(code, message, options);
    this.name = 'FeatureStoreError';
  }
}

/** 404: the named feature view does not exist (Feast's FeatureViewNotFoundException). */
export class FeatureViewNotFoundError extends FeatureStoreError {
  public constructor(viewName: string) {
    super('FEATURE_VIEW_NOT_FOUND', `Feature view ${viewName} does not exist`, {
      details: { featureView: viewName },
    });
    this.name = 'FeatureViewNotFoundError';
  }
}

/** 404: a feature reference names a feature its view does not have. */
export class FeatureNotFoundError extends FeatureStoreError {
  public constructor(viewName: string, featureNames: readonly string[]) {
    super(
      'FEATURE_NOT_FOUND',
      `Feature view ${viewName} has no feature${featureNames.length > 1 ? 's' : ''} ${featureNames.join(', ')}`,
      { details: { featureView: viewName, features: [...featureNames] } },
    );
    this.name = 'FeatureNotFoundError';
  }
}

/** 409: a feature view with this name already exists. */
export class FeatureViewAlreadyExistsError extends FeatureStoreError {
  public constructor(viewName: string) {
    super('FEATURE_VIEW_ALREADY_EXISTS', `Feature view ${viewName} already exists`, {
      details: { featureView: viewName },
    });
    this.name = 'FeatureViewAlreadyExistsError';
  }
}

/** 409: an update named the version it started from, and the view has moved on since. */
export class FeatureViewVersionConflictError extends FeatureStoreError {
  public constructor(viewName: string, expectedVersion: number, currentVersion: number) {
    super(
      'FEATURE_VIEW_VERSION_CONFLICT',
      `Feature view ${viewName} is at version ${currentVersion}, not ${expectedVersion}`,
      { details: { featureView: viewName, expectedVersion, currentVersion } },
    );
    this.name = 'FeatureViewVersionConflictError';
  }
}

/**
 * 422: rows (or entity keys) broke the view's rules. The whole batch is refused, so the details
 * list every bad row index and up to {@link MAX_REPORTED_PROBLEMS} problems.
 */
export class ValidationFailedError extends FeatureStoreError {
  public readonly problems: readonly RowProblem[];

  public constructor(subject: string, problems: readonly RowProblem[]) {
    const badRows = [...new Set(problems.flatMap((p) => (p.row === undefined ? [] : [p.row])))].sort(
      (a, b) => a - b,
    );
    const what =
      badRows.length > 0 ? `${badRows.length} bad row${badRows.length > 1 ? 's' : ''}` : 'bad input';
    super(
      'VALIDATION_FAILED',
      `${subject} refused: ${what}, ${problems.length} problem(s); nothing was written`,
      {
        details: {
          problemCount: problems.length,
          badRows,
          problems: problems.slice(0, MAX_REPORTED_PROBLEMS),
          truncated: problems.length > MAX_REPORTED_PROBLEMS,
        },
      },
    );
    this.name = 'ValidationFailedError';
    this.problems = problems;
  }
}

/** One difference between the current and the proposed definition of a feature view. */
export interface SchemaChange {
  readonly kind: SchemaChangeKind;
  /** The feature or entity concerned, when the change is about one. */
  readonly field?: string;
  readonly compatible: boolean;
  readonly reason: string;
}

/** Every kind of difference schema evolution recognises. */
export type SchemaChangeKind =
  | 'FEATURE_ADDED'
  | 'FEATURE_REMOVED'
  | 'DTYPE_CHANGED'
  | 'REQUIRED_ADDED'
  | 'REQUIRED_REMOVED'
  | 'RANGE_WIDENED'
  | 'RANGE_NARROWED'
  | 'ALLOWED_VALUES_WIDENED'
  | 'ALLOWED_VALUES_NARROWED'
  | 'FEATURE_DESCRIPTION_CHANGED'
  | 'ENTITIES_CHANGED'
  | 'TTL_CHANGED'
  | 'METADATA_CHANGED'
  | 'SOURCE_CHANGED';

/** 409: the proposed definition would break readers or stored data; every reason is listed. */
export class IncompatibleSchemaChangeError extends FeatureStoreError {
  public constructor(viewName: string, changes: readonly SchemaChange[]) {
    const refused = changes.filter((c) => !c.compatible);
    super(
      'INCOMPATIBLE_SCHEMA_CHANGE',
      `Feature view ${viewName} cannot change that way: ${refused.map((c) => c.reason).join('; ')}. ` +
        'Create a new feature view instead.',
      { details: { featureView: viewName, incompatible: refused, changes: [...changes] } },
    );
    this.name = 'IncompatibleSchemaChangeError';
  }
}

/**
 * 422: two requested features share a name and `full_feature_names` is off, so the response
 * would hold two columns of one name (Feast's FeatureNameCollisionError).
 */
export class FeatureNameCollisionError extends FeatureStoreError {
  public constructor(names: readonly string[]) {
    super(
      'FEATURE_NAME_COLLISION',
      `Duplicate feature names ${names.join(', ')}: set full_feature_names to true to get view__feature names`,
      { details: { names: [...names] } },
    );
    this.name = 'FeatureNameCollisionError';
  }
}

/**
 * 409: the batch holds an entity that was erased (its tombstone stands), so nothing is written:
 * replayed or late data must not bring back what an erasure removed. Names the rows, never the key.
 */
export class EntityErasedError extends FeatureStoreError {
  public constructor(viewName: string, rows: readonly number[]) {
    super(
      'ENTITY_ERASED',
      `${rows.length} row(s) of the push to ${viewName} name an erased entity; nothing was written`,
      { details: { featureView: viewName, rows: rows.slice(0, MAX_REPORTED_PROBLEMS), count: rows.length } },
    );
    this.name = 'EntityErasedError';
  }
}
