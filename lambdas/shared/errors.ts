/**
 * The one error base of the platform. Every failure a caller can act on is a `PlatformError` with
 * a SCREAMING_SNAKE `code` from the catalogue (`contracts/errors.ts`), which gives its one HTTP
 * `status`, and optional `details`; anything else is rendered as 500 INTERNAL without leaking its
 * message. Each status class below takes only the codes of its status, so `tsc` refuses a code used
 * with two statuses.
 */
import { type ErrorCode, type ErrorCodeOf, type ErrorStatus, statusOf } from '../../contracts/errors';

export type { ErrorCode, ErrorCodeOf } from '../../contracts/errors';

export interface PlatformErrorOptions {
  readonly details?: unknown;
  readonly cause?: unknown;
}

export class PlatformError extends Error {
  public readonly code: ErrorCode;
  public readonly status: ErrorStatus;
  public readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: PlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PlatformError';
    this.status = statusOf(code);
    this.code = code;
    this.details = options.details;
  }
}

/** 400: the request is malformed (bad JSON, schema violation). */
export class BadRequestError extends PlatformError {
  constructor(code: ErrorCodeOf<400>, message: string, options?: PlatformErrorOptions) {
    super(code, message, options);
    this.name = 'BadRequestError';
  }
}

/** 403: authentication or authorization failed. */
export class ForbiddenError extends PlatformError {
  constructor(code: ErrorCodeOf<403>, message: string, options?: PlatformErrorOptions) {
    super(code, message, options);
    this.name = 'ForbiddenError';
  }
}

/** 404: the named resource does not exist. */
export class NotFoundError extends PlatformError {
  constructor(code: ErrorCodeOf<404>, message: string, options?: PlatformErrorOptions) {
    super(code, message, options);
    this.name = 'NotFoundError';
  }
}

/** 409: the request conflicts with current state (exists already, changed concurrently). */
export class ConflictError extends PlatformError {
  constructor(code: ErrorCodeOf<409>, message: string, options?: PlatformErrorOptions) {
    super(code, message, options);
    this.name = 'ConflictError';
  }
}

/** 422: well-formed but refused by a rule (governance, hash mismatch). */
export class UnprocessableError extends PlatformError {
  constructor(code: ErrorCodeOf<422>, message: string, options?: PlatformErrorOptions) {
    super(code, message, options);
    this.name = 'UnprocessableError';
  }
}

/** 429: the caller is over its rate limit; `retryAfterSeconds` goes out as `Retry-After`. */
export class TooManyRequestsError extends PlatformError {
  constructor(
    code: ErrorCodeOf<429>,
    message: string,
    public readonly retryAfterSeconds: number,
    options?: PlatformErrorOptions,
  ) {
    super(code, message, options);
    this.name = 'TooManyRequestsError';
  }
}

/** 503: a dependency failed or did not answer in time; the caller may retry after `retryAfterSeconds`. */
export class ServiceUnavailableError extends PlatformError {
  public readonly retryAfterSeconds: number;

  constructor(
    code: ErrorCodeOf<503>,
    message: string,
    options: PlatformErrorOptions & { retryAfterSeconds?: number } = {},
  ) {
    super(code, message, options);
    this.name = 'ServiceUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? DEPENDENCY_RETRY_AFTER_SECONDS;
  }
}

/**
 * Seconds a caller is asked to wait after a dependency failure: the SDK has already retried with
 * backoff, so the fault outlasted a few seconds; one more second spreads the callers' retries.
 */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 1;

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'ThrottlingException',
  // S3 Vectors' (and Lambda's) throttling: a 429, so the 5xx rule below misses it.
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'SlowDown',
  'ServiceUnavailable',
  'InternalServerError',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND']);

/**
 * Whether an error is a dependency's transient failure the SDK gave up retrying (a timeout, a
 * refused or reset connection, throttling, a 5xx from the service), rather than a bug: the caller
 * gets a 503 it may retry, not a 500.
 */
export function isDependencyFailure(err: unknown): boolean {
  // Wrappers (Powertools idempotency's persistence errors) keep the SDK's error as `cause`.
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error && !(current instanceof PlatformError); depth++) {
    const e = current as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
    if (TRANSIENT_NAMES.has(e.name) || (e.code !== undefined && NETWORK_CODES.has(e.code))) return true;
    if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
    current = e.cause;
  }
  return false;
}

/** The wire shape of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/**
 * Maps any thrown value to a status and body (and `retryAfterSeconds` for a 503); a dependency's
 * transient failure becomes 503 `DEPENDENCY_UNAVAILABLE`, anything else unknown 500 INTERNAL.
 */
export function toErrorBody(err: unknown): { status: number; body: ErrorBody; retryAfterSeconds?: number } {
  const error = isDependencyFailure(err)
    ? new ServiceUnavailableError(
        'DEPENDENCY_UNAVAILABLE',
        'a dependency of the platform did not answer; retry',
        {
          cause: err,
        },
      )
    : err;
  if (error instanceof PlatformError) {
    const body = {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    };
    return {
      status: error.status,
      body: { error: body },
      ...(error instanceof ServiceUnavailableError || error instanceof TooManyRequestsError
        ? { retryAfterSeconds: error.retryAfterSeconds }
        : {}),
    };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'Internal error' } } };
}

/*
 * Named errors: one class per condition that more than one capability meets, owning its code,
 * status and message, as Feast's `errors.py` does. Throw these rather than spelling the code again.
 */

/** 404 `MODEL_NOT_FOUND`: no model of that name in the registry. */
export class ModelNotFoundError extends NotFoundError {
  constructor(modelName: string, options?: PlatformErrorOptions) {
    super('MODEL_NOT_FOUND', `model ${modelName} does not exist`, options);
    this.name = 'ModelNotFoundError';
  }
}

/** 404 `VERSION_NOT_FOUND`: the model has no version of that number. */
export class VersionNotFoundError extends NotFoundError {
  constructor(modelName: string, version: number | string, options?: PlatformErrorOptions) {
    super('VERSION_NOT_FOUND', `model ${modelName} has no version ${version}`, options);
    this.name = 'VersionNotFoundError';
  }
}

/** 404 `ALIAS_NOT_FOUND`: the model has no alias of that name. */
export class AliasNotFoundError extends NotFoundError {
  constructor(modelName: string, alias: string, options?: PlatformErrorOptions) {
    super('ALIAS_NOT_FOUND', `model ${modelName} has no alias ${alias}`, options);
    this.name = 'AliasNotFoundError';
  }
}

/** 409 `MODEL_DELETING`: the model is being deleted, so nothing may be added to it. */
export class ModelDeletingError extends ConflictError {
  constructor(modelName: string, options?: PlatformErrorOptions) {
    super('MODEL_DELETING', `model ${modelName} is being deleted`, options);
    this.name = 'ModelDeletingError';
  }
}

/** 404 `ENDPOINT_NOT_FOUND`: no endpoint serves the model yet. */
export class EndpointNotFoundError extends NotFoundError {
  constructor(endpointName: string, options?: PlatformErrorOptions) {
    super(
      'ENDPOINT_NOT_FOUND',
      `no endpoint ${endpointName} serves this model; deploy a version first`,
      options,
    );
    this.name = 'EndpointNotFoundError';
  }
}
