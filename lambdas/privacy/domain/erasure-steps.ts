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

/** Inference ids whose ground truth one batch looks up and deletes at most. */
export const LABEL_IDS_PER_BATCH = 100;

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
  /**
   * The inference ids of the entity found so far, by model: read when the invocation starts and
   * added to as batches find more (they are kept in `FoundInferenceIds`, not on the record).
   */
  readonly found: Map<string, Set<string>>;
}

/** A planned batch, and the inference ids of the entity its planning found, by model. */
export interface PlannedBatch {
  readonly batch: ErasureBatch;
  readonly found: Record<string, string[]>;
}

/** The model whose endpoint wrote a capture file; undefined for another endpoint's. */
function modelOfCapture(deps: ErasureRunDeps, ctx: RunContext, key: string): string | undefined {
  // `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/<file>.jsonl`: the endpoint is 6 segments from the end.
  const parts = key.split('/');
  const endpoint = parts[parts.length - 7] ?? '';
  return ctx.models.find((m) => deps.endpointOf(m) === endpoint);
}

/** The inference ids whose records go from a model's capture and ground truth. */
function idsOf(ctx: RunContext, model: string | undefined): Set<string> {
  return new Set([...ctx.given, ...((model && ctx.found.get(model)) || [])]);
}

async function redactedCapture(deps: ErasureRunDeps, ctx: RunContext, key: string) {
  const model = modelOfCapture(deps, ctx, key);
  return {
    model,
    ...redactCaptureFile(await deps.capture.read(key), ctx.match, idsOf(ctx, model), ctx.keyHashes),
  };
}

/** A batch that found no inference ids. */
const only = (batch: ErasureBatch): PlannedBatch => ({ batch, found: {} });

/** The next batch of the run's step, from its cursor; nothing is changed. */
export async function planBatch(
  deps: ErasureRunDeps,
  ctx: RunContext,
  progress: ErasureProgress,
): Promise<PlannedBatch> {
  const { step, cursor } = progress;
  switch (step) {
    case 'units':
      return only({ step, counts: {} });
    case 'features': {
      const plan = await deps.features.plan(ctx.entities, cursor);
      return only({
        step,
        ...(plan.next === undefined ? {} : { next: plan.next }),
        counts: {
          onlineItemsDeleted: plan.onlineItemsDeleted,
          offlineFilesRewritten: plan.offlineFilesRewritten,
          offlineRowsRemoved: plan.offlineRowsRemoved,
        },
        trainingSets: plan.trainingSets,
        features: plan,
      });
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
        batch: {
          step,
          ...(page.next === undefined ? {} : { next: page.next }),
          counts,
          experimentItems: page.items,
        },
        found: foundIds,
      };
    }
    case 'captures': {
      const keys = await deps.capture.list(cursor, CAPTURE_FILES_PER_BATCH);
      for (const key of keys) {
        const redacted = await redactedCapture(deps, ctx, key);
        if (redacted.removed === 0) continue;
        return {
          batch: {
            step,
            next: key,
            captureKey: key,
            counts: { captureFilesRewritten: 1, captureRecordsRemoved: redacted.removed },
          },
          found: redacted.model ? { [redacted.model]: redacted.removedIds } : {},
        };
      }
      return only(
        keys.length < CAPTURE_FILES_PER_BATCH
          ? { step, counts: {} }
          : { step, next: keys.at(-1), counts: {} },
      );
    }
    case 'labels': {
      // `<model index>:<offset>` into the model's ids in order: every id is found by this step.
      const models = [...new Set([...ctx.models, ...ctx.found.keys()])].sort();
      const [i, offset] = (cursor ?? '0:0').split(':').map(Number);
      const model = models[i];
      if (model === undefined) return only({ step, counts: {} });
      const ids = [...idsOf(ctx, model)].sort();
      const chunk = ids.slice(offset, offset + LABEL_IDS_PER_BATCH);
      const existing = chunk.length > 0 ? await deps.groundTruth.existing(model, chunk) : [];
      const next =
        offset + LABEL_IDS_PER_BATCH < ids.length
          ? `${i}:${offset + LABEL_IDS_PER_BATCH}`
          : i + 1 < models.length
            ? `${i + 1}:0`
            : undefined;
      return only({
        step,
        ...(next === undefined ? {} : { next }),
        counts: { groundTruthLabelsDeleted: existing.length },
        ...(existing.length > 0 ? { labels: { model, inferenceIds: existing } } : {}),
      });
    }
    case 'lineage':
      throw new Error('the lineage step has no batches');
  }
}

/** Applies a planned batch; applying it again changes nothing more. */
export async function applyBatch(deps: ErasureRunDeps, ctx: RunContext, batch: ErasureBatch): Promise<void> {
  switch (batch.step) {
    case 'units':
      return deps.experiments.tombstone(ctx.units);
    case 'features': {
      if (batch.features) return deps.features.apply(ctx.entities, batch.features, ctx.erasureId);
      // Recorded by a release whose step was one pass, naming nothing: the whole pass, batch by batch.
      let cursor: string | undefined;
      do {
        const planned = await deps.features.plan(ctx.entities, cursor);
        await deps.features.apply(ctx.entities, planned, ctx.erasureId);
        cursor = planned.next;
      } while (cursor !== undefined);
      return;
    }
    case 'experiments':
      return deps.experiments.apply(batch.experimentItems ?? []);
    case 'captures': {
      if (!batch.captureKey) return;
      // The file's own ids are known by now: they name the records its planning matched anyway.
      const redacted = await redactedCapture(deps, ctx, batch.captureKey);
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
