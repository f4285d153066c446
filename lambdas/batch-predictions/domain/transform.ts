/**
 * The Batch Transform engine's own steps. `prepareTransform` packages the version for Triton,
 * checks every input row before the model sees one (a row Triton refused would fail the whole
 * transform job, so refusals are dead-lettered here), and writes the good rows as Open Inference
 * Protocol requests, one per line, with an index saying which row each request's scores belong to.
 * `finalizeTransform` reads the job's joined output (each line the request with its
 * `SageMakerOutput`) and writes the same parts as the Distributed Map: every input row a
 * prediction carrying its key and the version that scored it, or a dead letter with its source
 * and reason; then the counts are checked as for the map.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import {
  type BatchCounts,
  type BatchJobInput,
  batchLayout,
  transformModelName,
} from '../../../contracts/batch-predictions';
import { csvRecords } from '../../monitoring';
import type { PreparedSource } from './ports';
import { checkRow, type RowSource } from './score-rows';
import type { RunFiles } from './steps';
import { deadLetterLines, partKeys, predictionLines, type RowGroupEntry } from './worker';

/** What the engine needs of a version: its Triton package and its input tensor. */
export interface TransformModel {
  /** The input's feature columns in the model's order; `undefined` when the model does not say. */
  readonly featureNames?: readonly string[];
  /** The graph's input tensor and its Open Inference Protocol datatype (`FP32`). */
  readonly input: { readonly name: string; readonly datatype: string };
  /** model.tar.gz in Triton's model repository layout. */
  readonly tritonPackage: Uint8Array;
}

export type LoadTransformModel = (job: BatchJobInput) => Promise<TransformModel>;

export interface TransformDeps {
  readonly files: RunFiles;
  readonly transformModel: LoadTransformModel;
}

/** Rows one request carries (one line of the transform input). */
export const TRANSFORM_ROWS_PER_REQUEST = 500;
/** A request line stays well under the job's MaxPayloadInMB (6). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
/** Rows per output part; a part is a resumed run's receipt, as the map's parts are. */
export const TRANSFORM_PART_ROWS = 10_000;

/** One input row as the index records it: scored by line `request` at `at`, refused, or done. */
interface IndexedRow {
  readonly key: unknown;
  readonly source: RowSource;
  readonly request?: string;
  readonly at?: number;
  readonly reason?: string;
}

/** The Task's result (`$.transform`): what CreateModel, CreateTransformJob and finalize read. */
export interface PreparedTransform {
  readonly modelName: string;
  readonly jobName: string;
  readonly tritonModelName: string;
  readonly modelDataUrl: string;
  readonly inputUri: string;
  readonly outputUri: string;
  readonly indexKey: string;
  readonly requests: number;
}

export const transformLayout = (job: BatchJobInput) => {
  const root = `${batchLayout(job.output.prefix, job.jobId).work}transform/attempt-${job.attempt}/`;
  return {
    package: `${root}model.tar.gz`,
    input: `${root}input/`,
    requests: `${root}input/requests.jsonl`,
    output: `${root}output/`,
    index: `${root}rows.json`,
  };
};

type Row = { readonly row: Record<string, unknown> | string; readonly source: RowSource };

/** Every input row in order, as the map's readers number them; an unreadable row carries why. */
async function readRows(files: TransformDeps['files'], source: PreparedSource): Promise<Row[]> {
  const object = `s3://${source.bucket}/${source.key}`;
  if (source.reader === 'rowGroups') {
    const groups = JSON.parse(await files.readText(source.bucket, source.key)) as RowGroupEntry[];
    const rows: Row[] = [];
    for (const g of groups) {
      const read = await files.readRowGroup(g.bucket, g.key, g.rowGroup);
      read.forEach((row, i) => {
        const index = g.firstRow + i;
        rows.push({ row, source: { object: `s3://${g.bucket}/${g.key}`, rowGroup: g.rowGroup, index } });
      });
    }
    return rows;
  }
  const text = await files.readText(source.bucket, source.key);
  if (source.reader === 'csv') {
    const [header = [], ...records] = csvRecords(text);
    return records.map((fields, index) => ({
      row:
        fields.length === header.length
          ? Object.fromEntries(header.map((name, i) => [name, fields[i]]))
          : `the row has ${fields.length} fields, the header ${header.length}`,
      source: { object, line: index + 2, index },
    }));
  }
  const rows: Row[] = [];
  text.split('\n').forEach((line, l) => {
    if (line.trim() === '') return;
    let row: Record<string, unknown> | string;
    try {
      const parsed = JSON.parse(line) as unknown;
      row =
        parsed && typeof parsed === 'object' && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : 'the line is not a JSON object';
    } catch {
      row = 'the line is not valid JSON';
    }
    rows.push({ row, source: { object, line: l + 1, index: rows.length } });
  });
  return rows;
}

export async function prepareTransform(
  deps: TransformDeps,
  job: BatchJobInput,
  source: PreparedSource,
): Promise<PreparedTransform> {
  const layout = transformLayout(job);
  const bucket = job.output.bucket;
  const model = await deps.transformModel(job);
  await deps.files.writeBytes(bucket, layout.package, model.tritonPackage);
  const rows = await readRows(deps.files, source);
  const firstRow = rows.find((r) => typeof r.row !== 'string')?.row as Record<string, unknown> | undefined;
  const featureNames =
    model.featureNames ??
    source.featureNames ??
    Object.keys(firstRow ?? {}).filter((name) => name !== job.keyColumn);

  // A part written by an earlier attempt is kept: its rows are not sent again.
  const doneParts = new Set<number>();
  for (let first = 0; first < rows.length; first += TRANSFORM_PART_ROWS)
    if (await deps.files.partCounts(bucket, partKeys(job, first).predictions)) doneParts.add(first);

  const index: IndexedRow[] = [];
  const lines: string[] = [];
  let batch: number[][] = [];
  let batchBytes = 0;
  const flush = () => {
    if (batch.length === 0) return;
    const id = String(lines.length);
    const input = {
      name: model.input.name,
      shape: [batch.length, featureNames.length],
      datatype: model.input.datatype,
      data: batch.flat(),
    };
    lines.push(`${JSON.stringify({ id, inputs: [input] })}\n`);
    batch = [];
    batchBytes = 0;
  };
  for (const { row, source: at } of rows) {
    if (doneParts.has(at.index - (at.index % TRANSFORM_PART_ROWS))) {
      index.push({ key: null, source: at });
      continue;
    }
    const checked =
      typeof row === 'string' ? { key: null, reason: row } : checkRow(row, job.keyColumn, featureNames);
    if ('reason' in checked) {
      index.push({ key: checked.key, source: at, reason: checked.reason });
      continue;
    }
    const bytes = checked.features.reduce((n, v) => n + String(v).length + 1, 0);
    if (batch.length === TRANSFORM_ROWS_PER_REQUEST || batchBytes + bytes > MAX_REQUEST_BYTES) flush();
    index.push({ key: checked.key, source: at, request: String(lines.length), at: batch.length });
    batch.push(checked.features);
    batchBytes += bytes;
  }
  flush();
  await deps.files.writeText(bucket, layout.requests, lines.join(''), 'application/jsonlines');
  await deps.files.writeText(bucket, layout.index, JSON.stringify(index));
  const name = transformModelName(job.jobId, job.attempt);
  return {
    modelName: name,
    jobName: name,
    tritonModelName: job.modelName,
    modelDataUrl: `s3://${bucket}/${layout.package}`,
    inputUri: `s3://${bucket}/${layout.input}`,
    outputUri: `s3://${bucket}/${layout.output}`,
    indexKey: layout.index,
    requests: lines.length,
  };
}

interface Scores {
  readonly scores: unknown[];
  readonly version: number | undefined;
}

/** Scores by request id from the job's output: one line per request, joined with its input. */
async function readScores(files: RunFiles, job: BatchJobInput): Promise<Map<string, Scores>> {
  const layout = transformLayout(job);
  const out = new Map<string, Scores>();
  for (const key of await files.list(job.output.bucket, layout.output)) {
    if (!key.endsWith('.out')) continue;
    for (const line of (await files.readText(job.output.bucket, key)).split('\n')) {
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
  }
  return out;
}

/**
 * Writes the parts of every row, in parts of `TRANSFORM_PART_ROWS` named by their first row; a
 * part an earlier attempt wrote is counted, not written again.
 */
export async function collectTransform(
  files: RunFiles,
  job: BatchJobInput,
  transform: Pick<PreparedTransform, 'indexKey'>,
): Promise<{ counts: BatchCounts; itemsRead: number }> {
  const bucket = job.output.bucket;
  const index = JSON.parse(await files.readText(bucket, transform.indexKey)) as IndexedRow[];
  const scores = await readScores(files, job);
  const counts = { read: 0, predicted: 0, failed: 0 };
  for (let first = 0; first < index.length; first += TRANSFORM_PART_ROWS) {
    const keys = partKeys(job, first);
    const done = await files.partCounts(bucket, keys.predictions);
    if (done) {
      counts.read += done.predicted + done.failed;
      counts.predicted += done.predicted;
      counts.failed += done.failed;
      continue;
    }
    const predictions: Array<{ key: unknown; prediction: number; version: number }> = [];
    const dead: Array<{ key: unknown; source: RowSource; reason: string }> = [];
    for (const row of index.slice(first, first + TRANSFORM_PART_ROWS)) {
      if (row.reason !== undefined || row.request === undefined) {
        dead.push({
          key: row.key,
          source: row.source,
          reason: row.reason ?? 'no part for a row sent before',
        });
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
    const part = { predicted: predictions.length, failed: dead.length };
    await files.writePart(bucket, keys.deadLetter, deadLetterLines(job.keyColumn, dead), part);
    await files.writePart(bucket, keys.predictions, predictionLines(job, predictions), part);
    counts.read += predictions.length + dead.length;
    counts.predicted += part.predicted;
    counts.failed += part.failed;
  }
  return { counts, itemsRead: index.length };
}
