/**
 * The erasure use cases: accepting a request (its record, tombstones and audit record in one
 * transaction, so from that moment no push brings the entity back) and reading it; running it is
 * `erasure-run.ts`.
 */

import { tombstoneHash } from '../../../contracts/erasure-keys';
import { type ErasureAuditRecord, PrivacyEvent } from '../../../contracts/events';
import type { Erasure, ErasureRequest } from '../../../contracts/privacy';
import { ErasureNotFoundError } from './errors';
import type { PrivacyDeps, StoredErasure } from './ports';

/** Who asked, for the audit trail. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/** The reply shape: the stored record without the keys and the run's bookkeeping. */
export function publicErasure(stored: StoredErasure): Erasure {
  const { entities: _e, inferenceIds: _i, progress: _p, ...erasure } = stored;
  return erasure;
}

export function audit(
  deps: PrivacyDeps,
  erasureId: string,
  actor: string,
  action: ErasureAuditRecord['action'],
  after: unknown,
  at: string,
  requestId?: string,
): ErasureAuditRecord {
  return { id: deps.newId(), at, actor, action, erasureId, after, ...(requestId ? { requestId } : {}) };
}

/** Records the erasure and its tombstones; the caller then launches the run. */
export async function requestErasure(
  deps: PrivacyDeps,
  actor: Actor,
  request: ErasureRequest,
): Promise<Erasure> {
  const at = deps.now().toISOString();
  const erasureId = deps.newId();
  const keyCounts = Object.fromEntries(Object.entries(request.entities).map(([k, v]) => [k, v.length]));
  const stored: StoredErasure = {
    erasureId,
    status: 'PENDING',
    keyCounts,
    reason: request.reason,
    requestedBy: actor.principal,
    requestedAt: at,
    updatedAt: at,
    entities: request.entities,
    inferenceIds: request.inferenceIds,
  };
  const tombstones = [
    ...new Set(
      Object.entries(request.entities).flatMap(([k, values]) => values.map((v) => tombstoneHash(k, v))),
    ),
  ];
  const record = audit(
    deps,
    erasureId,
    actor.principal,
    PrivacyEvent.ENTITY_ERASURE_REQUESTED,
    { keyCounts, inferenceIds: request.inferenceIds.length, reason: request.reason },
    at,
    actor.requestId,
  );
  await deps.erasures.create(stored, tombstones, record);
  return publicErasure(stored);
}

/** @throws ErasureNotFoundError */
export async function getErasure(deps: PrivacyDeps, erasureId: string): Promise<Erasure> {
  const stored = await deps.erasures.get(erasureId);
  if (!stored) throw new ErasureNotFoundError(erasureId);
  return publicErasure(stored);
}
