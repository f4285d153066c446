/**
 * The feature store's ports: what the domain needs of storage and compute, declared here and
 * implemented by adapters (DynamoDB, S3, DuckDB, Athena), as Feast's online and offline stores
 * share one interface per role.
 * @see https://github.com/feast-dev/feast/blob/master/sdk/python/feast/infra/online_stores/online_store.py
 */
import type { FeatureViewAuditRecord } from '../../../contracts/events';
import type {
  FeatureRow,
  FeatureView,
  TrainingSetJob,
  TrainingSetJobStatus,
} from '../../../contracts/features';
import type { Page } from '../../../contracts/pages';
import type { OnlineItem, OnlineView } from './online';
import type { JoinedRow } from './point-in-time';
import type { StreamWatermarks } from './stream-freshness';
import type { TileBucket } from './stream-ingest';

export type { Page };

/** Feature view definitions, each change written with its audit record (the event outbox). */
export interface FeatureViewStore {
  /** @throws FeatureViewAlreadyExistsError */
  create(view: FeatureView, audit: FeatureViewAuditRecord): Promise<void>;
  get(name: string): Promise<FeatureView | undefined>;
  list(page: { limit: number; nextToken?: string }): Promise<Page<FeatureView>>;
  /** Replaces version `expectedVersion` with `view`. @throws FeatureViewVersionConflictError */
  update(view: FeatureView, expectedVersion: number, audit: FeatureViewAuditRecord): Promise<void>;
  /** @throws FeatureViewVersionConflictError when it moved past `expectedVersion` meanwhile */
  delete(name: string, expectedVersion: number, audit: FeatureViewAuditRecord): Promise<void>;
  /** Epoch ms of the newest offline file an incremental materialization has read. */
  getWatermark(name: string): Promise<number | undefined>;
  /** Moves the watermark forward only: a late, older write never moves it back. */
  advanceWatermark(name: string, watermarkMs: number): Promise<void>;
}

/** The outcome of writing rows online. */
export interface OnlineWriteResult {
  readonly written: number;
  /** Items left alone: the store already held a newer value. */
  readonly skipped: number;
}

/** The online store: the latest values per view and entity key. */
export interface OnlineStore {
  /** Writes the newest row per entity key, newer-wins per item (out-of-order safe). */
  write(view: OnlineView, rows: readonly FeatureRow[]): Promise<OnlineWriteResult>;
  /** Reads items by key, projecting only `features`; absent keys are not in the map. */
  read(keys: readonly string[], features: readonly string[]): Promise<Map<string, OnlineItem>>;
  /**
   * Reads stream tile buckets by key; absent keys are not in the map. Stream views' aggregates are
   * merged from them at read. @default - stream views cannot be read
   */
  readTiles?(keys: readonly string[]): Promise<Map<string, TileBucket>>;
  /**
   * Items, tile buckets and (with `streamWatermarks`) the stream consumer's watermarks in one read
   * (one BatchGetItem per 100 keys, sent at once): a lookup mixing batch and stream views, or
   * several views, costs one round trip.
   * @default - `read` per view, `readTiles` and `readStreamWatermarks`, concurrently
   */
  readAll?(
    itemKeys: readonly string[],
    features: readonly string[],
    tileKeys: readonly string[],
    options?: { readonly streamWatermarks?: boolean },
  ): Promise<{
    items: Map<string, OnlineItem>;
    buckets: Map<string, TileBucket>;
    /** Present when asked for: empty when the consumer never flushed. */
    watermarks?: StreamWatermarks;
  }>;
  /**
   * The stream consumer's watermarks by shard (see `stream-freshness.ts`).
   * @default - unknown: stream values are served PRESENT, their freshness unjudged
   */
  readStreamWatermarks?(): Promise<StreamWatermarks>;
  /** Deletes every item of a view (after the view is deleted). */
  deleteView?(view: string): Promise<void>;
}

/** One Parquet file of a view's offline history. */
export interface OfflineFile {
  readonly bucket: string;
  readonly key: string;
  readonly rowCount: number;
  readonly minEventTimestampMs: number;
  readonly maxEventTimestampMs: number;
  /** When the file was written (epoch ms): what incremental materialization follows. */
  readonly writtenAtMs: number;
}

/** The offline store: append-only Parquet per view and event date, listed through a manifest. */
export interface OfflineStore {
  append(view: FeatureView, rows: readonly FeatureRow[]): Promise<OfflineFile[]>;
  /** Files whose event times may fall in `[fromMs, toMs)`; all files when unbounded. */
  listFiles(viewName: string, range?: { fromMs?: number; toMs?: number }): Promise<OfflineFile[]>;
  readRows(view: FeatureView, file: OfflineFile): Promise<FeatureRow[]>;
  /** Removes files an append wrote (manifest entry first, so readers never see half). */
  discard?(view: FeatureView, files: readonly OfflineFile[]): Promise<void>;
}

/** Runs a point-in-time join over the offline store and writes the result as Parquet. */
export interface TrainingSetEngine {
  build(input: TrainingSetInput): Promise<{ readonly outputUri: string; readonly rowCount: number }>;
}

/**
 * Joins a staged entity table with every feature of one view, point in time, on the engine that
 * builds training sets and with its SQL: the table's columns, then the view's features, one row per
 * entity row, ordered by `__row_id`, written as Parquet under `output`.
 */
export interface EntityJoinEngine {
  joinEntities(input: EntityJoinInput): Promise<{ readonly keys: readonly string[] }>;
}

export interface EntityJoinInput {
  /** Names the engine's temporary tables: unique per run. */
  readonly runId: string;
  readonly view: FeatureView;
  readonly entities: {
    readonly bucket: string;
    readonly prefix: string;
    readonly keys: readonly string[];
    readonly columns: ReadonlyArray<
      readonly [string, 'INT64' | 'DOUBLE' | 'STRING' | 'BOOLEAN' | 'TIMESTAMP']
    >;
    readonly minEventMs?: number;
    readonly maxEventMs?: number;
  };
  /** The only offline files the join may read (those committed as of the run's instant). */
  readonly files: readonly OfflineFile[];
  /** Where the engine may write: its own scratch objects and the output. */
  readonly work: { readonly bucket: string; readonly prefix: string };
  /** Rows per output file (of one row group), where the engine lets it be set. @default 100000 */
  readonly rowsPerFile?: number;
}

export interface TrainingSetInput {
  readonly jobId: string;
  readonly views: readonly FeatureView[];
  readonly features: ReadonlyArray<{ view: string; feature: string; outputName: string }>;
  /** Entity rows as given (join keys, `event_timestamp`, labels), already validated. */
  readonly entityRows: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** Training-set job records. */
export interface TrainingSetJobStore {
  createJob(job: TrainingSetJob, request: StoredTrainingSetRequest): Promise<void>;
  getJob(jobId: string): Promise<TrainingSetJob | undefined>;
  getRequest(jobId: string): Promise<StoredTrainingSetRequest | undefined>;
  /** Moves a job from `from` to `to` with extra fields; false when it was not in `from`. */
  transitionJob(
    jobId: string,
    from: TrainingSetJobStatus,
    to: TrainingSetJobStatus,
    fields?: Partial<Pick<TrainingSetJob, 'outputUri' | 'rowCount' | 'error'>>,
  ): Promise<boolean>;
}

/** What a job needs to run, kept apart from the job record (entity rows can be large). */
export interface StoredTrainingSetRequest {
  readonly features: readonly string[];
  readonly fullFeatureNames: boolean;
  readonly entityRows: ReadonlyArray<Readonly<Record<string, unknown>>>;
}

/** Starts a job's work elsewhere (an async Lambda invoke on AWS, in process locally). */
export interface TrainingSetLauncher {
  launch(jobId: string): Promise<void>;
}

/** Who made a change, for the audit trail. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/** The tombstones erasures leave: which of the given entity-key hashes were erased. */
export interface TombstoneReader {
  erased(hashes: readonly string[]): Promise<Set<string>>;
}

/** Everything the feature store's domain functions take. */
export interface FeatureStoreDeps {
  readonly views: FeatureViewStore;
  readonly online: OnlineStore;
  readonly offline: OfflineStore;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Erased entities: a push naming one is refused, materialization skips its rows. @default - none checked */
  readonly tombstones?: TombstoneReader;
}

export type { JoinedRow };
