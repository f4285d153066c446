/**
 * Ports of the registry domain: what it needs from storage, declared here and implemented by
 * adapters (DynamoDB and S3 on AWS and locally alike), so the domain has no SDK imports.
 */
import type { ApprovalRequest, ApprovalStatus } from '../../../contracts/approvals';
import type { AuditRecord } from '../../../contracts/events';
import type { GovernancePolicy, Model, ModelAlias, ModelVersion, Stage } from '../../../contracts/registry';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface PageRequest {
  readonly limit: number;
  readonly nextToken?: string;
}

export interface ModelQuery extends PageRequest {
  readonly prefix?: string;
  readonly tag?: { readonly key: string; readonly value?: string };
}

/** A stage change applied atomically: the version moved, the versions archived, the count kept. */
export interface StageTransition {
  readonly modelName: string;
  readonly version: number;
  readonly from: Stage;
  readonly to: Stage;
  /** The version's `updatedAt` when governance was evaluated; a concurrent edit fails the move. */
  readonly expectedUpdatedAt: string;
  /**
   * The versions archived, each with its stage and `updatedAt` as read: the write is conditioned on
   * both, so a version that left the stage and came back meanwhile (same stage, later `updatedAt`)
   * fails the move instead of being archived by a plan made before its return.
   */
  readonly archive: ReadonlyArray<{
    readonly version: number;
    readonly from: Stage;
    readonly updatedAt: string;
  }>;
  /** Change in the model's count of Production versions. */
  readonly productionDelta: number;
  /** Change in the model's count of Staging versions. */
  readonly stagingDelta: number;
  /**
   * When archiving into Production: how many versions were in Production as read. The write is
   * conditioned on the model's count still being this (and on each archived version still being
   * where it was read), so the versions archived are exactly the ones in Production at commit.
   */
  readonly expectedProductionVersions?: number;
  /** The same for archiving into Staging, on the model's count of Staging versions. */
  readonly expectedStagingVersions?: number;
  readonly at: string;
}

/**
 * Registry persistence. Every mutation writes its audit records in the same transaction, so a
 * change and its history (and the event published from it) commit together or not at all.
 * Conflicting concurrent changes fail with a `ConflictError`, never overwrite.
 */
export interface RegistryStore {
  createModel(model: Model, audit: AuditRecord): Promise<void>;
  getModel(name: string): Promise<Model | undefined>;
  listModels(query: ModelQuery): Promise<Page<Model>>;
  updateModel(after: Model, expectedUpdatedAt: string, audit: AuditRecord): Promise<void>;
  /**
   * Moves a model holding no version to `after.name` in one transaction: the old item removed if
   * still as read (`before.updatedAt`, ACTIVE, no version ever), the new one put if the name is free.
   */
  renameModel(before: Model, after: Model, audit: AuditRecord): Promise<void>;
  /** Marks the model DELETING, refused while a version is in Production. */
  markModelDeleting(name: string, at: string, audit: AuditRecord): Promise<void>;
  /** Removes a DELETING model's versions and aliases, then the model item. Safe to re-run. */
  purgeModel(name: string): Promise<void>;

  /**
   * Registers the model's next version: `build` makes the version and its audit record for the
   * number, which is taken in the same transaction as the version, so a registration that does
   * not commit takes no number (numbers stay 1, 2, 3... without gaps).
   */
  putNextVersion(
    name: string,
    build: (number: number) => { version: ModelVersion; audit: AuditRecord },
  ): Promise<ModelVersion>;
  /** Stores a version of a given number as is (imports and fixtures; registration uses `putNextVersion`). */
  putVersion(version: ModelVersion, audit: AuditRecord): Promise<void>;
  getVersion(name: string, version: number): Promise<ModelVersion | undefined>;
  listVersions(name: string, page: PageRequest): Promise<Page<ModelVersion>>;
  /** Every version of the model now in `stage` (for archiving on a stage change). */
  listVersionsInStage(name: string, stage: Stage): Promise<ModelVersion[]>;
  /** Replaces a version's mutable fields if its `updatedAt` is still `expectedUpdatedAt`. */
  updateVersion(after: ModelVersion, expectedUpdatedAt: string, audit: AuditRecord): Promise<void>;
  /**
   * Deletes the version if it is still as read (`updatedAt`, so its stage too) and each alias of
   * `aliases` is still as read; otherwise a `ConflictError`.
   */
  deleteVersion(expected: ModelVersion, aliases: readonly ModelAlias[], audit: AuditRecord): Promise<void>;
  /**
   * Applies the transition; with `approval`, in the same transaction as the approving decision
   * that closes that request (conditioned like `ApprovalStore.updateRequest`), so a quorum runs
   * its move exactly once however many approvers decide at once. A change to the Staging count is
   * conditioned on the model having the count (see `backfillStagingVersions`), so none is ever
   * added to a count that was never set.
   */
  applyStageTransition(
    transition: StageTransition,
    audits: AuditRecord[],
    approval?: ApprovalUpdate,
  ): Promise<void>;
  /**
   * Sets the Staging count of a model registered before the platform kept it, only while it has
   * none: a model that has the count (set by a racing backfill) keeps it.
   */
  backfillStagingVersions(name: string, count: number): Promise<void>;

  /**
   * Points an alias at a version if the alias still holds `expected` (as read: version and
   * `updatedAt`), or does not exist when `expected` is undefined; otherwise a `ConflictError`.
   */
  putAlias(alias: ModelAlias, expected: ModelAlias | undefined, audit: AuditRecord): Promise<void>;
  getAlias(name: string, alias: string): Promise<ModelAlias | undefined>;
  listAliases(name: string): Promise<ModelAlias[]>;
  /** Deletes the alias if it still holds `expected` (as read); otherwise a `ConflictError`. */
  deleteAlias(expected: ModelAlias, audit: AuditRecord): Promise<void>;

  /** A model's audit records, newest first. */
  listAudit(name: string, page: PageRequest): Promise<Page<AuditRecord>>;
}

/**
 * A request's new state, written only if it is still `expectedStatus` (OPEN unless said) with
 * `expectedDecisions` decisions.
 */
export interface ApprovalUpdate {
  readonly after: ApprovalRequest;
  readonly expectedDecisions: number;
  readonly expectedStatus?: ApprovalStatus;
}

/**
 * Approval requests, in the model's partition of the registry table. Writes carry their audit
 * record in the same transaction; a lost race is a `ConflictError` (`CONCURRENT_MODIFICATION`).
 */
export interface ApprovalStore {
  /**
   * Stores a new OPEN request if the model is still ACTIVE, and makes it its version's latest
   * request if the latest is still `replacing` (the id read by `latestOf`; `undefined`: none),
   * so of two racing opens of one version only one commits (CONCURRENT_MODIFICATION).
   */
  putRequest(request: ApprovalRequest, audit: AuditRecord, replacing: string | undefined): Promise<void>;
  /** The id of the version's latest request, if any. */
  latestOf(modelName: string, version: number): Promise<string | undefined>;
  getRequest(modelName: string, id: string): Promise<ApprovalRequest | undefined>;
  /** A model's requests, newest first, optionally of one status. */
  listRequests(
    modelName: string,
    query: PageRequest & { readonly status?: ApprovalStatus },
  ): Promise<Page<ApprovalRequest>>;
  /** Records a decision or a closing (see `ApprovalUpdate`). */
  updateRequest(update: ApprovalUpdate, audit: AuditRecord): Promise<void>;
  /** OPEN requests of every model whose expiry is at or before `at`, oldest expiry first. */
  listExpiring(at: string, limit: number): Promise<ApprovalRequest[]>;
}

/** A presigned request the client performs itself. */
export interface PresignedRequest {
  readonly method: 'PUT' | 'GET';
  readonly url: string;
  /** Headers the client must send exactly as given (they are part of the signature). */
  readonly headers: Record<string, string>;
  readonly expiresAt: string;
}

/** Artifact storage: presigned transfer and server-side hashing of stored objects. */
export interface ArtifactStore {
  readonly bucket: string;
  presignUpload(input: {
    key: string;
    sha256: string;
    sizeBytes: number;
    contentType: string;
  }): Promise<PresignedRequest>;
  presignDownload(key: string): Promise<PresignedRequest>;
  /**
   * Stores bytes the caller holds at their content-addressed key (the retraining pipeline's
   * artifacts), checked against the declared sha256 by the store.
   */
  putObject(input: { key: string; body: Uint8Array; sha256: string; contentType: string }): Promise<void>;
  /** Streams the object through sha256; `undefined` when there is no such object. */
  hashObject(key: string): Promise<{ sha256: string; sizeBytes: number } | undefined>;
}

/** Who is acting, for the audit trail. */
export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

export interface RegistryDeps {
  readonly store: RegistryStore;
  readonly approvals: ApprovalStore;
  readonly artifacts: ArtifactStore;
  /** The platform's default governance policy; a model's own overrides are spread over it. */
  readonly policy: GovernancePolicy;
  readonly now: () => Date;
  readonly newId: () => string;
}
