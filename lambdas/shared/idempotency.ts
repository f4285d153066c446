/**
 * Idempotency-Key support for mutating routes, in two layers on the idempotency table.
 *
 * - The fast path is Powertools idempotency with its DynamoDB persistence layer: a completed
 *   request's response is answered from its record, and a concurrent duplicate gets 409
 *   `IDEMPOTENCY_IN_PROGRESS`.
 * - The guarantee is domain-level (`idempotent-effect.ts`): the key and the first answer are
 *   written in the effect's own transaction. Powertools' in-progress record outlives no crash (it
 *   expires, and the retry runs again), so inside it the effect record is read first: a key whose
 *   effect committed is answered from it, never applied twice nor refused as a conflict.
 *
 * The key is scoped to the caller's principal; the stored payload hash covers route, path and
 * body, so reusing a key for a different request is refused (422) rather than answered with
 * someone else's response. Only 2xx responses are kept: a 4xx/5xx is not cached, so a retry after
 * fixing the cause (or after a fault) runs again.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/idempotency/
 * @see https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/
 */

import { createHash } from 'node:crypto';
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { type EffectRecord, type EffectScope, runWithEffectScope } from './effect-scope';
import { ConflictError, toErrorBody, UnprocessableError } from './errors';
import { errorResponse, type HttpEvent, type HttpResult, json, noContent, principalOf } from './http';
import { EffectAlreadyApplied, readEffect } from './idempotent-effect';

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
 * Finishes a success answered from the effect record, for a route whose effect has steps after
 * its commit that a crash can cut short (a rollout's execution started after its record): it
 * completes those steps, idempotently, and returns the answer they give.
 * @default - the stored answer as it is
 */
export type CompleteReplay = (stored: HttpResult, event: HttpEvent) => Promise<HttpResult>;

/**
 * Wraps a route function so that a request carrying `Idempotency-Key` has one effect however
 * often it is retried; requests without the header pass straight through.
 * @param status the route's success status, the one a committed effect is answered with
 * (the router's `wrap` gets the route: `(fn, route) => withIdempotency(fn, options, route.response.status)`)
 */
export function withIdempotency(
  run: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  options: IdempotencyOptions,
  status: number,
  completeReplay: CompleteReplay = async (stored) => stored,
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    awsSdkV3Client: options.client,
  });
  const expiresAfterSeconds = options.expiresAfterSeconds ?? 86_400;
  const config = new IdempotencyConfig({
    eventKeyJmesPath: `[requestContext.authorizer.iam.userArn, headers."${IDEMPOTENCY_HEADER}"]`,
    payloadValidationJmesPath: '[routeKey, rawPath, body]',
    expiresAfterSeconds,
  });
  const db = options.client;
  // Inside Powertools' in-progress record: the effect record first, so a key whose effect
  // committed before a crash is answered, never applied again.
  const replay = (record: EffectRecord, scope: EffectScope, event: HttpEvent) => {
    const stored = answer(record, scope);
    return stored.statusCode < 300 ? completeReplay(stored, event) : Promise.resolve(stored);
  };
  const runOnce = async (event: HttpEvent, context: Context): Promise<HttpResult> => {
    const scope = effectScope(event, options.tableName, expiresAfterSeconds, status);
    const committed = await readEffect(db, scope);
    if (committed) return replay(committed, scope, event);
    try {
      return await runWithEffectScope(scope, () => run(event, context));
    } catch (err) {
      if (!(err instanceof EffectAlreadyApplied)) throw err;
      // A transaction of this request found the key's effect committed (an attempt whose answer
      // was lost): nothing was written now; answer as that attempt would have.
      const record = await readEffect(db, scope);
      if (!record) throw err;
      return replay(record, scope, event);
    }
  };
  const idempotent = makeIdempotent(
    async (event: HttpEvent, context: Context) => {
      const result = await runOnce(event, context);
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

const sha256 = (...parts: string[]) => createHash('sha256').update(parts.join('\u0000')).digest('hex');

/** The keyed request's scope: its record's id, the payload it must match, its route's status. */
function effectScope(
  event: HttpEvent,
  tableName: string,
  expiresAfterSeconds: number,
  status: number,
): EffectScope {
  const key = event.headers?.[IDEMPOTENCY_HEADER] ?? '';
  return {
    tableName,
    id: `effect#${sha256(principalOf(event), key)}`,
    payloadHash: sha256(event.routeKey, event.rawPath, event.body ?? ''),
    expiration: Math.floor(Date.now() / 1000) + expiresAfterSeconds,
    status,
  };
}

/** The stored answer of a committed effect; a different request under the same key is a 422. */
function answer(record: EffectRecord, scope: EffectScope): HttpResult {
  if (record.payloadHash !== scope.payloadHash) {
    const { status, body } = toErrorBody(
      new UnprocessableError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was used for a different request',
      ),
    );
    return errorResponse(status, body);
  }
  if (record.body === undefined) return record.status === 204 ? noContent() : json(record.status, null);
  return json(record.status, JSON.parse(record.body));
}
