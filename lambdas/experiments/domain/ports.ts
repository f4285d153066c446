/**
 * What the experiments domain needs from the outside: where experiments, aggregates and markers
 * are stored, the model's endpoint lock and routing record (shared with rollouts), the registry,
 * and the rollout a conclusion promotes through.
 */

import type { ApprovalRequestView } from '../../../contracts/approvals';
import type { AuditRecord } from '../../../contracts/events';
import type {
  ArmAggregate,
  Experiment,
  ExperimentExposure,
  ExperimentRouting,
  ListExperimentsQuery,
  MetricKind,
} from '../../../contracts/experiments';

/** An outcome as the store adds it: arm decided, value shifted. */
export interface ArmOutcome {
  readonly eventId: string;
  readonly unit: string;
  readonly arm: string;
  readonly metric: string;
  /** value - the metric's shift. */
  readonly shifted: number;
}

/** What an ingestion wrote. */
export interface IngestResult {
  readonly accepted: number;
  readonly duplicates: number;
  /** Outcomes of units an erasure removed: not counted (the unit's data is not kept again). */
  readonly erased: number;
}

/** Stored aggregates of one experiment: per metric and arm, and units per arm. */
export interface StoredAggregates {
  readonly metrics: Readonly<Record<string, Readonly<Record<string, ArmAggregate>>>>;
  readonly units: Readonly<Record<string, number>>;
}

/** A periodic copy of the aggregates, for the effect-over-time chart. */
export interface AggregateSnapshot extends StoredAggregates {
  readonly at: string;
}

export interface ExperimentStore {
  /** Puts a new experiment with its audit record; a name taken is EXPERIMENT_EXISTS. */
  create(experiment: Experiment, audit: AuditRecord): Promise<void>;
  get(name: string): Promise<Experiment | undefined>;
  /**
   * Replaces the experiment if its revision is still `expectedRevision`, with the audit records in
   * the same transaction; a lost race is CONCURRENT_MODIFICATION.
   */
  update(next: Experiment, expectedRevision: number, audits: readonly AuditRecord[]): Promise<void>;
  /**
   * Experiments the guardrail schedule has work on: RUNNING, or with a variant or promotion step
   * pending (`needsSchedule`); never the ones that ended with nothing left to do.
   */
  listScheduled(): Promise<Experiment[]>;
  /**
   * Once per table: puts in `bySchedule` the experiments the schedule has work on that were
   * written before the index existed (and so lack its attribute); the number it put there. Later
   * calls cost one read, or none in a warm container.
   */
  backfillScheduled(): Promise<number>;
  /** A page of experiments by status then name, filtered; INVALID_PAGE_TOKEN for a token it did not issue. */
  list(query: ListExperimentsQuery): Promise<{ items: Experiment[]; nextToken?: string }>;
  /** Adds outcomes to the aggregates once per event id, counting each unit once per arm. */
  ingest(name: string, outcomes: readonly ArmOutcome[]): Promise<IngestResult>;
  aggregates(name: string): Promise<StoredAggregates>;
  putSnapshot(name: string, snapshot: AggregateSnapshot): Promise<void>;
  snapshots(name: string): Promise<AggregateSnapshot[]>;
}

/** The model endpoint's lock and routing record, shared with the rollout. */
export interface EndpointControl {
  /** Takes the model's rollout lock for the experiment; the holder when another has it. */
  acquire(
    modelName: string,
    holder: string,
    now: string,
  ): Promise<{ acquired: true } | { acquired: false; holder: string }>;
  release(modelName: string, holder: string): Promise<void>;
  /**
   * Routes the endpoint's sticky keys by the experiment, or (`undefined`) back to the champion
   * alone, leaving a record another holder wrote alone.
   */
  route(
    modelName: string,
    holder: string,
    experiment: ExperimentRouting | undefined,
    now: string,
  ): Promise<void>;
}

/** The registry as experiments read it. */
export interface VersionCatalog {
  /** Undefined when the model or version does not exist. */
  exists(modelName: string, version: number): Promise<boolean>;
}

/** Promotes a version through the rollout (canary, alarms, governance, sign-off). */
export interface Promoter {
  /**
   * Resolves when the rollout would take the version (endpoint configured, version READY,
   * governance and sign-off passed); otherwise throws the registry's or the rollout's error.
   */
  check(modelName: string, version: number): Promise<void>;
  /**
   * Where the model asks for sign-off: the same checks, then opens the approval request the
   * rollout waits on, as `principal`; `undefined` when the model asks for none. APPROVAL_PENDING
   * (`details.approvalId`) while another request of the version is open.
   */
  requestApproval(
    modelName: string,
    version: number,
    principal: string,
  ): Promise<ApprovalRequestView | undefined>;
  approval(modelName: string, approvalId: string): Promise<ApprovalRequestView | undefined>;
  /** Starts the rollout; the endpoint must be free (the experiment's lock released). */
  promote(modelName: string, version: number, actor: string): Promise<{ deploymentId: string }>;
  /**
   * Starts the rollout an APPROVED request stands for, under the request's id (a second call, or
   * the approval's own event, finds that one); `undefined` when the request is not APPROVED;
   * `refused` when the start was refused once approved (the request is START_FAILED).
   */
  promoteApproved(
    modelName: string,
    approvalId: string,
  ): Promise<{ deploymentId: string } | { refused: string } | undefined>;
}

/** Alarms on the treatment's variant (latency, errors) that stop an experiment. */
export interface VariantAlarms {
  /** The treatment variant's alarm in ALARM on the model's endpoint, if any, with CloudWatch's reason. */
  firing(modelName: string): Promise<{ name: string; reason?: string } | undefined>;
}

/** What a treatment variant is made of, as the serving side returns it and takes it back. */
export interface HeldVariant {
  readonly id: string;
  readonly version: number;
  readonly resources: Readonly<Record<string, string | boolean>>;
}

/** A poll of the endpoint: READY, WAITING (poll again), FAILED with the reason. */
export interface VariantProgress {
  readonly progress: 'READY' | 'WAITING' | 'FAILED';
  readonly reason?: string;
}

/**
 * The treatment's variant on the model's endpoint, through the serving fleet's `VariantBackend`
 * (the endpoint's challenger variant, as a rollout drives it). Each call is one step, safe to retry.
 */
export interface TreatmentVariants {
  /** Adds the version as the challenger variant at weight 0; a refusal changes nothing. */
  add(
    modelName: string,
    version: number,
    id: string,
  ): Promise<{ readonly challenger: HeldVariant } | { readonly refusal: string }>;
  progress(
    modelName: string,
    held: HeldVariant,
    check: 'challenger' | 'restore',
    polls: number,
  ): Promise<VariantProgress>;
  split(
    modelName: string,
    held: HeldVariant,
    weights: { champion: number; challenger: number },
  ): Promise<void>;
  /** All traffic back to the champion at once, then the endpoint back on the champion alone. */
  withdraw(modelName: string, held: HeldVariant): Promise<void>;
  /** Deletes what the variant was made of, once the endpoint no longer serves it. */
  remove(modelName: string, held: HeldVariant): Promise<void>;
}

export interface ExperimentsDeps {
  readonly store: ExperimentStore;
  readonly endpoints: EndpointControl;
  readonly versions: VersionCatalog;
  readonly promoter?: Promoter;
  readonly alarms?: VariantAlarms;
  /**
   * The treatment's variant on the endpoint; without it an experiment only routes keys (the
   * endpoint is assumed to serve both versions already).
   */
  readonly variants?: TreatmentVariants;
  /**
   * How long a route waits for the endpoint to finish a variant change before answering; what is
   * left, the guardrail schedule finishes. @default 0
   */
  readonly settleWithinMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now: () => Date;
  readonly newId: () => string;
  readonly newSalt: () => string;
}

/** The kind of each metric of an experiment, and the shift its values are stored with. */
export interface MetricSpec {
  readonly name: string;
  readonly kind: MetricKind;
  readonly shift: number;
}

/** Ground truth for one prediction, as monitoring receives it. */
export interface GroundTruthLabel {
  readonly inferenceId: string;
  readonly label: number | string;
}

/**
 * Predictions served inside a running experiment, by model and inference id: the predict path
 * records them, ground truth sent to monitoring finds them.
 */
export interface ExposureLog {
  /**
   * Keeps the exposure until ground truth may no longer come (a TTL); a second record replaces it.
   * False, with nothing written, when an erasure removed the unit.
   */
  record(modelName: string, inferenceId: string, exposure: ExperimentExposure): Promise<boolean>;
  /** The exposures of the given inference ids that exist (missing ones are absent from the map). */
  find(modelName: string, inferenceIds: readonly string[]): Promise<Map<string, ExperimentExposure>>;
}
