/**
 * What the experiments domain needs from the outside: where experiments, aggregates and markers
 * are stored, the model's endpoint lock and routing record (shared with rollouts), the registry,
 * and the rollout a conclusion promotes through.
 */

import type { AuditRecord } from '../../../contracts/events';
import type {
  ArmAggregate,
  Experiment,
  ExperimentRouting,
  ExperimentStatus,
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
  listByStatus(status: ExperimentStatus): Promise<Experiment[]>;
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

/** Promotes a version through the rollout (canary, alarms, governance). */
export interface Promoter {
  promote(modelName: string, version: number, actor: string): Promise<{ deploymentId: string }>;
}

/** Alarms on the endpoint's variants (latency, errors) that stop an experiment. */
export interface VariantAlarms {
  /** The alarm in ALARM for the model's endpoint, if any. */
  firing(modelName: string): Promise<string | undefined>;
}

export interface ExperimentsDeps {
  readonly store: ExperimentStore;
  readonly endpoints: EndpointControl;
  readonly versions: VersionCatalog;
  readonly promoter?: Promoter;
  readonly alarms?: VariantAlarms;
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
