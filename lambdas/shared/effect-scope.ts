/**
 * The keyed request in progress, for domain-level idempotency (see `idempotent-effect.ts`): the
 * wrapper opens it, the domain states in it the answer its write gives, the adapter's transaction
 * stores that answer with the key. Pure: no SDK, so domain code may state its answer.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** A keyed request's scope: where its effect record goes and what it will answer. */
export interface EffectScope {
  readonly tableName: string;
  /** `effect#` + sha256 of the principal and the key: one record per caller and key. */
  readonly id: string;
  /** sha256 of route, path and body: the same key with another request is refused. */
  readonly payloadHash: string;
  /** Epoch seconds the record may be removed at (the table's TTL attribute). */
  readonly expiration: number;
  /** The status the route answers with on success. */
  readonly status: number;
  /**
   * Set by the domain before its write: the body the request answers if the write commits, and
   * its status when it is not the route's (a governed move accepted for sign-off answers 202).
   */
  answer?: { readonly body: unknown; readonly status?: number };
  /** The answer was pinned by the route's own use case: writes it calls into do not restate it. */
  pinned?: boolean;
  /** Set once a transaction carried the record, so later writes of the request do not repeat it. */
  committed?: boolean;
}

/** The stored record: what a retry of the keyed request answers. */
export interface EffectRecord {
  readonly payloadHash: string;
  readonly status: number;
  /** The JSON body, as text (DynamoDB numbers and empty maps stay exact). */
  readonly body?: string;
}

const scopes = new AsyncLocalStorage<EffectScope>();

/** The current keyed request's scope, if any. */
export const currentEffectScope = (): EffectScope | undefined => scopes.getStore();

/** Runs `fn` with `scope` as the current keyed request. */
export function runWithEffectScope<T>(scope: EffectScope, fn: () => Promise<T>): Promise<T> {
  return scopes.run(scope, fn);
}

/**
 * States the body this request answers if the write that follows commits; the write's transaction
 * then stores it with the key. Outside a keyed request it does nothing.
 */
export function answerOnCommit(body: unknown, status?: number): void {
  const scope = scopes.getStore();
  if (scope && !scope.committed && !scope.pinned) {
    scope.answer = status === undefined ? { body } : { body, status };
  }
}

/**
 * States the request's answer for every write that follows, when a use case commits its effect
 * through another capability's domain (the monitoring route tags a version through the registry's
 * service): the registry's own `answerOnCommit` would otherwise store the registry's answer.
 */
export function pinAnswer(body: unknown): void {
  const scope = scopes.getStore();
  if (scope && !scope.committed) {
    scope.answer = { body };
    scope.pinned = true;
  }
}

/** The keyed request's effect is already committed (by an earlier attempt): answer from its record. */
export class EffectAlreadyApplied extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the effect of this Idempotency-Key is already committed', options);
    this.name = 'EffectAlreadyApplied';
  }
}

/**
 * Runs `fn` as no keyed request: its writes carry no effect record. For a use case that writes
 * through another capability first and commits its own answer with a later write of its own (an
 * experiment's conclusion opens the rollout's approval request, then concludes): the first write
 * must not store the request's answer, or a crash in between would answer a retry with an effect
 * half applied.
 */
export function outsideEffectScope<T>(fn: () => Promise<T>): Promise<T> {
  return scopes.exit(fn);
}
