/**
 * What erasure needs of storage and of the other capabilities, declared here and implemented by
 * adapters (DynamoDB, S3) and by the feature store's and registry's public surfaces.
 */
import type { ErasureAuditRecord } from '../../../contracts/events';
import type { Erasure, ErasureRequest, ErasureResult } from '../../../contracts/privacy';

/** An erasure as stored: the reply, plus the keys and the run's progress while it runs. */
export interface StoredErasure extends Erasure {
  readonly entities?: ErasureRequest['entities'];
  readonly inferenceIds?: readonly string[];
  /** Where the run is (removed, with the keys, once it completes). */
  readonly progress?: ErasureProgress;
}

/** The steps of a run, in order. */
export const ERASURE_STEPS = ['units', 'features', 'experiments', 'captures', 'labels', 'lineage'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];

/**
 * One batch of a step, planned and recorded before it is applied: a run that stops in between
 * applies it again (every application is idempotent) and counts it once, with the figures planned.
 */
export interface ErasureBatch {
  readonly step: ErasureStep;
  /** Where the step goes on once the batch is counted; absent: the step is done. */
  readonly next?: string;
  /** What the batch removes, added to the result once applied. */
  readonly counts: Partial<Record<ErasureCount, number>>;
  readonly trainingSets?: ReadonlyArray<{ jobId: string; uris: readonly string[] }>;
  /** The feature store's batch, as it planned it. */
  readonly features?: FeatureBatch;
  /** Experiment items of the units: deleted (`delete`) or without their unit (`redact`). */
  readonly experimentItems?: readonly ExperimentItemChange[];
  /** A capture file: rewritten without the entity's records. */
  readonly captureKey?: string;
  /** Ground-truth labels to delete, by model (at most `LABEL_IDS_PER_BATCH`). */
  readonly labels?: { readonly model: string; readonly inferenceIds: readonly string[] };
}

/** The numeric figures of the receipt. */
export type ErasureCount = {
  [K in keyof ErasureResult]: ErasureResult[K] extends number ? K : never;
}[keyof ErasureResult];

/** A run's place: its step, the cursor in it, the figures so far, and the batch it was applying. */
export interface ErasureProgress {
  readonly step: ErasureStep;
  readonly cursor?: string;
  readonly result: ErasureResult;
  /**
   * Where the inference ids of the entity found so far (captured records, experiment predictions)
   * are kept, and how many: kept off this record, which DynamoDB caps at 400 KB.
   */
  readonly foundInferenceIds?: { readonly location: string; readonly count: number };
  /** The training sets found, with the URIs a model version's lineage may name. */
  readonly trainingSetUris?: ReadonlyArray<{ jobId: string; uris: readonly string[] }>;
  readonly batch?: ErasureBatch;
  /** Bumped by every save: a save conditioned on it fails when another run moved on. */
  readonly seq: number;
}

/** An item of the experiments table naming an erased unit, and what the erasure does to it. */
export interface ExperimentItemChange {
  readonly pk: string;
  readonly sk: string;
  /** `delete`: predictions and unit markers; `redact`: outcome markers keep deduplicating replays. */
  readonly change: 'delete' | 'redact';
  /** What it is, for the receipt's figures. */
  readonly kind: 'prediction' | 'unitMarker' | 'outcomeMarker';
  /** A prediction's model and inference id: its ground truth and capture record go too. */
  readonly inference?: { readonly model: string; readonly id: string };
}

/**
 * The experiments' per-person items: predictions served inside an experiment (by inference id) and
 * outcome and unit markers, all naming a randomization unit, and the units' tombstones.
 */
export interface ExperimentRecords {
  /** Tombstones the units: exposures and outcomes of them are not written from then on. */
  tombstone(units: readonly string[]): Promise<void>;
  /** One page of the table's items naming one of the units, from `cursor`; `next` absent at its end. */
  find(units: readonly string[], cursor?: string): Promise<{ items: ExperimentItemChange[]; next?: string }>;
  /** Applies the changes (already applied ones are no-ops). */
  apply(items: readonly ExperimentItemChange[]): Promise<void>;
}

/** Erasure records, tombstones and their audit records (the receipt), each change in one transaction. */
export interface ErasureStore {
  /** The record (PENDING), one tombstone per key and the audit record, together or not at all. */
  create(erasure: StoredErasure, tombstones: readonly string[], audit: ErasureAuditRecord): Promise<void>;
  get(erasureId: string): Promise<StoredErasure | undefined>;
  /**
   * PENDING, RUNNING (a retried run) or FAILED to RUNNING, taking the one erasure lock until
   * `lockedUntil` (epoch ms) with it: `busy` while another erasure holds it, `done` when this one
   * completed meanwhile.
   */
  claim(
    erasureId: string,
    at: string,
    nowMs: number,
    lockedUntilMs: number,
  ): Promise<'claimed' | 'busy' | 'done'>;
  /**
   * Records the run's progress (and its figures so far as the erasure's `result`) while RUNNING,
   * conditioned on the progress it replaces (`expectedSeq`: none before the first save).
   * @throws ErasureMovedOnError when another run moved on
   */
  saveProgress(erasureId: string, at: string, progress: ErasureProgress, expectedSeq?: number): Promise<void>;
  /** RUNNING to COMPLETED with the result, the keys removed, the audit record; releases the lock. */
  complete(erasureId: string, at: string, result: ErasureResult, audit: ErasureAuditRecord): Promise<void>;
  /** RUNNING to FAILED with the reason (the keys are kept, so a new run can finish); releases the lock. */
  fail(erasureId: string, at: string, error: string, audit: ErasureAuditRecord): Promise<void>;
}

/**
 * One batch of the feature store's part, as the feature store plans it: names of what it removes
 * (a view's offline files and entity keys, training-set jobs), never rows; opaque to the run.
 */
export interface FeatureBatch {
  readonly onlineItemsDeleted: number;
  readonly offlineFilesRewritten: number;
  readonly offlineRowsRemoved: number;
  readonly trainingSets: ReadonlyArray<{ jobId: string; uris: readonly string[] }>;
  /** Where the feature store's part goes on; absent: it is done. */
  readonly next?: string;
}

/**
 * The feature store's part: online items, offline files, training sets (features' public
 * surface), a bounded batch at a time whatever the number of views, files and jobs.
 */
export interface FeatureEraser {
  /** The batch after `cursor` (the first when absent), with what it would remove, changing nothing. */
  plan(entities: ErasureRequest['entities'], cursor: string | undefined): Promise<FeatureBatch>;
  /** Applies a planned batch; applying it again changes nothing more. */
  apply(entities: ErasureRequest['entities'], batch: FeatureBatch, erasureId: string): Promise<void>;
}

/** Captured inference data: SageMaker's JSON Lines files. */
export interface CaptureFiles {
  /** Keys of capture files in key order after `after` (from the first when absent), at most `max`. */
  list(after: string | undefined, max: number): Promise<string[]>;
  read(key: string): Promise<string>;
  /** Replaces the file's content (an S3 PUT: readers get the old object or the new, whole). */
  write(key: string, text: string): Promise<void>;
}

/**
 * The inference ids a run found, by model, kept apart from the erasure record (a DynamoDB item
 * holds 400 KB) until the run no longer needs them.
 */
export interface FoundInferenceIds {
  /** Where a run's ids are kept, for the record. */
  locationOf(erasureId: string): string;
  /** Keeps the ids found by one batch; keeping the same batch again replaces its ids. */
  put(erasureId: string, batchSeq: number, ids: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /** Every id kept for the run, by model. */
  read(erasureId: string): Promise<Record<string, string[]>>;
  /** Deletes them: once the run has used them, they are only more data about the person. */
  remove(erasureId: string): Promise<void>;
}

/** Ground-truth labels by model and inference id. */
export interface GroundTruth {
  /** Deletes the labels; returns how many existed. */
  delete(modelName: string, inferenceIds: readonly string[]): Promise<number>;
  /** The ids among these that have a label. */
  existing(modelName: string, inferenceIds: readonly string[]): Promise<string[]>;
}

/** The registry, through its public service. */
export interface ModelLineage {
  modelNames(): Promise<string[]>;
  /** Versions `model:version` whose lineage names one of the URIs or training-set jobs. */
  flagVersionsTrainedOn(
    trainingSets: ReadonlyArray<{ jobId: string; uris: readonly string[] }>,
    erasureId: string,
    actor: string,
  ): Promise<string[]>;
}

/** Starts an erasure's run elsewhere (an asynchronous Lambda invoke; in process locally). */
export interface ErasureLauncher {
  launch(erasureId: string): Promise<void>;
}

export interface PrivacyDeps {
  readonly erasures: ErasureStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** How a run waits for the erasure lock. */
export interface LockWait {
  /** How long one run may hold the lock (a crashed run's lock expires then). */
  readonly holdMs: number;
  /** How long a run waits for another to finish before giving up (and being retried). */
  readonly waitMs: number;
  readonly pollMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** What a run knows of its own invocation (Lambda's 15 minutes at most). */
export interface RunBudget {
  readonly remainingMs: () => number;
  /** Time kept back for one more batch and the hand-over: no batch starts with less left. */
  readonly reserveMs: number;
}

export interface ErasureRunDeps extends PrivacyDeps {
  readonly features: FeatureEraser;
  readonly experiments: ExperimentRecords;
  /** Starts the next invocation of the run when this one's time runs short. */
  readonly launcher: ErasureLauncher;
  readonly capture: CaptureFiles;
  readonly foundInferenceIds: FoundInferenceIds;
  /** The key enriched predictions hash their entity keys under (`captureKeyHash`). */
  readonly captureKey: { secret(): Promise<string> };
  readonly groundTruth: GroundTruth;
  readonly lineage: ModelLineage;
  /** The SageMaker endpoint name of a model (`mlops-<model>`), to map capture files to models. */
  readonly endpointOf: (modelName: string) => string;
  readonly lock: LockWait;
}
