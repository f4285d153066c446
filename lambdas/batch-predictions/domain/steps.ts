/**
 * The state machine's own steps around the engines: prepare (mark the run RUNNING, resolve what
 * the Distributed Map reads), finalize (count every row from the Map's ResultWriter output, a child
 * per JSON line, dead-letter the rows of batches that failed outright, then finish the job) and fail.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import {
  type BatchCounts,
  type BatchJobInput,
  batchLayout,
  parseS3Uri,
} from '../../../contracts/batch-predictions';
import { type Enrich, enrichedInput, writeRowGroupManifest } from './enriched-input';
import { failJob, finishJob, markRunning } from './jobs';
import type { JobDeps, JobModels, PreparedSource } from './ports';
import type { RowSource } from './score-rows';
import {
  type LoadTransformModel,
  type MapResult,
  type PreparedTransform,
  prepareTransform as prepareTransformRun,
  sumTransformShards,
} from './transform';
import {
  type BatchCountsResult,
  type BatchFiles,
  batchRowCount,
  deadLetterLines,
  partKeys,
  type RowGroupEntry,
  rowGroupRowSource,
  rowSourceOf,
  type WorkerEvent,
} from './worker';

export interface RunFiles extends Pick<BatchFiles, 'partCounts' | 'writePart' | 'readRowGroup'> {
  list(bucket: string, prefix: string): Promise<string[]>;
  rowGroups(bucket: string, key: string): Promise<number[]>;
  readText(bucket: string, key: string): Promise<string>;
  /** An object's text; `undefined` when there is none. */
  readOptionalText(bucket: string, key: string): Promise<string | undefined>;
  /** Calls `onLine` with each non-empty line of an object, streamed: the object is never held whole. */
  eachLine(bucket: string, key: string, onLine: (line: string) => void | Promise<void>): Promise<void>;
  /** Whether any object is under a prefix (one ListObjectsV2 of one key). */
  hasObjects(bucket: string, prefix: string): Promise<boolean>;
  writeText(bucket: string, key: string, body: string, contentType?: string): Promise<void>;
  writeBytes(bucket: string, key: string, body: Uint8Array): Promise<void>;
}

export type { Enrich } from './enriched-input';

export interface StepDeps extends JobDeps {
  readonly files: RunFiles;
  readonly enrich?: Enrich;
  /** The Batch Transform engine's view of a version (its Triton package, its input tensor). */
  readonly transformModel?: LoadTransformModel;
  /** Deletes a stopped run's transform model. */
  readonly jobModels?: JobModels;
}

/** Resolves an object or a prefix holding exactly what one reader reads. */
async function objectsOf(files: RunFiles, uri: string): Promise<{ bucket: string; keys: string[] }> {
  const { bucket, key } = parseS3Uri(uri);
  const keys = key.endsWith('/') ? await files.list(bucket, key) : [key];
  if (keys.length === 0) throw new Error(`no objects under ${uri}`);
  return { bucket, keys };
}

export async function prepare(deps: StepDeps, job: BatchJobInput): Promise<PreparedSource> {
  await markRunning(deps, job);
  const layout = batchLayout(job.output.prefix, job.jobId);
  const mapResultsPrefix = `${layout.mapResults}/attempt-${job.attempt}`;
  const input = job.input;
  if (!('uri' in input)) {
    if (!deps.enrich) throw new Error('enrichment from a feature view is not wired in this function');
    // A dead letter names the entity list's row, not the joined copy's.
    const rowsFrom = { object: input.entities, format: 'csv' as const };
    const { manifestKey: key, featureNames } = await enrichedInput(deps, job);
    return { bucket: job.output.bucket, key, reader: 'rowGroups', mapResultsPrefix, featureNames, rowsFrom };
  }
  const { bucket, keys } = await objectsOf(deps.files, input.uri);
  if (input.format === 'parquet') {
    const key = await writeRowGroupManifest(deps.files, bucket, keys, {
      bucket: job.output.bucket,
      key: `${layout.work}row-groups.json`,
    });
    return { bucket: job.output.bucket, key, reader: 'rowGroups', mapResultsPrefix };
  }
  // A CSV or JSON Lines ItemReader reads one object; a prefix names exactly one.
  if (keys.length > 1)
    throw new Error(
      `${input.uri} holds ${keys.length} objects: a CSV or JSON Lines job reads one object (Parquet prefixes take many)`,
    );
  return { bucket, key: keys[0], reader: input.format, mapResultsPrefix };
}

interface ResultWriterManifest {
  readonly DestinationBucket: string;
  readonly ResultFiles: Record<string, ReadonlyArray<{ Key: string }>>;
}

interface ChildResult {
  readonly Input: string;
  readonly Output?: string;
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * Sums every batch from the ResultWriter's files. A batch that failed outright (its worker gave
 * up after its retries) has its rows dead-lettered here, with the worker's error as the reason,
 * unless a resumed run already wrote its parts; so every row is in an output or a dead letter.
 */
export async function finalize(
  deps: StepDeps,
  job: BatchJobInput,
  resultWriter: { Bucket: string; Key: string },
): Promise<{ status: string; counts: BatchCounts }> {
  const manifest = JSON.parse(
    await deps.files.readText(resultWriter.Bucket, resultWriter.Key),
  ) as ResultWriterManifest;
  const counts = { read: 0, predicted: 0, failed: 0 };
  let itemsRead = 0;
  for (const [status, files] of Object.entries(manifest.ResultFiles)) {
    for (const file of files) {
      // A child a line (JSON Lines): memory holds one batch, however many the run had.
      await deps.files.eachLine(manifest.DestinationBucket, file.Key, async (line) => {
        const result = JSON.parse(line) as ChildResult;
        const event = JSON.parse(result.Input) as WorkerEvent;
        itemsRead += batchRowCount(event);
        if (status === 'SUCCEEDED' && result.Output) {
          const out = JSON.parse(result.Output) as BatchCountsResult;
          counts.read += out.read;
          counts.predicted += out.predicted;
          counts.failed += out.failed;
        } else {
          const dead = await deadLetterFailedBatch(
            deps.files,
            job,
            event,
            `${result.Error ?? 'States.TaskFailed'}: ${result.Cause ?? ''}`,
          );
          counts.read += dead.predicted + dead.failed;
          counts.predicted += dead.predicted;
          counts.failed += dead.failed;
        }
      });
    }
  }
  return finishRun(deps, job, { counts, itemsRead });
}

async function finishRun(
  deps: StepDeps,
  job: BatchJobInput,
  outcome: { counts: BatchCounts; itemsRead: number },
): Promise<{ status: string; counts: BatchCounts }> {
  try {
    const finished = await finishJob(deps, job, outcome);
    return { status: finished.status, counts: outcome.counts };
  } catch (err) {
    // Cancelled while the last batches ran: the job stays CANCELLED, its parts stay for a resume.
    if ((err as { code?: string }).code === 'CONCURRENT_MODIFICATION')
      return { status: 'UNCHANGED', counts: outcome.counts };
    throw err;
  }
}

/** Batch Transform's input: the version's Triton package and the checked rows as requests. */
export async function prepareTransform(
  deps: StepDeps,
  job: BatchJobInput,
  source: PreparedSource,
): Promise<PreparedTransform> {
  if (!deps.transformModel) throw new Error('the Batch Transform engine is not wired in this function');
  return prepareTransformRun({ files: deps.files, transformModel: deps.transformModel }, job, source);
}

/**
 * Once every shard is collected: the counts of both shard maps summed, then the job finished as the
 * map's (rows handed out = rows read = predicted + failed).
 */
export async function finalizeTransform(
  deps: StepDeps,
  job: BatchJobInput,
  maps: { readonly shards: MapResult; readonly collected: MapResult },
): Promise<{ status: string; counts: BatchCounts }> {
  return finishRun(deps, job, await sumTransformShards(deps.files, [maps.shards, maps.collected]));
}

async function deadLetterFailedBatch(
  files: RunFiles,
  job: BatchJobInput,
  event: WorkerEvent,
  reason: string,
): Promise<{ predicted: number; failed: number }> {
  const { source } = event.BatchInput;
  const rowGroups = source.reader === 'rowGroups';
  const firstIndex = rowGroups ? (event.Items[0].row as RowGroupEntry).firstRow : event.Items[0].index;
  const keys = partKeys(job, firstIndex);
  const done = await files.partCounts(job.output.bucket, keys.predictions);
  if (done) return done;
  const rows: Array<{ key: unknown; source: RowSource; reason: string }> = [];
  for (const item of event.Items) {
    if (rowGroups) {
      const g = item.row as RowGroupEntry;
      // Rows joined from an entity list are the job's own file: read back, each names its key and
      // the list's row. A caller's row group may be what failed, so it is named by position alone.
      const read = source.rowsFrom ? await files.readRowGroup(g.bucket, g.key, g.rowGroup) : undefined;
      for (let i = 0; i < g.rows; i++)
        rows.push({
          key: read?.[i]?.[job.keyColumn] ?? null,
          reason,
          source: rowGroupRowSource(source, g, i, read?.[i]),
        });
    } else {
      const row = (item.row ?? {}) as Record<string, unknown>;
      rows.push({ key: row[job.keyColumn] ?? null, reason, source: rowSourceOf(source, item.index) });
    }
  }
  const counts = { predicted: 0, failed: rows.length };
  await files.writePart(job.output.bucket, keys.deadLetter, deadLetterLines(job.keyColumn, rows), counts);
  await files.writePart(
    job.output.bucket,
    keys.predictions,
    job.output.format === 'csv' ? `${job.keyColumn},prediction,model_version\n` : '',
    counts,
  );
  return counts;
}

/** The Catch of every engine: the job FAILED with the error; a job cancelled meanwhile stays so. */
export async function fail(deps: StepDeps, job: BatchJobInput, error: { Error?: string; Cause?: string }) {
  try {
    const failed = await failJob(deps, job, error.Error ?? 'States.TaskFailed', error.Cause ?? '');
    return { status: failed.status };
  } catch (err) {
    if ((err as { code?: string }).code === 'CONCURRENT_MODIFICATION') return { status: 'UNCHANGED' };
    throw err;
  }
}
