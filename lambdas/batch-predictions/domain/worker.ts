/**
 * One Distributed Map child: a batch of rows (CSV or JSON Lines items, or one Parquet row group)
 * scored and written as two parts named by the batch's first row, the dead letters first and the
 * predictions last. A predictions part is the batch's receipt: a resumed run finds it and returns
 * its counts without scoring again, so a resumed job's output is a clean run's.
 */
import { type BatchJobInput, batchLayout, batchPartName } from '../../../contracts/batch-predictions';
import type { PreparedSource } from './ports';
import { type InputRow, type RowSource, type Score, scoreRows } from './score-rows';

/** One Parquet row group of the row-group manifest the prepare step writes. */
export interface RowGroupEntry {
  readonly bucket: string;
  readonly key: string;
  readonly rowGroup: number;
  /** Index of the group's first row over the whole input. */
  readonly firstRow: number;
  readonly rows: number;
}

/** A Distributed Map child's input with an ItemBatcher: the shared BatchInput and the items. */
export interface WorkerEvent {
  readonly BatchInput: { readonly job: BatchJobInput; readonly source: PreparedSource };
  readonly Items: ReadonlyArray<{ readonly index: number; readonly row: unknown }>;
}

export interface BatchCountsResult {
  readonly firstIndex: number;
  readonly read: number;
  readonly predicted: number;
  readonly failed: number;
  /** True when the batch's parts were there already (a resumed run). */
  readonly resumed: boolean;
}

export interface PartCounts {
  readonly predicted: number;
  readonly failed: number;
}

export interface BatchFiles {
  /** The counts a predictions part was written with; `undefined` when there is none. */
  partCounts(bucket: string, key: string): Promise<PartCounts | undefined>;
  /** Writes a part with its counts as metadata. */
  writePart(bucket: string, key: string, body: string, counts: PartCounts): Promise<void>;
  readRowGroup(bucket: string, key: string, rowGroup: number): Promise<Array<Record<string, unknown>>>;
}

export interface LoadedModel {
  /** The input's feature columns in the model's order; `undefined` when the model does not say. */
  readonly featureNames?: readonly string[];
  readonly score: Score;
}

export interface WorkerDeps {
  readonly files: BatchFiles;
  loadModel(bucket: string, key: string): Promise<LoadedModel>;
}

const csvCell = (v: unknown): string => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The job's parts for the batch starting at `firstIndex`. */
export function partKeys(job: BatchJobInput, firstIndex: number) {
  const layout = batchLayout(job.output.prefix, job.jobId);
  return {
    predictions: `${layout.predictions}${batchPartName(firstIndex, job.output.format)}`,
    deadLetter: `${layout.deadLetter}${batchPartName(firstIndex, 'jsonl')}`,
  };
}

/** Dead-letter rows as JSON Lines: the key, where the row came from, why. */
export function deadLetterLines(
  keyColumn: string,
  rows: ReadonlyArray<{ key: unknown; source: RowSource; reason: string }>,
): string {
  return rows
    .map((d) => `${JSON.stringify({ [keyColumn]: d.key, source: d.source, reason: d.reason })}\n`)
    .join('');
}

/** A predictions part in the job's format: key, prediction and the version that scored it. */
export function predictionLines(
  job: BatchJobInput,
  rows: ReadonlyArray<{ key: unknown; prediction: number; version: number }>,
): string {
  if (job.output.format === 'csv')
    return [
      `${csvCell(job.keyColumn)},prediction,model_version\n`,
      ...rows.map((p) => `${csvCell(p.key)},${p.prediction},${p.version}\n`),
    ].join('');
  return rows
    .map(
      (p) =>
        `${JSON.stringify({ [job.keyColumn]: p.key, prediction: p.prediction, model_version: p.version })}\n`,
    )
    .join('');
}

/** A batch's rows with their source locations; a batch of row groups reads each group. */
export async function inputRows(
  files: Pick<BatchFiles, 'readRowGroup'>,
  event: Batch,
): Promise<{ firstIndex: number; rows: InputRow[] }> {
  const { source } = event.BatchInput;
  if (source.reader === 'rowGroups') {
    const rows: InputRow[] = [];
    for (const item of event.Items) {
      const g = item.row as RowGroupEntry;
      const read = await files.readRowGroup(g.bucket, g.key, g.rowGroup);
      read.forEach((row, i) => {
        rows.push({ index: g.firstRow + i, row, source: rowGroupRowSource(source, g, i, row) });
      });
    }
    return { firstIndex: (event.Items[0].row as RowGroupEntry).firstRow, rows };
  }
  return {
    firstIndex: event.Items[0].index,
    rows: event.Items.map((item) => ({
      index: item.index,
      row: (item.row ?? {}) as Record<string, unknown>,
      source: rowSourceOf(source, item.index),
    })),
  };
}

/**
 * Where the CSV or JSON Lines row at `index` came from: the object read or, for rows enriched from
 * an entity list, the list's own row (the joined copy keeps the list's order, a row per row).
 */
export function rowSourceOf(source: PreparedSource, index: number): RowSource {
  const from = source.rowsFrom ?? { object: `s3://${source.bucket}/${source.key}`, format: source.reader };
  // CSV line 1 is the header; JSON Lines start at line 1.
  return { object: from.object, line: index + (from.format === 'csv' ? 2 : 1), index };
}

/** The column of a joined row numbering the entity list's data rows (the feature store's `__row_id`). */
export const ENTITY_ROW_ID = '__row_id';

/**
 * Where the row `i` of a row group came from: the group or, for rows joined from an entity list,
 * the list's own row, which the row's `__row_id` names whatever order the join's files came in.
 */
export function rowGroupRowSource(
  source: PreparedSource,
  g: RowGroupEntry,
  i: number,
  row?: Record<string, unknown>,
): RowSource {
  if (!source.rowsFrom)
    return { object: `s3://${g.bucket}/${g.key}`, rowGroup: g.rowGroup, index: g.firstRow + i };
  const id = row?.[ENTITY_ROW_ID];
  return rowSourceOf(source, typeof id === 'number' || typeof id === 'bigint' ? Number(id) : g.firstRow + i);
}

type Batch = Pick<WorkerEvent, 'Items'> & { readonly BatchInput: { readonly source: PreparedSource } };

/** The input index of a batch's first row: its parts are named by it. */
export const batchFirstIndex = (event: Batch): number =>
  event.BatchInput.source.reader === 'rowGroups'
    ? (event.Items[0].row as RowGroupEntry).firstRow
    : event.Items[0].index;

/** Rows a batch's items stand for: its items, or the rows of its row groups. */
export const batchRowCount = (event: Batch): number =>
  event.BatchInput.source.reader === 'rowGroups'
    ? event.Items.reduce((n, i) => n + (i.row as RowGroupEntry).rows, 0)
    : event.Items.length;

export async function runBatch(deps: WorkerDeps, event: WorkerEvent): Promise<BatchCountsResult> {
  const { job } = event.BatchInput;
  if (event.Items.length === 0) throw new Error('a batch with no items');
  const firstKeys = batchFirstIndex(event);
  const keys = partKeys(job, firstKeys);
  const done = await deps.files.partCounts(job.output.bucket, keys.predictions);
  if (done) return { firstIndex: firstKeys, read: done.predicted + done.failed, ...done, resumed: true };

  const { firstIndex, rows } = await inputRows(deps.files, event);
  const model = await deps.loadModel(job.artifact.bucket, job.artifact.key);
  const featureNames =
    model.featureNames ??
    event.BatchInput.source.featureNames ??
    Object.keys(rows[0]?.row ?? {}).filter((name) => name !== job.keyColumn);
  const scored = scoreRows(rows, job.keyColumn, featureNames, model.score);
  const counts = { predicted: scored.predictions.length, failed: scored.deadLetters.length };
  await deps.files.writePart(
    job.output.bucket,
    keys.deadLetter,
    deadLetterLines(job.keyColumn, scored.deadLetters),
    counts,
  );
  const body = predictionLines(
    job,
    scored.predictions.map((p) => ({ ...p, version: job.version })),
  );
  await deps.files.writePart(job.output.bucket, keys.predictions, body, counts);
  return { firstIndex, read: rows.length, ...counts, resumed: false };
}
