/**
 * Running an erasure: its steps (units tombstoned, feature store, experiments, capture files,
 * ground truth, lineage flags) go batch by batch. Each batch is planned, recorded on the erasure
 * with the figures it will add, applied, then counted: a run that stops anywhere (a failure Lambda
 * retries, a crash, its time running out) resumes at the recorded batch, applies it again (every
 * application is idempotent) and counts it once, so the receipt adds up every attempt exactly.
 * A run whose time runs short hands over to a new invocation of itself.
 */

import { captureKeyHashes, entityMatch, erasedUnits } from '../../../contracts/erasure-keys';
import { PrivacyEvent } from '../../../contracts/events';
import type { Erasure, ErasureResult } from '../../../contracts/privacy';
import { applyBatch, planBatch } from './erasure-steps';
import { audit, getErasure, publicErasure } from './erasures';
import { ErasureBusyError, ErasureMovedOnError, ErasureNotFoundError } from './errors';
import {
  ERASURE_STEPS,
  type ErasureBatch,
  type ErasureProgress,
  type ErasureRunDeps,
  type RunBudget,
  type StoredErasure,
} from './ports';

/** The receipt before a run's first batch. */
export const EMPTY_RESULT: ErasureResult = {
  onlineItemsDeleted: 0,
  offlineFilesRewritten: 0,
  offlineRowsRemoved: 0,
  captureFilesRewritten: 0,
  captureRecordsRemoved: 0,
  groundTruthLabelsDeleted: 0,
  experimentPredictionsDeleted: 0,
  experimentUnitMarkersDeleted: 0,
  experimentOutcomeMarkersRedacted: 0,
  trainingSets: [],
  modelVersions: [],
};

/** The progress once a batch is applied: its figures added, the step moved on. */
export function counted(progress: ErasureProgress, batch: ErasureBatch): ErasureProgress {
  const result: Record<string, unknown> = { ...progress.result };
  for (const [k, n] of Object.entries(batch.counts)) result[k] = (result[k] as number) + (n ?? 0);
  const jobs = new Set(progress.result.trainingSets);
  for (const t of batch.trainingSets ?? []) jobs.add(t.jobId);
  result.trainingSets = [...jobs];
  const step = batch.next === undefined ? ERASURE_STEPS[ERASURE_STEPS.indexOf(batch.step) + 1] : batch.step;
  return {
    step,
    ...(batch.next === undefined ? {} : { cursor: batch.next }),
    result: result as ErasureResult,
    ...(progress.foundInferenceIds ? { foundInferenceIds: progress.foundInferenceIds } : {}),
    trainingSetUris: [...(progress.trainingSetUris ?? []), ...(batch.trainingSets ?? [])],
    seq: progress.seq + 1,
  };
}

/** Takes the one erasure lock (waiting while another erasure holds it): false when this one is done. */
async function claim(deps: ErasureRunDeps, erasureId: string): Promise<boolean> {
  const deadline = deps.now().getTime() + deps.lock.waitMs;
  for (;;) {
    const now = deps.now();
    const claimed = await deps.erasures.claim(
      erasureId,
      now.toISOString(),
      now.getTime(),
      now.getTime() + deps.lock.holdMs,
    );
    if (claimed === 'done') return false;
    if (claimed === 'claimed') return true;
    if (now.getTime() >= deadline) throw new ErasureBusyError(erasureId);
    await deps.lock.sleep(deps.lock.pollMs);
  }
}

/**
 * Runs an erasure on from where it stopped, to its end (COMPLETED with the receipt), to a hand-over
 * (still RUNNING, the next invocation launched), or FAILED with the reason, rethrowing so the
 * invocation is retried. A completed erasure is left as it is.
 * @throws ErasureNotFoundError
 */
export async function runErasure(
  deps: ErasureRunDeps,
  erasureId: string,
  budget: RunBudget,
): Promise<Erasure> {
  const stored = await deps.erasures.get(erasureId);
  if (!stored) throw new ErasureNotFoundError(erasureId);
  if (stored.status === 'COMPLETED' || !stored.entities) return publicErasure(stored);
  // One erasure at a time: two rewriting the same offline file would each bring back the other's rows.
  if (!(await claim(deps, erasureId))) return getErasure(deps, erasureId);
  // Read again under the lock: the progress another invocation saved before this one claimed.
  const current = (await deps.erasures.get(erasureId)) ?? stored;
  const actor = `erasure:${erasureId}`;
  try {
    const done = await work(deps, current, budget, actor);
    if (!done) return getErasure(deps, erasureId);
  } catch (err) {
    // Another invocation of this erasure moved on: it owns the run now.
    if (err instanceof ErasureMovedOnError) return getErasure(deps, erasureId);
    const at = deps.now().toISOString();
    const message = (err instanceof Error ? err.message : String(err)).slice(0, 1000);
    await deps.erasures.fail(
      erasureId,
      at,
      message,
      audit(deps, erasureId, actor, PrivacyEvent.ENTITY_ERASURE_FAILED, { error: message }, at),
    );
    throw err;
  }
  return getErasure(deps, erasureId);
}

/** The batches until the run completes (true) or hands over (false). */
async function work(
  deps: ErasureRunDeps,
  stored: StoredErasure,
  budget: RunBudget,
  actor: string,
): Promise<boolean> {
  const erasureId = stored.erasureId;
  const entities = stored.entities!;
  const ctx = {
    erasureId,
    entities,
    match: entityMatch(entities),
    keyHashes: new Set(captureKeyHashes(await deps.captureKey.secret(), entities)),
    units: erasedUnits(entities),
    given: stored.inferenceIds ?? [],
    models: await deps.lineage.modelNames(),
    found: new Map(
      Object.entries(await deps.foundInferenceIds.read(erasureId)).map(([m, ids]) => [m, new Set(ids)]),
    ),
  };
  // A run recorded by a release that kept the ids found on the record goes on with them.
  const legacy = (stored.progress as { foundIds?: Record<string, string[]> } | undefined)?.foundIds ?? {};
  for (const [model, ids] of Object.entries(legacy)) {
    const known = ctx.found.get(model) ?? new Set<string>();
    for (const id of ids) known.add(id);
    ctx.found.set(model, known);
  }
  let progress: ErasureProgress = stored.progress ?? {
    step: ERASURE_STEPS[0],
    result: EMPTY_RESULT,
    seq: 0,
  };
  let savedSeq = stored.progress?.seq;
  const save = async (next: ErasureProgress) => {
    await deps.erasures.saveProgress(erasureId, deps.now().toISOString(), next, savedSeq);
    savedSeq = next.seq;
    progress = next;
  };
  while (progress.step !== 'lineage') {
    if (progress.batch) {
      await applyBatch(deps, ctx, progress.batch);
      await save(counted(progress, progress.batch));
      continue;
    }
    if (budget.remainingMs() < budget.reserveMs) {
      // The lock stays with this erasure: the next invocation claims it as a retried run would.
      await deps.launcher.launch(erasureId);
      return false;
    }
    const { batch, found } = await planBatch(deps, ctx, progress);
    const seq = progress.seq + 1;
    let foundInferenceIds = progress.foundInferenceIds;
    if (Object.values(found).some((ids) => ids.length > 0)) {
      // Kept before the batch is recorded: planned again after a crash, it keeps them again.
      await deps.foundInferenceIds.put(erasureId, seq, found);
      for (const [model, ids] of Object.entries(found)) {
        const known = ctx.found.get(model) ?? new Set<string>();
        for (const id of ids) known.add(id);
        ctx.found.set(model, known);
      }
      const count = [...ctx.found.values()].reduce((n, ids) => n + ids.size, 0);
      foundInferenceIds = { location: deps.foundInferenceIds.locationOf(erasureId), count };
    }
    await save({ ...progress, batch, seq, ...(foundInferenceIds ? { foundInferenceIds } : {}) });
  }
  // The labels are gone: the ids found are of no more use, and they are the person's.
  await deps.foundInferenceIds.remove(erasureId);
  const modelVersions = await deps.lineage.flagVersionsTrainedOn(
    progress.trainingSetUris ?? [],
    erasureId,
    actor,
  );
  const result: ErasureResult = { ...progress.result, modelVersions };
  const at = deps.now().toISOString();
  await deps.erasures.complete(
    erasureId,
    at,
    result,
    audit(deps, erasureId, actor, PrivacyEvent.ENTITY_ERASED, result, at),
  );
  return true;
}
