/**
 * Erasing entities from the feature store (the right to erasure): which views and rows hold an
 * erased entity key, the tombstone check that keeps a later push or materialization from bringing
 * one back, and the pass over a store that removes them online and rewrites the offline files
 * holding them. A row holds the entity when any of its join keys has an erased value, so a
 * composite key (`customer_id`, `merchant_id`) goes with either.
 */

import { type EntityMatch, keyMatches } from '../../../contracts/erasure-keys';
import type { EntityValue, FeatureRow, FeatureView } from '../../../contracts/features';
import { rowHashes } from './entity-hashes';
import { EntityErasedError } from './errors';
import { onlineItemKey } from './online';
import type { FeatureViewStore, OfflineFile, OfflineStore, TombstoneReader } from './ports';
import { isStreamView, storedBucketKeys } from './stream-ingest';

/** Whether a view has one of the erased join keys. */
export const viewMatches = (match: EntityMatch, view: Pick<FeatureView, 'entities'>): boolean =>
  view.entities.some((e) => match.has(e.name));

export { entityHashes, rowHashes } from './entity-hashes';

/** The rows of a batch whose entity was erased: the hashes found among the tombstones. */
async function erasedRows(
  tombstones: TombstoneReader,
  view: Pick<FeatureView, 'entities'>,
  rows: readonly FeatureRow[],
): Promise<boolean[]> {
  const hashes = rows.map((r) => rowHashes(view, r));
  const erased = await tombstones.erased([...new Set(hashes.flat())]);
  return hashes.map((h) => h.some((x) => erased.has(x)));
}

/**
 * Refuses a push holding an erased entity, before anything is written.
 * @throws EntityErasedError naming the rows (never the key values)
 */
export async function refuseErased(
  tombstones: TombstoneReader | undefined,
  view: FeatureView,
  rows: readonly FeatureRow[],
): Promise<void> {
  if (!tombstones || rows.length === 0) return;
  const erased = await erasedRows(tombstones, view, rows);
  const indexes = erased.flatMap((e, i) => (e ? [i] : []));
  if (indexes.length > 0) throw new EntityErasedError(view.name, indexes);
}

/** Drops rows of erased entities (materialization): the rows kept and how many were dropped. */
export async function withoutErased(
  tombstones: TombstoneReader | undefined,
  view: FeatureView,
  rows: readonly FeatureRow[],
): Promise<{ rows: FeatureRow[]; erased: number }> {
  if (!tombstones || rows.length === 0) return { rows: [...rows], erased: 0 };
  const erased = await erasedRows(tombstones, view, rows);
  const kept = rows.filter((_, i) => !erased[i]);
  return { rows: kept, erased: rows.length - kept.length };
}

/** What the erasure pass needs of the feature store's adapters. */
export interface FeatureErasureDeps {
  readonly views: Pick<FeatureViewStore, 'list'>;
  readonly offline: OfflineStore & {
    /** Replaces a file by one holding `rows` (none: the file goes), readers seeing one or the other. */
    rewrite(view: FeatureView, file: OfflineFile, rows: readonly FeatureRow[]): Promise<void>;
    /** Finishes rewrites cut short: removes files a later rewrite replaced. */
    removeSuperseded(viewName: string): Promise<void>;
  };
  readonly online: {
    delete(keys: readonly string[]): Promise<number>;
    /** How many of the keys are stored (a plan counts what its run will delete). */
    countExisting(keys: readonly string[]): Promise<number>;
  };
  readonly jobs: {
    listJobIds(): Promise<string[]>;
    getJob(jobId: string): Promise<{ outputUri?: string } | undefined>;
    getRequest(
      jobId: string,
    ): Promise<{ entityRows: ReadonlyArray<Readonly<Record<string, unknown>>> } | undefined>;
    /** Marks the job as built from an erased entity's data (kept, not deleted). */
    flagErasure(jobId: string, erasureId: string): Promise<void>;
  };
}

export interface FeatureErasureResult {
  readonly onlineItemsDeleted: number;
  readonly offlineFilesRewritten: number;
  readonly offlineRowsRemoved: number;
  /** Training sets built from the entity's rows, with the S3 URIs a model's lineage may name. */
  readonly trainingSets: ReadonlyArray<{ jobId: string; uris: string[] }>;
}

/** Every feature view, page by page. */
async function allViews(views: FeatureErasureDeps['views']): Promise<FeatureView[]> {
  const out: FeatureView[] = [];
  let nextToken: string | undefined;
  do {
    const page = await views.list({ limit: 100, ...(nextToken ? { nextToken } : {}) });
    out.push(...page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

/** A key of the view built from one erased value, typed as the view types it; undefined if it cannot be. */
function directKey(
  view: FeatureView,
  joinKey: string,
  value: string,
): Record<string, EntityValue> | undefined {
  const spec = view.entities.find((e) => e.name === joinKey);
  if (!spec || view.entities.length !== 1) return undefined;
  if (spec.valueType === 'string') return { [joinKey]: value };
  return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))
    ? { [joinKey]: Number(value) }
    : undefined;
}

/**
 * Removes the entities from every view holding their join keys: offline files are rewritten
 * without their rows, online items deleted (those of every key found offline, and the direct key
 * of a single-key view; for a stream view also every hourly bucket of its aggregates that may
 * still be stored), and training sets whose entity rows name them flagged. Safe to re-run.
 */
export function eraseFromFeatureStore(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  erasureId: string,
  nowMs: number = Date.now(),
): Promise<FeatureErasureResult> {
  return erasurePass(deps, match, erasureId, nowMs, true);
}

/**
 * What `eraseFromFeatureStore` would remove and flag, changing nothing: the figures a run records
 * before it removes, so a run cut short and resumed still reports what it removed, once.
 */
export function planFeatureErasure(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  nowMs: number = Date.now(),
): Promise<FeatureErasureResult> {
  return erasurePass(deps, match, '', nowMs, false);
}

async function erasurePass(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  erasureId: string,
  nowMs: number,
  apply: boolean,
): Promise<FeatureErasureResult> {
  let filesRewritten = 0;
  let rowsRemoved = 0;
  const onlineKeys = new Set<string>();
  // A stream view keeps an entity's aggregates in hourly buckets beside its online item.
  const addOnline = (view: FeatureView, entityKey: Readonly<Record<string, EntityValue>>) => {
    onlineKeys.add(onlineItemKey(view, entityKey));
    if (isStreamView(view)) for (const k of storedBucketKeys(view, entityKey, nowMs)) onlineKeys.add(k);
  };
  for (const view of (await allViews(deps.views)).filter((v) => viewMatches(match, v))) {
    if (apply) await deps.offline.removeSuperseded(view.name);
    for (const file of await deps.offline.listFiles(view.name)) {
      const rows = await deps.offline.readRows(view, file);
      const kept = rows.filter((r) => !keyMatches(match, r.entityKey));
      if (kept.length === rows.length) continue;
      for (const r of rows) if (keyMatches(match, r.entityKey)) addOnline(view, r.entityKey);
      if (apply) await deps.offline.rewrite(view, file, kept);
      filesRewritten++;
      rowsRemoved += rows.length - kept.length;
    }
    for (const [joinKey, values] of match) {
      for (const value of values) {
        const key = directKey(view, joinKey, value);
        if (key) addOnline(view, key);
      }
    }
  }
  const onlineItemsDeleted = apply
    ? await deps.online.delete([...onlineKeys])
    : await deps.online.countExisting([...onlineKeys]);
  const trainingSets: Array<{ jobId: string; uris: string[] }> = [];
  for (const jobId of await deps.jobs.listJobIds()) {
    const request = await deps.jobs.getRequest(jobId);
    if (!request?.entityRows.some((row) => keyMatches(match, row))) continue;
    if (apply) await deps.jobs.flagErasure(jobId, erasureId);
    const job = await deps.jobs.getJob(jobId);
    trainingSets.push({ jobId, uris: job?.outputUri ? [job.outputUri] : [] });
  }
  return {
    onlineItemsDeleted,
    offlineFilesRewritten: filesRewritten,
    offlineRowsRemoved: rowsRemoved,
    trainingSets,
  };
}
