/**
 * Ports of the deployment domain: the backend serving the model (`VariantBackend`, in
 * `variant-backend.ts`), the SageMaker calls the endpoint custom resource and the SageMaker backend
 * make, the alarms a rollout watches (CloudWatch), the rollout records and lock (DynamoDB) and the
 * registry it promotes in. Adapters implement them; tests and local mode may pass their own.
 */

import type { Deployment, EndpointRouting, RolloutInput } from '../../../contracts/deployment';
import type { AuditRecord } from '../../../contracts/events';
import type { ModelVersion } from '../../../contracts/registry';
import type { VariantScalingSettings } from '../../../contracts/serving';
import type { RolloutResources } from './state';
import type { VariantBackend } from './variant-backend';

/** A production variant as an endpoint config declares it. */
export interface VariantSpec {
  readonly variantName: string;
  readonly modelName: string;
  /** Relative weight; the platform keeps champion + challenger at 100. */
  readonly weight: number;
  /** Everything else of the variant (instance type and count, serverless config...), copied as is. */
  readonly rest: Record<string, unknown>;
}

/** An endpoint config: its variants and the settings carried over to configs made from it. */
export interface EndpointConfigSpec {
  readonly name: string;
  readonly variants: VariantSpec[];
  /** Data capture, KMS key, tags...: copied to every config the rollout derives from this one. */
  readonly rest: Record<string, unknown>;
}

export type EndpointStatus =
  | 'OutOfService'
  | 'Creating'
  | 'Updating'
  | 'SystemUpdating'
  | 'RollingBack'
  | 'InService'
  | 'Deleting'
  | 'Failed'
  | 'UpdateRollbackFailed';

export interface EndpointState {
  readonly status: EndpointStatus;
  readonly endpointConfigName: string;
  readonly failureReason?: string;
  /** Current weights by variant name. */
  readonly weights: Record<string, number>;
}

/** The SageMaker control-plane calls a rollout makes. */
export interface EndpointControl {
  /** `undefined` when the endpoint does not exist. */
  describeEndpoint(endpointName: string): Promise<EndpointState | undefined>;
  describeEndpointConfig(name: string): Promise<EndpointConfigSpec>;
  /** `undefined` when the config does not exist (e.g. replaced by a deploy since it was named). */
  findEndpointConfig(name: string): Promise<EndpointConfigSpec | undefined>;
  /**
   * Creates a model for a version from the champion's: same image, role and environment, the
   * version's package as model data. Creating one that exists is a no-op (retried tasks).
   */
  createModelLike(templateModelName: string, newModelName: string, modelDataUrl: string): Promise<void>;
  /** Creates an endpoint config; an existing one of the same name is kept (retried tasks). */
  createEndpointConfig(config: EndpointConfigSpec): Promise<void>;
  /**
   * Points the endpoint at a config, keeping instance counts (autoscaling may have changed them)
   * and taking weights from the config.
   */
  updateEndpoint(endpointName: string, endpointConfigName: string): Promise<void>;
  /** Creates the endpoint on a config (a model's first rollout, when no endpoint exists yet). */
  createEndpoint(endpointName: string, endpointConfigName: string): Promise<void>;
  deleteEndpoint(endpointName: string): Promise<void>;
  /** Sets variant weights in place (no redeploy). */
  setWeights(endpointName: string, weights: Record<string, number>): Promise<void>;
  deleteModel(name: string): Promise<void>;
  deleteEndpointConfig(name: string): Promise<void>;
}

/** Target tracking of one variant on invocations per instance (Application Auto Scaling). */
export type VariantScaling = VariantScalingSettings;

/** The autoscaling of an endpoint's variants, which the endpoint custom resource owns. */
export interface EndpointScaling {
  /** Registers the variant as a scalable target with its policy (both upserts: retries are fine). */
  apply(endpointName: string, variant: string, scaling: VariantScaling): Promise<void>;
  /** Deregisters the variant, which deletes its policies; one not registered is fine. */
  remove(endpointName: string, variant: string): Promise<void>;
}

export interface AlarmState {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  readonly reason?: string;
}

/** Reads alarm states; names that do not exist are left out of the result. */
export interface AlarmReader {
  describeAlarms(names: readonly string[]): Promise<AlarmState[]>;
}

export type LockResult = { readonly acquired: true } | { readonly acquired: false; readonly holder: string };

/**
 * Rollout records and the one-rollout-per-model lock. Each change writes its audit record in the
 * same transaction (the audit table's stream is the event outbox).
 */
export interface DeploymentStore {
  /** Takes the model's lock for `deploymentId`: free, already ours, or expired. */
  acquireLock(modelName: string, deploymentId: string, expiresAt: string, now: string): Promise<LockResult>;
  /**
   * Creates the deployment record; fails with a ConflictError if the id exists. With `input`, the
   * record keeps the execution's input until a task first rewrites it, so a retried start can
   * start an execution a crash kept from starting (see `completeStart`).
   */
  createDeployment(deployment: Deployment, audit: AuditRecord, input?: RolloutInput): Promise<void>;
  /** The execution input the route recorded with the deployment; none once a task rewrote it. */
  getStartInput(modelName: string, deploymentId: string): Promise<RolloutInput | undefined>;
  getDeployment(modelName: string, deploymentId: string): Promise<Deployment | undefined>;
  /**
   * Replaces the record (same id) and writes the audit record, atomically, while the rollout is
   * RUNNING; with `resources`, what the rollout made is kept with it in the same write.
   */
  updateDeployment(deployment: Deployment, audit?: AuditRecord, resources?: RolloutResources): Promise<void>;
  /**
   * Moves a stopped rollout's undo on to `deployment.phase` if the record is still in phase `from`
   * (a ConflictError otherwise): what the undo decided survives a failed delivery.
   */
  updateStoppedPhase?(deployment: Deployment, from: { readonly phase: string }): Promise<void>;
  /**
   * Writes the final record, releases the lock (if still ours) and audits, atomically, if the
   * rollout is RUNNING, or (`from`) still in that phase of a stopped rollout's undo.
   */
  finishDeployment(
    deployment: Deployment,
    audit: AuditRecord,
    from?: { readonly phase: string },
  ): Promise<void>;
  /**
   * What the rollout made, as its tasks last kept it (see `updateDeployment`), for the undo of a
   * stopped rollout. A store that keeps none leaves that undo to traffic alone.
   */
  getRolloutResources?(modelName: string, deploymentId: string): Promise<RolloutResources | undefined>;
  /** Writes an audit record that changes no deployment (a refused rollout). */
  recordAudit(audit: AuditRecord): Promise<void>;
  /** Releases the lock if `deploymentId` holds it. */
  releaseLock(modelName: string, deploymentId: string): Promise<void>;
  /** Records the endpoint's traffic split for the predict path (see `EndpointRouting`). */
  putRouting(routing: EndpointRouting): Promise<void>;
  /** The model's deployments, newest first. */
  listDeployments(modelName: string, page: PageRequest): Promise<Page<Deployment>>;
  /** Who holds the model's rollout lock (a deployment id, or a stack update); none when free. */
  lockHolder(modelName: string): Promise<string | undefined>;
}

/** A page request of a list route: `nextToken` from the previous page. */
export interface PageRequest {
  readonly limit: number;
  readonly nextToken?: string;
}

/** A page of a list: `nextToken` is present while more items remain. */
export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

/**
 * What promotion changes in the registry, and what a rollout reads from it (the registry's
 * `RegistryService` implements it).
 */
export interface RegistryPort {
  /** The version's status, stage and artifact (the model package is built from its key). */
  getVersion(
    modelName: string,
    version: number,
  ): Promise<Pick<ModelVersion, 'status' | 'stage' | 'artifact'> | undefined>;
  /** The version an alias points at. */
  aliasVersion(modelName: string, alias: string): Promise<number | undefined>;
  /**
   * Points `champion` at the version and moves it to Production (archiving the previous one);
   * `approvalId` is the APPROVED request a model that asks for sign-off needs.
   */
  promote(
    modelName: string,
    version: number,
    actor: { principal: string; requestId: string },
    approvalId?: string,
  ): Promise<void>;
}

/** Triton packages of registry versions (`serving/packages/<model>/<version>/model.tar.gz`). */
export interface ModelPackages {
  /** Packages the version's ONNX artifact unless done already; returns the package's `s3://` URL. */
  ensurePackage(input: { modelName: string; version: number; artifactKey: string }): Promise<string>;
}

/** The ports of one rollout task: the backend serving the model, chosen when the task is invoked. */
export interface RolloutDeps {
  readonly backend: VariantBackend;
  readonly alarms: AlarmReader;
  readonly store: DeploymentStore;
  readonly registry: RegistryPort;
  readonly packages: ModelPackages;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** The ports of the rollout's task Lambda. */
export interface DeploymentDeps extends Omit<RolloutDeps, 'backend'> {
  /**
   * The backend serving a model, from its deployment target's kind (SageMaker when the target says
   * so or the model has none, ECS when it names the model's services).
   */
  readonly backends: (modelName: string) => Promise<VariantBackend>;
}
