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

/** How much one batch of the erasure pass reads at most. */
export interface FeatureErasureLimits {
  /** Offline Parquet files read (and rewritten) by one batch. @default 20 */
  readonly filesPerBatch?: number;
  /** Training-set requests read by one batch. @default 50 */
  readonly jobsPerBatch?: number;
}

export const FEATURE_ERASURE_LIMITS: Required<FeatureErasureLimits> = { filesPerBatch: 20, jobsPerBatch: 50 };

/**
 * One batch of the erasure pass: a run of one view's offline files in write order (the files to
 * rewrite, the entity keys whose online items go, and, with the view's last files, the keys built
 * from the erased values), or a page of training-set jobs to flag. Planned (read only, with the
 * figures it will add) and recorded before it is applied, so it holds names, never rows.
 */
export interface FeatureErasureBatch extends FeatureErasureResult {
  readonly view?: string;
  /** Offline files of `view` holding the entity, by key. */
  readonly files?: readonly string[];
  /** Entity keys of `view` whose online items (and a stream view's hourly buckets) go. */
  readonly entityKeys?: ReadonlyArray<Readonly<Record<string, EntityValue>>>;
  /** The time the buckets a stream view may still hold are reckoned from, as planned. */
  readonly nowMs: number;
  /** Where the pass goes on; absent: it is done. */
  readonly next?: string;
}

/** Where the pass is: in a view's files after a file's place in write order, or in the job list. */
type Cursor = { view: string; afterMs?: number; afterId?: string } | { jobsFrom: number };

const parseCursor = (cursor: string | undefined): Cursor | undefined =>
  cursor === undefined ? undefined : (JSON.parse(cursor) as Cursor);

/**
 * A file's place in write order: its write time and id. A rewrite keeps both (`<id>.r<n>`), so a
 * file rewritten by an earlier batch is not read again by the next.
 */
function placeOf(file: OfflineFile): [number, string] {
  const name = file.key.slice(file.key.lastIndexOf('/') + 1);
  return [file.writtenAtMs, name.split('.')[0]];
}

const after = (file: OfflineFile, ms: number, id: string): boolean => {
  const [fileMs, fileId] = placeOf(file);
  return fileMs > ms || (fileMs === ms && fileId > id);
};

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

/** The online items of the entity keys: the item, and for a stream view every hourly bucket still stored. */
function onlineKeysOf(
  view: FeatureView,
  entityKeys: ReadonlyArray<Readonly<Record<string, EntityValue>>>,
  nowMs: number,
): string[] {
  const keys = new Set<string>();
  for (const entityKey of entityKeys) {
    keys.add(onlineItemKey(view, entityKey));
    if (isStreamView(view)) for (const k of storedBucketKeys(view, entityKey, nowMs)) keys.add(k);
  }
  return [...keys];
}

const NOTHING: FeatureErasureResult = {
  onlineItemsDeleted: 0,
  offlineFilesRewritten: 0,
  offlineRowsRemoved: 0,
  trainingSets: [],
};

/**
 * The next batch of the erasure pass from `cursor` (the start when absent), changing nothing: the
 * views holding the erased join keys in name order, each view's offline files in write order, at
 * most `filesPerBatch` read, then the training-set jobs `jobsPerBatch` at a time. An online item
 * deleted by an earlier batch is not counted again, as it no longer exists.
 */
export async function planFeatureErasureBatch(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  cursor: string | undefined,
  options: FeatureErasureLimits & { nowMs?: number } = {},
): Promise<FeatureErasureBatch> {
  const limits = { ...FEATURE_ERASURE_LIMITS, ...options };
  const nowMs = options.nowMs ?? Date.now();
  const at = parseCursor(cursor);
  if (!at || 'view' in at) {
    const views = (await allViews(deps.views))
      .filter((v) => viewMatches(match, v))
      .sort((a, b) => a.name.localeCompare(b.name));
    const i = at ? views.findIndex((v) => v.name >= at.view) : 0;
    const view = views[i];
    if (view === undefined || i < 0) return planFeatureErasureBatch(deps, match, '{"jobsFrom":0}', options);
    const resumed = at && view.name === at.view ? at : undefined;
    const pending = (await deps.offline.listFiles(view.name))
      .filter((f) => resumed?.afterId === undefined || after(f, resumed.afterMs ?? 0, resumed.afterId))
      .sort((a, b) => {
        const [am, aid] = placeOf(a);
        const [bm, bid] = placeOf(b);
        return am - bm || aid.localeCompare(bid);
      });
    const read = pending.slice(0, limits.filesPerBatch);
    const files: string[] = [];
    const entityKeys = new Map<string, Readonly<Record<string, EntityValue>>>();
    let rowsRemoved = 0;
    for (const file of read) {
      const rows = await deps.offline.readRows(view, file);
      const erased = rows.filter((r) => keyMatches(match, r.entityKey));
      if (erased.length === 0) continue;
      files.push(file.key);
      rowsRemoved += erased.length;
      for (const r of erased) entityKeys.set(onlineItemKey(view, r.entityKey), r.entityKey);
    }
    const last = read.at(-1);
    const viewDone = pending.length <= limits.filesPerBatch;
    if (viewDone) {
      // The view's last batch: the keys built from the erased values, whether or not offline holds them.
      for (const [joinKey, values] of match) {
        for (const value of values) {
          const key = directKey(view, joinKey, value);
          if (key) entityKeys.set(onlineItemKey(view, key), key);
        }
      }
    }
    const next: Cursor = !viewDone
      ? { view: view.name, afterMs: placeOf(last!)[0], afterId: placeOf(last!)[1] }
      : views[i + 1]
        ? { view: views[i + 1].name }
        : { jobsFrom: 0 };
    const keys = [...entityKeys.values()];
    return {
      ...NOTHING,
      view: view.name,
      files,
      entityKeys: keys,
      nowMs,
      onlineItemsDeleted: await deps.online.countExisting(onlineKeysOf(view, keys, nowMs)),
      offlineFilesRewritten: files.length,
      offlineRowsRemoved: rowsRemoved,
      next: JSON.stringify(next),
    };
  }
  const jobIds = (await deps.jobs.listJobIds()).sort();
  const page = jobIds.slice(at.jobsFrom, at.jobsFrom + limits.jobsPerBatch);
  const trainingSets: Array<{ jobId: string; uris: string[] }> = [];
  for (const jobId of page) {
    const request = await deps.jobs.getRequest(jobId);
    if (!request?.entityRows.some((row) => keyMatches(match, row))) continue;
    const job = await deps.jobs.getJob(jobId);
    trainingSets.push({ jobId, uris: job?.outputUri ? [job.outputUri] : [] });
  }
  const end = at.jobsFrom + limits.jobsPerBatch;
  return {
    ...NOTHING,
    trainingSets,
    nowMs,
    ...(end < jobIds.length ? { next: JSON.stringify({ jobsFrom: end }) } : {}),
  };
}

/**
 * Applies a planned batch: its files rewritten without the entity's rows (a file a previous
 * attempt already rewrote is no longer listed, and is skipped), its online items deleted, its
 * training sets flagged. Applying it again changes nothing more.
 */
export async function applyFeatureErasureBatch(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  batch: FeatureErasureBatch,
  erasureId: string,
): Promise<void> {
  if (batch.view !== undefined) {
    const view = (await allViews(deps.views)).find((v) => v.name === batch.view);
    if (view) {
      // Finishes a rewrite an earlier attempt cut short (new file written, old one not yet gone).
      await deps.offline.removeSuperseded(view.name);
      const planned = new Set(batch.files ?? []);
      for (const file of await deps.offline.listFiles(view.name)) {
        if (!planned.has(file.key)) continue;
        const rows = await deps.offline.readRows(view, file);
        await deps.offline.rewrite(
          view,
          file,
          rows.filter((r) => !keyMatches(match, r.entityKey)),
        );
      }
      await deps.online.delete(onlineKeysOf(view, batch.entityKeys ?? [], batch.nowMs));
    }
  }
  for (const t of batch.trainingSets) await deps.jobs.flagErasure(t.jobId, erasureId);
}

/**
 * Removes the entities from every view holding their join keys, batch after batch: offline files
 * are rewritten without their rows, online items deleted (those of every key found offline, and
 * the direct key of a single-key view; for a stream view also every hourly bucket of its
 * aggregates that may still be stored), and training sets whose entity rows name them flagged.
 * Safe to re-run.
 */
export async function eraseFromFeatureStore(
  deps: FeatureErasureDeps,
  match: EntityMatch,
  erasureId: string,
  nowMs: number = Date.now(),
): Promise<FeatureErasureResult> {
  let total = { ...NOTHING, trainingSets: [] as Array<{ jobId: string; uris: string[] }> };
  let cursor: string | undefined;
  do {
    const batch = await planFeatureErasureBatch(deps, match, cursor, { nowMs });
    await applyFeatureErasureBatch(deps, match, batch, erasureId);
    total = {
      onlineItemsDeleted: total.onlineItemsDeleted + batch.onlineItemsDeleted,
      offlineFilesRewritten: total.offlineFilesRewritten + batch.offlineFilesRewritten,
      offlineRowsRemoved: total.offlineRowsRemoved + batch.offlineRowsRemoved,
      trainingSets: [...total.trainingSets, ...batch.trainingSets],
    };
    cursor = batch.next;
  } while (cursor !== undefined);
  return total;
}
