/**
 * The input of a job over a feature view and an entity list: the list joined on the feature
 * store's offline engine, its Parquet output the job's rows (a row-group manifest, as a Parquet
 * job's), committed once so every run of the job reads the same rows.
 */
import { type BatchJobInput, batchLayout, parseS3Uri } from '../../../contracts/batch-predictions';
import type { RunFiles, StepDeps } from './steps';
import type { RowGroupEntry } from './worker';

/**
 * Enrichment: an entity list (CSV) joined with every feature of the view point in time as of
 * `asOf` on the feature store's offline engine, written as Parquet under `work` (the engine's
 * scratch objects too), each joined row carrying the list's columns, the view's features and its
 * `__row_id`. Returns the output's keys in row order and the view's feature names in order.
 */
export type Enrich = (
  featureView: string,
  entities: { bucket: string; key: string },
  asOf: Date,
  run: {
    readonly runId: string;
    readonly work: { bucket: string; prefix: string };
    readonly rowsPerFile: number;
  },
) => Promise<{ readonly keys: readonly string[]; readonly featureNames: readonly string[] }>;

/** What a job's join committed: read by a resumed run instead of joining again. */
export interface EnrichedInput {
  readonly manifestKey: string;
  readonly featureNames: readonly string[];
}

/**
 * Rows per file of the joined output, where the engine sizes them (DuckDB; Athena's UNLOAD sizes its
 * own): a file is one row group, and a row group one map batch.
 */
const ENRICHED_ROWS_PER_FILE = 1000;

/** The row groups of Parquet objects in order, each with its first row's index: the map's items. */
export async function writeRowGroupManifest(
  files: RunFiles,
  bucket: string,
  keys: readonly string[],
  at: { bucket: string; key: string },
): Promise<string> {
  const manifest: RowGroupEntry[] = [];
  let firstRow = 0;
  for (const key of keys) {
    (await files.rowGroups(bucket, key)).forEach((rows, rowGroup) => {
      manifest.push({ bucket, key, rowGroup, firstRow, rows });
      firstRow += rows;
    });
  }
  await files.writeText(at.bucket, at.key, JSON.stringify(manifest));
  return at.key;
}

/**
 * A feature-view job's input: the join its first run committed (`work/enriched/input.json`), so a
 * resumed run's batches, and so its parts, are the first run's; else its entity list joined on the
 * feature store's engine into Parquet under the attempt's `work/enriched/attempt-<n>/`, its
 * row-group manifest written, then both committed.
 */
export async function enrichedInput(
  deps: Pick<StepDeps, 'files' | 'enrich' | 'now'>,
  job: BatchJobInput,
): Promise<EnrichedInput> {
  const committedKey = `${batchLayout(job.output.prefix, job.jobId).work}enriched/input.json`;
  const committed = await deps.files.readOptionalText(job.output.bucket, committedKey);
  if (committed) return JSON.parse(committed) as EnrichedInput;
  const input = job.input as Extract<BatchJobInput['input'], { featureView: string }>;
  // Submit sets asOf; a job recorded before it existed joins as of now.
  const asOf = new Date(input.asOf ?? deps.now().toISOString());
  const work = {
    bucket: job.output.bucket,
    prefix: `${batchLayout(job.output.prefix, job.jobId).work}enriched/attempt-${job.attempt}/`,
  };
  if (!deps.enrich) throw new Error('enrichment from a feature view is not wired in this function');
  const joined = await deps.enrich(input.featureView, parseS3Uri(input.entities), asOf, {
    runId: `${job.jobId}-${job.attempt}`,
    work,
    rowsPerFile: ENRICHED_ROWS_PER_FILE,
  });
  const manifestKey = await writeRowGroupManifest(deps.files, work.bucket, joined.keys, {
    bucket: work.bucket,
    key: `${work.prefix}row-groups.json`,
  });
  // A joined row also holds the entity row's columns (join keys, event_timestamp, __row_id): a
  // model that does not name its inputs is fed the view's features, not every column.
  const enriched: EnrichedInput = { manifestKey, featureNames: [...joined.featureNames] };
  await deps.files.writeText(job.output.bucket, committedKey, JSON.stringify(enriched));
  return enriched;
}
