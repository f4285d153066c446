/**
 * One shard of a Batch Transform run, on each side of the transform job. `writeTransformShard` is
 * a child of the Distributed Map over the input (a batch of rows, as the map engine's worker gets
 * them): it checks the rows, writes the good ones as Open Inference Protocol requests (one line of
 * up to 500 rows each) and an index saying which request and position scores each row. A shard
 * whose parts an earlier attempt wrote sends nothing; a shard with no good row writes its parts
 * at once. `collectTransformShard` is a child of the Distributed Map over the indexes: it joins a
 * shard's index with its `.out` object into the shard's parts. Each reads one shard, so neither
 * grows with the input.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import type { BatchJobInput } from '../../../contracts/batch-predictions';
import type { PreparedSource } from './ports';
import { checkRow, type RowSource } from './score-rows';
import type { RunFiles } from './steps';
import { type PreparedTransform, type ShardCounts, transformLayout } from './transform';
import {
  batchFirstIndex,
  batchRowCount,
  deadLetterLines,
  inputRows,
  partKeys,
  predictionLines,
  type WorkerEvent,
} from './worker';

/** Rows one request carries (one line of the transform input). */
export const TRANSFORM_ROWS_PER_REQUEST = 500;
/** A request line stays well under the job's MaxPayloadInMB (6). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/** A shard's row as its index records it: scored by line `request` at `at`, or refused. */
interface IndexedRow {
  readonly key: unknown;
  readonly source: RowSource;
  readonly request?: string;
  readonly at?: number;
  readonly reason?: string;
}

interface ShardIndex {
  readonly firstIndex: number;
  readonly rows: readonly IndexedRow[];
}

/** An input map child's event: the ItemBatcher's batch with the run's shared input. */
export interface TransformShardEvent {
  readonly BatchInput: {
    readonly job: BatchJobInput;
    readonly source: PreparedSource;
    readonly transform: PreparedTransform;
  };
  readonly Items: WorkerEvent['Items'];
}

type DeadRow = { key: unknown; source: RowSource; reason: string };

async function writeParts(
  files: RunFiles,
  job: BatchJobInput,
  firstIndex: number,
  predictions: Array<{ key: unknown; prediction: number; version: number }>,
  dead: DeadRow[],
): Promise<{ predicted: number; failed: number }> {
  const keys = partKeys(job, firstIndex);
  const part = { predicted: predictions.length, failed: dead.length };
  // The predictions part last: it is the shard's receipt.
  await files.writePart(job.output.bucket, keys.deadLetter, deadLetterLines(job.keyColumn, dead), part);
  await files.writePart(job.output.bucket, keys.predictions, predictionLines(job, predictions), part);
  return part;
}

export async function writeTransformShard(files: RunFiles, event: TransformShardEvent): Promise<ShardCounts> {
  const { job, transform } = event.BatchInput;
  if (event.Items.length === 0) throw new Error('a shard with no items');
  const firstIndex = batchFirstIndex(event);
  const rowCount = batchRowCount(event);
  const done = await files.partCounts(job.output.bucket, partKeys(job, firstIndex).predictions);
  if (done) return { firstIndex, rows: rowCount, ...done };

  const { rows } = await inputRows(files, event);
  const featureNames =
    transform.featureNames ?? Object.keys(rows[0]?.row ?? {}).filter((name) => name !== job.keyColumn);
  const index: IndexedRow[] = [];
  const lines: string[] = [];
  let batch: number[][] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const input = {
      name: transform.input.name,
      shape: [batch.length, featureNames.length],
      datatype: transform.input.datatype,
      data: batch.flat(),
    };
    lines.push(`${JSON.stringify({ id: String(lines.length), inputs: [input] })}\n`);
    batch = [];
    batchBytes = 0;
  };
  for (const { row, source } of rows) {
    const checked = checkRow(row, job.keyColumn, featureNames);
    if ('reason' in checked) {
      index.push({ key: checked.key, source, reason: checked.reason });
      continue;
    }
    const bytes = checked.features.reduce((n, v) => n + String(v).length + 1, 0);
    if (batch.length === TRANSFORM_ROWS_PER_REQUEST || batchBytes + bytes > MAX_REQUEST_BYTES) flush();
    index.push({ key: checked.key, source, request: String(lines.length), at: batch.length });
    batch.push(checked.features);
    batchBytes += bytes;
  }
  flush();
  if (lines.length === 0) {
    const dead = index.map((r) => ({ key: r.key, source: r.source, reason: r.reason ?? 'refused' }));
    return { firstIndex, rows: rowCount, ...(await writeParts(files, job, firstIndex, [], dead)) };
  }
  const shard = transformLayout(job).shard(firstIndex);
  // The index first: a request file without its index would be scored and never collected.
  const body: ShardIndex = { firstIndex, rows: index };
  await files.writeText(job.output.bucket, shard.index, JSON.stringify(body));
  await files.writeText(job.output.bucket, shard.requests, lines.join(''), 'application/jsonlines');
  return { firstIndex, rows: rowCount, predicted: 0, failed: 0 };
}

interface Scores {
  readonly scores: unknown[];
  readonly version: number | undefined;
}

/** Scores by request id from one shard's output: a line per request, joined with its input. */
function scoresOf(text: string): Map<string, Scores> {
  const out = new Map<string, Scores>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const joined = JSON.parse(line) as { id?: string; SageMakerOutput?: Record<string, unknown> };
    const response = (joined.SageMakerOutput ?? joined) as {
      id?: string;
      model_version?: string;
      outputs?: Array<{ shape?: number[]; data?: unknown[] }>;
    };
    const id = joined.id ?? response.id;
    const output = response.outputs?.[0];
    if (id === undefined || !output?.data) continue;
    // One score per row: the last column of a [rows, k] output (a classifier's positive class).
    const rows = output.shape?.[0] ?? output.data.length;
    const width = rows > 0 ? output.data.length / rows : 1;
    const scores = Array.from({ length: rows }, (_, i) => output.data![i * width + width - 1]);
    const version = Number(response.model_version);
    out.set(id, { scores, version: Number.isInteger(version) && version > 0 ? version : undefined });
  }
  return out;
}

/** A collect map child's event: one shard's index object, as the ListObjectsV2 reader lists it. */
export interface CollectShardEvent {
  readonly job: BatchJobInput;
  readonly indexKey: string;
}

/** One shard's index joined with its transform output into its parts; parts already there are counted. */
export async function collectTransformShard(files: RunFiles, event: CollectShardEvent): Promise<ShardCounts> {
  const { job } = event;
  const bucket = job.output.bucket;
  const shard = JSON.parse(await files.readText(bucket, event.indexKey)) as ShardIndex;
  const done = await files.partCounts(bucket, partKeys(job, shard.firstIndex).predictions);
  if (done) return { firstIndex: shard.firstIndex, ...done };
  const output = await files.readOptionalText(bucket, transformLayout(job).shard(shard.firstIndex).output);
  const scores = scoresOf(output ?? '');
  const predictions: Array<{ key: unknown; prediction: number; version: number }> = [];
  const dead: DeadRow[] = [];
  for (const row of shard.rows) {
    if (row.reason !== undefined || row.request === undefined) {
      dead.push({ key: row.key, source: row.source, reason: row.reason ?? 'refused' });
      continue;
    }
    const scored = scores.get(row.request);
    const prediction = scored?.scores[row.at ?? 0];
    if (typeof prediction === 'number' && Number.isFinite(prediction))
      predictions.push({ key: row.key, prediction, version: scored?.version ?? job.version });
    else
      dead.push({
        key: row.key,
        source: row.source,
        reason: scored
          ? `the model returned ${JSON.stringify(prediction) ?? 'no score'}`
          : `the transform job wrote no output for request ${row.request}`,
      });
  }
  return {
    firstIndex: shard.firstIndex,
    ...(await writeParts(files, job, shard.firstIndex, predictions, dead)),
  };
}
