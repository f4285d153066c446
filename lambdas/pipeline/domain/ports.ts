/**
 * Ports of the pipeline domain: the run store and its gate (DynamoDB), objects (S3), the registry
 * (through the registry's own domain), feature view rules and rollout targets. Adapters implement
 * them; tests pass their own or the real adapters on the local stand-ins.
 */
import type {
  ApprovalAction,
  ApprovalPolicy,
  ApprovalRequest,
  ApprovalRequestView,
} from '../../../contracts/approvals';
import type { AuditRecord } from '../../../contracts/events';
import type { RetrainingConfig, RetrainingRun } from '../../../contracts/pipeline';
import type {
  GovernancePolicy,
  Model,
  ModelVersion,
  RegisterVersionRequest,
} from '../../../contracts/registry';
import type { DeploymentTargetSource } from '../../deployment';
import type { DeclaredFeature } from './data-validation';
import type { GatePlan, GateResult } from './trigger-gate';

/** Runs and the gate. Every change writes its audit record in the same transaction (the outbox). */
export interface PipelineStore {
  /**
   * Takes the trigger's dedup key, the reason's cool-down and the model's lock, and writes the
   * run, all or nothing; reports which guard held when it could not.
   */
  admit(input: { run: RetrainingRun; plan: GatePlan; audit: AuditRecord }): Promise<GateResult>;
  /** Records a suppressed trigger as a finished run (history shows what was not started, and why). */
  recordSuppressed(run: RetrainingRun, audit: AuditRecord): Promise<void>;
  getRun(modelName: string, runId: string): Promise<RetrainingRun | undefined>;
  /** Newest first. */
  listRuns(modelName: string, limit: number): Promise<RetrainingRun[]>;
  updateRun(run: RetrainingRun, audit?: AuditRecord): Promise<void>;
  /** Writes the final record and releases the lock if this run holds it, atomically. */
  finishRun(run: RetrainingRun, audit: AuditRecord): Promise<void>;
  /** Appends an audit record of an act outside the table (a stopped execution). */
  recordAudit(audit: AuditRecord): Promise<void>;
}

/** The platform bucket as the pipeline uses it. */
export interface ObjectStore {
  readonly bucket: string;
  /** @throws NotFoundError `OBJECT_NOT_FOUND` */
  get(uri: string): Promise<Uint8Array>;
  /** Writes and returns the `s3://` URI. */
  put(key: string, body: Uint8Array | string, contentType: string): Promise<string>;
}

/** Who acts on the registry, for its audit trail. */
export interface RegistryActor {
  readonly principal: string;
}

/** What the pipeline reads from and writes to the registry (the registry's `RegistryService`). */
export interface RegistryPort {
  getModel(modelName: string): Promise<Model | undefined>;
  /** The version the `champion` alias points at, if any. */
  champion(modelName: string): Promise<ModelVersion | undefined>;
  /** The platform's configured governance policy. */
  readonly policy: GovernancePolicy;
  /** Stores the artifact at its content-addressed key, registers the version and verifies it (READY). */
  registerStored(
    modelName: string,
    req: RegisterVersionRequest,
    artifact: Uint8Array,
    actor: RegistryActor,
  ): Promise<ModelVersion>;
  /** The sign-off a move of the model to Production waits for; `undefined` when none. */
  approvalPolicy(modelName: string): Promise<ApprovalPolicy | undefined>;
  /**
   * Passes the automatic checks and opens an approval request for the promotion, as `actor`;
   * `undefined` when the model asks for no sign-off.
   */
  requestApproval(
    modelName: string,
    version: number,
    action: ApprovalAction,
    actor: RegistryActor,
  ): Promise<ApprovalRequestView | undefined>;
  /** The approval request; `undefined` when the model has none of that id. */
  getApproval(modelName: string, id: string): Promise<ApprovalRequest | undefined>;
  /** Adds tags to a version, keeping its other tags. */
  tagVersion(
    modelName: string,
    version: number,
    tags: Record<string, string>,
    actor: RegistryActor,
  ): Promise<void>;
}

/**
 * Where each model's retraining config is (one SSM parameter per model on AWS and locally), read
 * by model name: the stack decides them, a run or a check names only its model.
 */
export interface RetrainingConfigSource {
  /** The model's config; `undefined` when the model is not retrained. */
  get(modelName: string): Promise<RetrainingConfig | undefined>;
}

/** A fixed list of configs: tests, and a stack that retrains no model. */
export function fixedRetrainingConfigs(configs: readonly RetrainingConfig[]): RetrainingConfigSource {
  return { get: async (modelName) => configs.find((c) => c.modelName === modelName) };
}

export interface PipelineDeps {
  readonly store: PipelineStore;
  readonly objects: ObjectStore;
  readonly registry: RegistryPort;
  /** A feature view's declared rules; undefined when there is no such view. */
  readonly featureView: (name: string) => Promise<readonly DeclaredFeature[] | undefined>;
  readonly configs: RetrainingConfigSource;
  /** Rollout settings per model, where the deployment capability keeps them. */
  readonly deploymentTargets: DeploymentTargetSource;
  /** The reference trainer's image URI, used when a model names none. */
  readonly defaultTrainingImage: string;
  /** The platform's environment, which names its training jobs (`trainingJobPrefix`). */
  readonly envName: string;
  readonly now: () => Date;
  readonly newId: () => string;
}
