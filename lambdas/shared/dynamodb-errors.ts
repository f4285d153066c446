/**
 * Turns DynamoDB condition failures into platform errors. A failed condition is the normal way a
 * racing write loses, so it is a 409 naming what changed, never a 500.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import type { ConflictError } from './errors';

/** Whether the error is a failed condition (plain write or any item of a transaction). */
export function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  if (err instanceof TransactionCanceledException) {
    return (err.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
  }
  return false;
}

/** Whether a transaction lost to a concurrent transaction on the same items. */
export function isTransactionConflict(err: unknown): boolean {
  return (
    err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict')
  );
}

/** Runs a write; a failed condition or a lost transaction becomes the given ConflictError. */
export async function conditional<T>(write: () => Promise<T>, conflict: () => ConflictError): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isConditionFailure(err) || isTransactionConflict(err)) {
      const error = conflict();
      (error as { cause?: unknown }).cause = err;
      throw error;
    }
    throw err;
  }
}
