/**
 * The batches of an erasure's steps: how each is planned (read only, with the figures it will
 * add) and applied (idempotent, so a batch applied twice removes what it removes once).
 */
import type { EntityMatch } from '../../../contracts/erasure-keys';
import type { ErasureRequest } from '../../../contracts/privacy';
import { redactCaptureFile } from './capture-match';
import type { ErasureBatch, ErasureCount, ErasureProgress, ErasureRunDeps } from './ports';

/** Capture files read by one batch at most while none holds the entity. */
export const CAPTURE_FILES_PER_BATCH = 50;

/** What every batch of a run knows: the keys as the request gave them. */
export interface RunContext {
  readonly erasureId: string;
  readonly entities: ErasureRequest['entities'];
  readonly match: EntityMatch;
  /** The erased keys' `captureKeyHash`es, found on enriched predictions' capture records. */
  readonly keyHashes: ReadonlySet<string>;
  /** The erased values as experiments' randomization units. */
  readonly units: readonly string[];
  /** The inference ids the request gave: their records go, whatever model served them. */
  readonly given: readonly string[];
  readonly models: readonly string[];
}

/** The model whose endpoint wrote a capture file; undefined for another endpoint's. */
function modelOfCapture(deps: ErasureRunDeps, ctx: RunContext, key: string): string | undefined {
  // `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`: the endpoint is 6 segments from the end.
  const parts = key.split('/');
  const endpoint = parts[parts.length - 7] ?? '';
  return ctx.models.find((m) => deps.endpointOf(m) === endpoint);
}

/** The inference ids whose records go from a model's capture and ground truth. */
function idsOf(ctx: RunContext, progress: ErasureProgress, model: string | undefined): Set<string> {
  return new Set([...ctx.given, ...((model && progress.foundIds[model]) || [])]);
}

async function redactedCapture(
  deps: ErasureRunDeps,
  ctx: RunContext,
  progress: ErasureProgress,
  key: string,
) {
  const model = modelOfCapture(deps, ctx, key);
  return {
    model,
    ...redactCaptureFile(await deps.capture.read(key), ctx.match, idsOf(ctx, progress, model), ctx.keyHashes),
  };
}

/** The next batch of the run's step, from its cursor; nothing is changed. */
export async function planBatch(
  deps: ErasureRunDeps,
  ctx: RunContext,
  progress: ErasureProgress,
): Promise<ErasureBatch> {
  const { step, cursor } = progress;
  switch (step) {
    case 'units':
      return { step, counts: {} };
    case 'features': {
      const plan = await deps.features.plan(ctx.entities);
      return {
        step,
        counts: {
          onlineItemsDeleted: plan.onlineItemsDeleted,
          offlineFilesRewritten: plan.offlineFilesRewritten,
          offlineRowsRemoved: plan.offlineRowsRemoved,
        },
        trainingSets: plan.trainingSets,
      };
    }
    case 'experiments': {
      const page = await deps.experiments.find(ctx.units, cursor);
      const counts: Partial<Record<ErasureCount, number>> = {};
      const kinds = {
        prediction: 'experimentPredictionsDeleted',
        unitMarker: 'experimentUnitMarkersDeleted',
        outcomeMarker: 'experimentOutcomeMarkersRedacted',
      } as const;
      const foundIds: Record<string, string[]> = {};
      for (const item of page.items) {
        counts[kinds[item.kind]] = (counts[kinds[item.kind]] ?? 0) + 1;
        if (!item.inference) continue;
        const { model, id } = item.inference;
        foundIds[model] = [...(foundIds[model] ?? []), id];
      }
      return {
        step,
        ...(page.next === undefined ? {} : { next: page.next }),
        counts,
        experimentItems: page.items,
        foundIds,
      };
    }
    case 'captures': {
      const keys = await deps.capture.list(cursor, CAPTURE_FILES_PER_BATCH);
      for (const key of keys) {
        const redacted = await redactedCapture(deps, ctx, progress, key);
        if (redacted.removed === 0) continue;
        return {
          step,
          next: key,
          captureKey: key,
          counts: { captureFilesRewritten: 1, captureRecordsRemoved: redacted.removed },
          foundIds: redacted.model ? { [redacted.model]: redacted.removedIds } : {},
        };
      }
      return keys.length < CAPTURE_FILES_PER_BATCH
        ? { step, counts: {} }
        : { step, next: keys.at(-1), counts: {} };
    }
    case 'labels': {
      const models = [...new Set([...ctx.models, ...Object.keys(progress.foundIds)])].sort();
      const i = Number(cursor ?? 0);
      const model = models[i];
      if (model === undefined) return { step, counts: {} };
      const ids = idsOf(ctx, progress, model);
      const existing = ids.size > 0 ? await deps.groundTruth.existing(model, [...ids]) : [];
      return {
        step,
        ...(i + 1 < models.length ? { next: String(i + 1) } : {}),
        counts: { groundTruthLabelsDeleted: existing.length },
        ...(existing.length > 0 ? { labels: { model, inferenceIds: existing } } : {}),
      };
    }
    case 'lineage':
      throw new Error('the lineage step has no batches');
  }
}

/** Applies a planned batch; applying it again changes nothing more. */
export async function applyBatch(
  deps: ErasureRunDeps,
  ctx: RunContext,
  progress: ErasureProgress,
  batch: ErasureBatch,
): Promise<void> {
  switch (batch.step) {
    case 'units':
      return deps.experiments.tombstone(ctx.units);
    case 'features':
      await deps.features.erase(ctx.entities, ctx.erasureId);
      return;
    case 'experiments':
      return deps.experiments.apply(batch.experimentItems ?? []);
    case 'captures': {
      if (!batch.captureKey) return;
      // The ids as planned: the batch's own found ids are added only once it is counted.
      const redacted = await redactedCapture(deps, ctx, progress, batch.captureKey);
      if (redacted.removed > 0) await deps.capture.write(batch.captureKey, redacted.text);
      return;
    }
    case 'labels':
      if (batch.labels) await deps.groundTruth.delete(batch.labels.model, batch.labels.inferenceIds);
      return;
    case 'lineage':
      return;
  }
}
