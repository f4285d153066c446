/**
 * What erasure needs of storage and of the other capabilities, declared here and implemented by
 * adapters (DynamoDB, S3) and by the feature store's and registry's public surfaces.
 */
import type { ErasureAuditRecord } from '../../../contracts/events';
import type { Erasure, ErasureRequest, ErasureResult } from '../../../contracts/privacy';

/** An erasure as stored: the reply, plus the keys while it runs (removed once it completes). */
export interface StoredErasure extends Erasure {
  readonly entities?: ErasureRequest['entities'];
  readonly inferenceIds?: readonly string[];
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
  /** RUNNING to COMPLETED with the result, the keys removed, the audit record; releases the lock. */
  complete(erasureId: string, at: string, result: ErasureResult, audit: ErasureAuditRecord): Promise<void>;
  /** RUNNING to FAILED with the reason (the keys are kept, so a new run can finish); releases the lock. */
  fail(erasureId: string, at: string, error: string, audit: ErasureAuditRecord): Promise<void>;
}

/** The feature store's part: online items, offline files, training sets (features' public surface). */
export interface FeatureEraser {
  erase(
    entities: ErasureRequest['entities'],
    erasureId: string,
  ): Promise<{
    onlineItemsDeleted: number;
    offlineFilesRewritten: number;
    offlineRowsRemoved: number;
    trainingSets: ReadonlyArray<{ jobId: string; uris: readonly string[] }>;
  }>;
}

/** Captured inference data: SageMaker's JSON Lines files. */
export interface CaptureFiles {
  /** Keys of every capture file. */
  list(): Promise<string[]>;
  read(key: string): Promise<string>;
  /** Replaces the file's content (an S3 PUT: readers get the old object or the new, whole). */
  write(key: string, text: string): Promise<void>;
}

/** Ground-truth labels by model and inference id. */
export interface GroundTruth {
  /** Deletes the labels; returns how many existed. */
  delete(modelName: string, inferenceIds: readonly string[]): Promise<number>;
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

export interface ErasureRunDeps extends PrivacyDeps {
  readonly features: FeatureEraser;
  readonly capture: CaptureFiles;
  readonly groundTruth: GroundTruth;
  readonly lineage: ModelLineage;
  /** The SageMaker endpoint name of a model (`mlops-<model>`), to map capture files to models. */
  readonly endpointOf: (modelName: string) => string;
  readonly lock: LockWait;
}
