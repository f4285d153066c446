/**
 * Batch predictions: a registry version (or the version an alias names) scores every row of an S3
 * input (CSV with a header, JSON Lines, or Parquet), or entity rows enriched from a feature view's
 * offline store, and writes one output row per input row that scored, keyed by the caller's key
 * column (Vertex AI's `key_field`), plus one dead-letter row per row the model refused, with its
 * source location and the reason. Read + predicted + failed are checked at the end.
 * @see https://cloud.google.com/vertex-ai/docs/predictions/get-batch-predictions
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import * as z from 'zod';
import { FieldName } from './feature-names';
import { lazySchema } from './lazy-schema';
import { AliasName, ModelName } from './model-names';

export const BatchPredictionId = lazySchema(() =>
  z.string().regex(/^[0-9a-f-]{36}$/, 'must be a batch prediction id (a UUID)'),
);

/** `s3://bucket/key-or-prefix`: bucket names as S3 allows them, a key of printable characters. */
export const S3Uri = lazySchema(() =>
  z
    .string()
    .max(1024)
    .regex(
      /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[\x21-\x7e][\x20-\x7e]*$/,
      'must be s3://<bucket>/<key or prefix>',
    ),
);

/** `s3://bucket/key` -> its parts. */
export function parseS3Uri(uri: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!m) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: m[1], key: m[2] };
}

export const BatchInputFormat = lazySchema(() => z.enum(['csv', 'jsonl', 'parquet']));
export type BatchInputFormat = z.infer<typeof BatchInputFormat>;

export const BatchOutputFormat = lazySchema(() => z.enum(['jsonl', 'csv']));
export type BatchOutputFormat = z.infer<typeof BatchOutputFormat>;

/**
 * The engines: a Step Functions Distributed Map whose Lambda workers run the ONNX graph (`map`,
 * small and CPU models), or SageMaker Batch Transform on the model's Triton package (`transform`,
 * GPU or large models).
 */
export const BatchEngine = lazySchema(() => z.enum(['map', 'transform']));
export type BatchEngine = z.infer<typeof BatchEngine>;

export const BatchPredictionStatus = lazySchema(() =>
  z.enum(['SUBMITTED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']),
);
export type BatchPredictionStatus = z.infer<typeof BatchPredictionStatus>;

/**
 * The transitions a job may make, each written conditioned on the status it replaces. A FAILED or
 * CANCELLED job resumes (back to SUBMITTED, its attempt + 1): only the batches without output run.
 */
export const BATCH_TRANSITIONS: Readonly<Record<BatchPredictionStatus, readonly BatchPredictionStatus[]>> = {
  SUBMITTED: ['RUNNING', 'FAILED', 'CANCELLED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
  SUCCEEDED: [],
  FAILED: ['SUBMITTED'],
  CANCELLED: ['SUBMITTED'],
};

/** Most rows the Distributed Map hands one worker; the bytes bound below usually binds first. */
export const MAX_ROWS_PER_BATCH = 1000;

/** An input object or prefix of files in one format. */
export const BatchFileInput = lazySchema(() =>
  z.strictObject({
    /** An object, or a prefix ending in `/` whose objects (one format) are all read. */
    uri: S3Uri,
    format: BatchInputFormat,
  }),
);

/**
 * Entity rows (CSV with a header: the view's join keys, the key column, optionally
 * `event_timestamp`) joined point-in-time with every feature of the view from its offline store.
 */
export const BatchFeatureInput = lazySchema(() =>
  z.strictObject({
    featureView: FieldName,
    /** CSV of entity rows: the view's join keys, optionally `event_timestamp` (ISO 8601). */
    entities: S3Uri,
    /**
     * The instant the rows are enriched as of: rows without an `event_timestamp` join at it, and
     * offline files written after it are not read, so a resumed job joins as its first run did.
     * @default - the submission time
     */
    asOf: z.iso.datetime({ offset: true }).optional(),
  }),
);

/** `POST /batch-predictions`. */
export const CreateBatchPredictionRequest = lazySchema(() =>
  z
    .strictObject({
      model: ModelName,
      version: z.number().int().min(1).max(9_999_999_999).optional(),
      alias: AliasName.optional(),
      input: z.union([BatchFileInput, BatchFeatureInput]),
      /** The column that identifies a row; every output and dead-letter row carries it. */
      keyColumn: FieldName,
      output: z.strictObject({
        /** A prefix: the job writes under `<prefix><jobId>/`. */
        uri: S3Uri,
        format: BatchOutputFormat.default('jsonl'),
      }),
      /** @default - chosen by the model's artifact size (see `BATCH_ENGINE_DEFAULTS`) */
      engine: BatchEngine.optional(),
      /** The job fails when more than this share of rows is refused (dead-lettered). @default 5 */
      toleratedFailurePercent: z.number().min(0).max(100).default(5),
    })
    .refine((r) => !(r.version !== undefined && r.alias !== undefined), {
      message: 'give version or alias, not both',
      path: ['alias'],
    }),
);
export type CreateBatchPredictionRequest = z.infer<typeof CreateBatchPredictionRequest>;

/** Engine choice: artifacts above this size go to Batch Transform unless the job says otherwise. */
export const BATCH_ENGINE_DEFAULTS = { transformAboveBytes: 200 * 1024 * 1024 } as const;

export const BatchCounts = lazySchema(() =>
  z.object({
    /** Rows read from the input (scored + refused). */
    read: z.number().int(),
    predicted: z.number().int(),
    failed: z.number().int(),
  }),
);
export type BatchCounts = z.infer<typeof BatchCounts>;

/** A batch prediction job as the API returns it. */
export const BatchPrediction = lazySchema(() =>
  z.object({
    jobId: BatchPredictionId,
    modelName: ModelName,
    version: z.number().int(),
    /** The alias the version was resolved from, when one was given. */
    alias: z.string().optional(),
    engine: BatchEngine,
    status: BatchPredictionStatus,
    statusReason: z.string().optional(),
    input: z.union([BatchFileInput, BatchFeatureInput]),
    keyColumn: z.string(),
    toleratedFailurePercent: z.number(),
    output: z.object({
      uri: z.string(),
      format: BatchOutputFormat,
      /** Where the scored rows are (`part-*.jsonl` or `.csv`). */
      predictions: z.string(),
      /** Where refused rows are, with their source location and reason. */
      deadLetter: z.string(),
    }),
    counts: BatchCounts,
    /** Rows accounted for / rows read, 0..1; 1 once the counts are checked. */
    progress: z.number(),
    /** `MATCHED` when read = predicted + failed and every input row was read. */
    countsCheck: z.enum(['MATCHED', 'MISMATCHED']).optional(),
    /** Runs so far: 1, then +1 per resume. */
    attempt: z.number().int(),
    createdAt: z.string(),
    startedAt: z.string().optional(),
    finishedAt: z.string().optional(),
    createdBy: z.string(),
  }),
);
export type BatchPrediction = z.infer<typeof BatchPrediction>;

export const ListBatchPredictionsQuery = lazySchema(() =>
  z.strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    nextToken: z.string().max(2048).optional(),
  }),
);

/** What the state machine gets: the job, resolved, so no step reads the registry again. */
export interface BatchJobInput {
  readonly jobId: string;
  readonly attempt: number;
  readonly modelName: string;
  readonly version: number;
  readonly engine: BatchEngine;
  readonly artifact: { readonly bucket: string; readonly key: string };
  readonly keyColumn: string;
  readonly input: BatchPrediction['input'];
  readonly toleratedFailurePercent: number;
  readonly output: { readonly bucket: string; readonly prefix: string; readonly format: BatchOutputFormat };
}

/** The reader the prepare step picked; each is one Distributed Map state of the definition. */
export const BatchReader = lazySchema(() => z.enum(['csv', 'jsonl', 'rowGroups']));
export type BatchReader = z.infer<typeof BatchReader>;

/** Where a job writes, under its output prefix. */
export const batchLayout = (prefix: string, jobId: string) => {
  const root = `${prefix}${prefix === '' || prefix.endsWith('/') ? '' : '/'}${jobId}/`;
  return {
    root,
    predictions: `${root}predictions/`,
    deadLetter: `${root}dead-letter/`,
    /** The Distributed Map's ResultWriter output (child execution results and manifest). */
    mapResults: `${root}map-results`,
    /** Inputs the prepare step writes: the row-group manifest, the enriched rows. */
    work: `${root}work/`,
  };
};

/** A batch's output part is named by its first row's index, so a resumed run finds it. */
export const batchPartName = (firstIndex: number, extension: string) =>
  `part-${String(firstIndex).padStart(12, '0')}.${extension}`;

/** Where jobs read and write in the platform's own bucket: models and runs stay out of reach. */
export const BATCH_PREDICTIONS_PREFIX = 'batch-predictions/';

/** SageMaker names of batch jobs start with this (models and transform jobs). */
export const BATCH_JOB_PREFIX = 'mlops-batch-';

/** The SageMaker model (and transform job) of a job's attempt on the transform engine. */
export const transformModelName = (jobId: string, attempt: number) =>
  `${BATCH_JOB_PREFIX}${jobId}-${attempt}`;

/** A bucket jobs may use, and the key prefix they are held to there (`''`: all of it). */
export const BatchLocation = lazySchema(() => z.object({ bucket: z.string(), prefix: z.string() }));
export type BatchLocation = z.infer<typeof BatchLocation>;

/** What the stack tells the batch functions (`BATCH_SETTINGS`, JSON). */
export const BatchSettings = lazySchema(() =>
  z.object({
    /** Where jobs may read and write; the functions are granted these and no others. */
    locations: z.array(BatchLocation).min(1),
  }),
);
export type BatchSettings = z.infer<typeof BatchSettings>;

/**
 * A scheduled job (`mlops:batchPredictions.schedules[]`): on each tick the platform submits a job
 * for the model over the input whose `{date}` (the tick's UTC day, `YYYY-MM-DD`) is filled in.
 */
export const BatchPredictionSchedule = lazySchema(() =>
  z.strictObject({
    modelName: ModelName,
    /** @default - the champion alias */
    alias: AliasName.optional(),
    /** An EventBridge schedule expression: `rate(1 day)`, `cron(0 3 * * ? *)`. */
    schedule: z.string().regex(/^(rate|cron)\(.+\)$/, 'must be rate(...) or cron(...)'),
    /** `s3://bucket/daily/{date}/rows.csv`, or a prefix. */
    input: z.strictObject({
      uri: z.string().regex(/^s3:\/\/.+/, 'must be s3://...'),
      format: BatchInputFormat,
    }),
    keyColumn: FieldName,
    output: z.strictObject({ uri: S3Uri, format: BatchOutputFormat.default('jsonl') }),
    engine: BatchEngine.optional(),
    toleratedFailurePercent: z.number().min(0).max(100).default(5),
  }),
);
export type BatchPredictionSchedule = z.infer<typeof BatchPredictionSchedule>;

/** `mlops:batchPredictions`: buckets jobs may use, engine sizes, schedules. */
export const BatchPredictionsConfig = lazySchema(() =>
  z.strictObject({
    /** Buckets (by name) jobs may read and write besides the artifacts bucket. @default [] */
    buckets: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)).default([]),
    /** Rows one Lambda worker scores. @default 500 */
    rowsPerBatch: z.number().int().min(1).max(MAX_ROWS_PER_BATCH).default(500),
    /** Workers at once (Distributed Map child executions). @default 100 */
    maxConcurrency: z.number().int().min(1).max(10_000).default(100),
    /** Batch Transform instances. @default ml.g5.xlarge x 1 */
    transformInstanceType: z.string().default('ml.g5.xlarge'),
    transformInstanceCount: z.number().int().min(1).max(100).default(1),
    schedules: z.array(BatchPredictionSchedule).default([]),
  }),
);
export type BatchPredictionsConfig = z.infer<typeof BatchPredictionsConfig>;

/** The scheduled rule's event to the scheduler function. */
export interface ScheduledBatchEvent {
  readonly schedule: BatchPredictionSchedule;
  /** The tick's time (EventBridge's `time`). */
  readonly time: string;
}
