/**
 * Getting rows in: push (validate all, then offline and online) and materialization (offline to
 * online for a time range, or incrementally past a watermark). Both are safe to repeat: online
 * writes are newer-wins, so the same rows leave the same items.
 */
import type {
  FeatureRow,
  FeatureView,
  MaterializationResult,
  PushRequest,
} from '../../../contracts/features';
import type { PushResult } from '../../../contracts/features-responses';
import { refuseErased, withoutErased } from './erasure';
import { latestPerItem } from './online';
import type { FeatureStoreDeps, OfflineFile } from './ports';
import { toFeatureRows } from './validation';
import { getFeatureView } from './views';

/** What a push wrote: the shape `POST /push` documents. */
export type { PushResult };

/**
 * Validates every row, refusing the whole batch on any problem before anything is written; then
 * appends the rows offline (history first, so the online store never serves a value the
 * offline store lacks) and writes the newest per entity online.
 * A row naming an erased entity refuses the whole batch too (409, not a partial write).
 * @throws FeatureViewNotFoundError, ValidationFailedError listing every bad row, EntityErasedError
 */
export async function pushRows(deps: FeatureStoreDeps, request: PushRequest): Promise<PushResult> {
  const view = await getFeatureView(deps, request.featureView);
  const rows = toFeatureRows(view, request.rows, { now: deps.now() });
  await refuseErased(deps.tombstones, view, rows);
  const files = await deps.offline.append(view, rows);
  // An erasure accepted between the check and the append may have listed the files already: check
  // again now the rows are written, and take them back if so (its tombstone is committed by then).
  try {
    await refuseErased(deps.tombstones, view, rows);
  } catch (err) {
    await deps.offline.discard?.(view, files);
    throw err;
  }
  const online = await deps.online.write(view, rows);
  return {
    featureView: view.name,
    rows: rows.length,
    offlineFiles: files.length,
    onlineWritten: online.written,
    onlineSkipped: online.skipped,
  };
}

/**
 * Backfill: every offline row with event time in `[startMs, endMs)` to the online store.
 * @throws FeatureViewNotFoundError
 */
export async function materializeRange(
  deps: FeatureStoreDeps,
  viewName: string,
  startMs: number,
  endMs: number,
): Promise<MaterializationResult> {
  const view = await getFeatureView(deps, viewName);
  const files = await deps.offline.listFiles(view.name, { fromMs: startMs, toMs: endMs });
  return materializeFiles(
    deps,
    view,
    files,
    (r) => r.eventTimestampMs >= startMs && r.eventTimestampMs < endMs,
  );
}

/**
 * Scheduled, incremental: the files written since the watermark (less an overlap, since an S3
 * write and its manifest entry are not atomic with our clock), then the watermark moves to the
 * newest file read. Late-arriving rows are caught because files are followed by write time,
 * not event time; re-reading the overlap rewrites identical items.
 * @param overlapMs how far behind the watermark to start again
 */
export async function materializeIncremental(
  deps: FeatureStoreDeps,
  viewName: string,
  overlapMs = 5 * 60_000,
): Promise<MaterializationResult> {
  const view = await getFeatureView(deps, viewName);
  const watermark = await deps.views.getWatermark(view.name);
  const all = await deps.offline.listFiles(view.name);
  const files = all.filter((f) => watermark === undefined || f.writtenAtMs > watermark - overlapMs);
  const result = await materializeFiles(deps, view, files, () => true);
  const newest = Math.max(watermark ?? 0, ...files.map((f) => f.writtenAtMs));
  if (files.length > 0) await deps.views.advanceWatermark(view.name, newest);
  return { ...result, ...(files.length > 0 || watermark !== undefined ? { watermarkMs: newest } : {}) };
}

async function materializeFiles(
  deps: FeatureStoreDeps,
  view: FeatureView,
  files: readonly OfflineFile[],
  keep: (row: FeatureRow) => boolean,
): Promise<MaterializationResult> {
  const inRange: FeatureRow[] = [];
  let rowsRead = 0;
  for (const file of files) {
    const fileRows = await deps.offline.readRows(view, file);
    rowsRead += fileRows.length;
    for (const row of fileRows) if (keep(row)) inRange.push(row);
  }
  // Offline files are rewritten by the erasure; a file written by a push that raced it is not.
  const { rows, erased } = await withoutErased(deps.tombstones, view, inRange);
  const distinct = latestPerItem(view, rows).size;
  const online = rows.length > 0 ? await deps.online.write(view, rows) : { written: 0, skipped: 0 };
  return {
    featureView: view.name,
    filesRead: files.length,
    rowsRead,
    itemsConsidered: distinct,
    itemsWritten: online.written,
    itemsSkipped: online.skipped,
    ...(erased > 0 ? { rowsErased: erased } : {}),
  };
}

/**
 * The freshness of a view: age in seconds of its newest offline row at `nowMs`, or undefined
 * when it has no rows. What the freshness metric reports and its alarm compares with the view's
 * `expectedIntervalSeconds`.
 */
export function freshnessSeconds(files: readonly OfflineFile[], nowMs: number): number | undefined {
  if (files.length === 0) return undefined;
  const newest = Math.max(...files.map((f) => f.maxEventTimestampMs));
  return Math.max(0, (nowMs - newest) / 1000);
}
