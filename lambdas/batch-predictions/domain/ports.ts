/**
 * The ports of batch predictions: the job records, the registry (read only), the engine launcher,
 * and the worker's S3 parts. Adapters implement them; the domain never sees an SDK.
 */
import type {
  BatchJobInput,
  BatchLocation,
  BatchPrediction,
  BatchPredictionStatus,
  BatchReader,
} from '../../../contracts/batch-predictions';
import type { AuditRecord } from '../../../contracts/events';
import type { Page } from '../../../contracts/pages';
import type { ModelVersion } from '../../../contracts/registry';

/** A job as stored: the reply plus where its artifact is. */
export interface StoredJob extends BatchPrediction {
  readonly artifact: { readonly bucket: string; readonly key: string; readonly sizeBytes: number };
}

export interface JobStore {
  /** Writes a new job with its audit record (one transaction). */
  create(job: StoredJob, audit: AuditRecord): Promise<void>;
  get(jobId: string): Promise<StoredJob | undefined>;
  listByModel(modelName: string, limit: number, nextToken?: string): Promise<Page<StoredJob>>;
  /**
   * Moves a job from one of `from` to `job.status`, with its audit record when given, in one
   * transaction conditioned on the status (and attempt) it replaces.
   * @throws ConflictError when the job is no longer in `from` or at `attempt`
   */
  transition(
    job: StoredJob,
    from: readonly BatchPredictionStatus[],
    attempt: number,
    audit?: AuditRecord,
  ): Promise<void>;
}

/** The registry reads a job needs (the registry's `RegistryReader` satisfies it). */
export interface ModelVersions {
  getModel(modelName: string): Promise<unknown | undefined>;
  getVersion(modelName: string, version: number): Promise<ModelVersion | undefined>;
  aliasVersion(modelName: string, alias: string): Promise<number | undefined>;
}

/** Starts and stops a job's execution; the name is `<jobId>-<attempt>`, so a retried start is one run. */
export interface JobLauncher {
  start(input: BatchJobInput): Promise<void>;
  stop(jobId: string, attempt: number): Promise<void>;
}

/** The per-job SageMaker models of the transform engine. */
export interface JobModels {
  /** Deletes a model; `false` when there was none. */
  delete(modelName: string): Promise<boolean>;
}

export interface JobDeps {
  readonly jobs: JobStore;
  readonly registry: ModelVersions;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Where jobs may read and write: the stack grants its functions these and no others. */
  readonly locations: readonly BatchLocation[];
  /**
   * Checks a feature-view input before the job is recorded: the view exists (404) and the entity
   * rows' header has its join keys (422).
   * @default - enrichment is not wired: a feature-view input is a 400 `ENRICHMENT_UNAVAILABLE`
   */
  readonly checkEntities?: (featureView: string, entities: { bucket: string; key: string }) => Promise<void>;
}

/** The object a Distributed Map reads, as the prepare step resolved it. */
export interface PreparedSource {
  readonly bucket: string;
  readonly key: string;
  readonly reader: BatchReader;
  /** Where the map's ResultWriter writes. */
  readonly mapResultsPrefix: string;
  /**
   * The columns scored, in order, when the model does not name its inputs: an enriched input's view
   * features. @default - every column but the key column
   */
  readonly featureNames?: readonly string[];
  /**
   * The object the rows were derived from, when the reader reads a derived copy: an enriched input's
   * entity list (CSV), whose row each joined row is, in order. @default - the object read
   */
  readonly rowsFrom?: { readonly object: string; readonly format: 'csv' | 'jsonl' };
}

/** A presigned PUT of one object in the platform bucket, its length and type signed. */
export interface InputUploads {
  /** The platform bucket, where uploaded inputs go. */
  readonly bucket: string;
  presignPut(input: { key: string; contentLength: number; contentType: string }): Promise<{
    readonly url: string;
    readonly headers: Record<string, string>;
    readonly expiresAt: string;
  }>;
}

/** A job's output parts, listed and read through presigned GETs. */
export interface OutputDownloads {
  /** Up to `limit` objects directly under `prefix`, in key order, after `startAfter` (a key). */
  listParts(
    bucket: string,
    prefix: string,
    limit: number,
    startAfter?: string,
  ): Promise<{ parts: Array<{ key: string; sizeBytes: number }>; more: boolean }>;
  presignGet(
    bucket: string,
    key: string,
  ): Promise<{ readonly url: string; readonly headers: Record<string, string>; readonly expiresAt: string }>;
}
