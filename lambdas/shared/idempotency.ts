/**
 * Idempotency-Key support for mutating routes, on Powertools idempotency with its DynamoDB
 * persistence layer. The key is scoped to the caller's principal; the stored payload hash covers
 * route, path and body, so reusing a key for a different request is refused (422) rather than
 * answered with someone else's response. Only 2xx responses are kept: a 4xx/5xx is not cached, so
 * a retry after fixing the cause (or after a fault) runs again.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { ConflictError, UnprocessableError } from './errors';
import type { HttpEvent, HttpResult } from './http';

export const IDEMPOTENCY_HEADER = 'idempotency-key';

/** Thrown inside the idempotent section so Powertools deletes the in-progress record. */
class UncachedResult extends Error {
  constructor(public readonly result: HttpResult) {
    super('non-2xx result is not cached');
  }
}

export interface IdempotencyOptions {
  readonly tableName: string;
  readonly client: import('@aws-sdk/client-dynamodb').DynamoDBClient;
  /** @default 86400 (24 h, the window clients retry in) */
  readonly expiresAfterSeconds?: number;
}

/**
 * Wraps a route function so that a request carrying `Idempotency-Key` has one effect however
 * often it is retried; requests without the header pass straight through.
 */
export function withIdempotency(
  run: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  options: IdempotencyOptions,
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  });
  const config = new IdempotencyConfig({
    eventKeyJmesPath: `[requestContext.authorizer.iam.userArn, headers."${IDEMPOTENCY_HEADER}"]`,
    payloadValidationJmesPath: '[routeKey, rawPath, body]',
    expiresAfterSeconds: options.expiresAfterSeconds ?? 86_400,
  });
  const idempotent = makeIdempotent(
    async (event: HttpEvent, context: Context) => {
      const result = await run(event, context);
      if (result.statusCode >= 300) throw new UncachedResult(result);
      return result;
    },
    { persistenceStore, config },
  );

  return async (event, context) => {
    const key = event.headers?.[IDEMPOTENCY_HEADER];
    if (!key) return run(event, context);
    if (key.length > 255) {
      throw new UnprocessableError(
        'INVALID_IDEMPOTENCY_KEY',
        'Idempotency-Key must be at most 255 characters',
      );
    }
    try {
      return await idempotent(event, context);
    } catch (err) {
      const cause = unwrap(err);
      if (cause instanceof UncachedResult) return cause.result;
      if (cause instanceof IdempotencyAlreadyInProgressError) {
        throw new ConflictError(
          'IDEMPOTENCY_IN_PROGRESS',
          'a request with this Idempotency-Key is in progress',
          {
            cause,
          },
        );
      }
      if (cause instanceof IdempotencyValidationError) {
        throw new UnprocessableError(
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was used for a different request',
          { cause },
        );
      }
      throw cause;
    }
  };
}

/** Powertools wraps handler errors in its own; find ours (or theirs) under `cause`. */
function unwrap(err: unknown): unknown {
  let current = err;
  for (let i = 0; i < 5 && current instanceof Error; i++) {
    if (current instanceof UncachedResult) return current;
    if (
      current instanceof IdempotencyAlreadyInProgressError ||
      current instanceof IdempotencyValidationError
    ) {
      return current;
    }
    if (current.cause === undefined) break;
    current = current.cause;
  }
  return err;
}
