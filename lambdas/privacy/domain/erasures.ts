/**
 * The erasure use cases: accepting a request (its record, tombstones and audit record in one
 * transaction, so from that moment no push brings the entity back), and running it: the feature
 * store, captured inferences, ground truth, then flags on the training sets and model versions
 * built from the entity's data. A run is safe to repeat (Lambda retries an asynchronous invocation):
 * each step removes what is still there and flags what is not yet flagged.
 */
import { type ErasureAuditRecord, PrivacyEvent } from '../../../contracts/events';
import {
  type Erasure,
  type ErasureRequest,
  type ErasureResult,
  entityMatch,
  tombstoneHash,
} from '../../../contracts/privacy';
import { redactCaptureFile } from './capture-match';
import { ErasureBusyError, ErasureNotFoundError } from './errors';
import type { ErasureRunDeps, PrivacyDeps, StoredErasure } from './ports';

/** Who asked, for the audit trail. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/** The reply shape: the stored record without the keys. */
export function publicErasure(stored: StoredErasure): Erasure {
  const { entities: _e, inferenceIds: _i, ...erasure } = stored;
  return erasure;
}

function audit(
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

/** Capture files without the entity's records; the ids removed, by model. */
async function eraseCaptures(
  deps: ErasureRunDeps,
  match: ReturnType<typeof entityMatch>,
  inferenceIds: ReadonlySet<string>,
  models: readonly string[],
): Promise<{ filesRewritten: number; recordsRemoved: number; idsByModel: Map<string, Set<string>> }> {
  const modelOfEndpoint = new Map(models.map((m) => [deps.endpointOf(m), m]));
  const idsByModel = new Map<string, Set<string>>();
  let filesRewritten = 0;
  let recordsRemoved = 0;
  for (const key of await deps.capture.list()) {
    const redacted = redactCaptureFile(await deps.capture.read(key), match, inferenceIds);
    if (redacted.removed === 0) continue;
    await deps.capture.write(key, redacted.text);
    filesRewritten++;
    recordsRemoved += redacted.removed;
    // `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`: the endpoint is 6 segments from the end.
    const parts = key.split('/');
    const model = modelOfEndpoint.get(parts[parts.length - 7] ?? '');
    if (model) {
      const ids = idsByModel.get(model) ?? new Set<string>();
      for (const id of redacted.removedIds) ids.add(id);
      idsByModel.set(model, ids);
    }
  }
  return { filesRewritten, recordsRemoved, idsByModel };
}

/**
 * Runs an erasure to its end (COMPLETED with the receipt) or FAILED with the reason, rethrowing
 * so the invocation is retried. A completed erasure is left as it is.
 * @throws ErasureNotFoundError
 */
export async function runErasure(deps: ErasureRunDeps, erasureId: string): Promise<Erasure> {
  const stored = await deps.erasures.get(erasureId);
  if (!stored) throw new ErasureNotFoundError(erasureId);
  if (stored.status === 'COMPLETED' || !stored.entities) return publicErasure(stored);
  // One erasure at a time: two rewriting the same offline file would each bring back the other's rows.
  const deadline = deps.now().getTime() + deps.lock.waitMs;
  for (;;) {
    const now = deps.now();
    const claim = await deps.erasures.claim(
      erasureId,
      now.toISOString(),
      now.getTime(),
      now.getTime() + deps.lock.holdMs,
    );
    if (claim === 'done') return getErasure(deps, erasureId);
    if (claim === 'claimed') break;
    if (now.getTime() >= deadline) throw new ErasureBusyError(erasureId);
    await deps.lock.sleep(deps.lock.pollMs);
  }
  const actor = `erasure:${erasureId}`;
  try {
    const match = entityMatch(stored.entities);
    const features = await deps.features.erase(stored.entities, erasureId);
    const models = await deps.lineage.modelNames();
    const given = new Set(stored.inferenceIds ?? []);
    const captures = await eraseCaptures(deps, match, given, models);
    let labels = 0;
    for (const model of models) {
      const ids = new Set([...given, ...(captures.idsByModel.get(model) ?? [])]);
      if (ids.size > 0) labels += await deps.groundTruth.delete(model, [...ids]);
    }
    const modelVersions = await deps.lineage.flagVersionsTrainedOn(features.trainingSets, erasureId, actor);
    const result: ErasureResult = {
      onlineItemsDeleted: features.onlineItemsDeleted,
      offlineFilesRewritten: features.offlineFilesRewritten,
      offlineRowsRemoved: features.offlineRowsRemoved,
      captureFilesRewritten: captures.filesRewritten,
      captureRecordsRemoved: captures.recordsRemoved,
      groundTruthLabelsDeleted: labels,
      trainingSets: features.trainingSets.map((t) => t.jobId),
      modelVersions,
    };
    const at = deps.now().toISOString();
    await deps.erasures.complete(
      erasureId,
      at,
      result,
      audit(deps, erasureId, actor, PrivacyEvent.ENTITY_ERASED, result, at),
    );
  } catch (err) {
    const at = deps.now().toISOString();
    const message = err instanceof Error ? err.message : String(err);
    await deps.erasures.fail(
      erasureId,
      at,
      message.slice(0, 1000),
      audit(
        deps,
        erasureId,
        actor,
        PrivacyEvent.ENTITY_ERASURE_FAILED,
        { error: message.slice(0, 1000) },
        at,
      ),
    );
    throw err;
  }
  return getErasure(deps, erasureId);
}
