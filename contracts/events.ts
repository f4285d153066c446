/**
 * Platform events: the source and detail-types that go on the platform's EventBridge bus.
 * Detail-types are past-tense facts. The detail of every registry event is an `AuditRecord`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */
export const REGISTRY_EVENT_SOURCE = 'cdk-mlops.registry';

export const RegistryEvent = {
  MODEL_CREATED: 'ModelCreated',
  MODEL_UPDATED: 'ModelUpdated',
  MODEL_DELETED: 'ModelDeleted',
  /**
   * A model holding no version took a new name; recorded under the new name, with `before` the
   * model as it was (its old `name`) and `after` as it is. Its earlier history stays under the old name.
   */
  MODEL_RENAMED: 'ModelRenamed',
  MODEL_VERSION_REGISTERED: 'ModelVersionRegistered',
  MODEL_VERSION_UPDATED: 'ModelVersionUpdated',
  MODEL_VERSION_READY: 'ModelVersionReady',
  MODEL_VERSION_FAILED: 'ModelVersionFailed',
  MODEL_VERSION_STAGE_CHANGED: 'ModelVersionStageChanged',
  /** A version in no stage and without an alias was deleted; the detail's `before` is the version. */
  MODEL_VERSION_DELETED: 'ModelVersionDeleted',
  MODEL_ALIAS_SET: 'ModelAliasSet',
  MODEL_ALIAS_DELETED: 'ModelAliasDeleted',
  /** A governed move to Production opened an approval request; the detail's `after` is the request. */
  APPROVAL_REQUESTED: 'ApprovalRequested',
  /** An approver decided; `after` is the request, closed when the decision met the quorum or rejected. */
  APPROVAL_DECIDED: 'ApprovalDecided',
  /** An open request outlived its policy's `expiresAfterHours` and closed with nothing changed. */
  APPROVAL_EXPIRED: 'ApprovalExpired',
  /**
   * An approved rollout was refused when it tried to start (endpoint locked, version no longer
   * promotable); `after` names the request, its requester and the refusal. Nothing changed.
   */
  APPROVAL_START_FAILED: 'ApprovalStartFailed',
} as const;
export type RegistryEventType = (typeof RegistryEvent)[keyof typeof RegistryEvent];

/**
 * Drift and model-quality monitoring. Source `cdk-mlops.monitoring`; the detail is the report's
 * audit record, written in the same transaction as the report's index entry and published by the
 * outbox, so a committed report is announced at least once and a crash between the two loses
 * nothing. Its `id` is the report id and `version` the model version; `after` holds
 * `DriftDetected`'s `reportId`, `kind`, `driftShare`, `driftedFeatures` and `report` (`json` and
 * `html` S3 URIs) or `QualityDegraded`'s `reportId`, `metric`, `current`, `baseline`,
 * `relativeDrop`, `maxRelativeDrop` and `report`. Consumers de-duplicate on `detail.id`.
 */
export const MONITORING_EVENT_SOURCE = 'cdk-mlops.monitoring';

export const MonitoringEvent = {
  DRIFT_DETECTED: 'DriftDetected',
  QUALITY_DEGRADED: 'QualityDegraded',
} as const;
export type MonitoringEventType = (typeof MonitoringEvent)[keyof typeof MonitoringEvent];

const MONITORING_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(MonitoringEvent));

/**
 * Canary rollouts of a model version to its endpoint. Source `cdk-mlops.deployment`; the detail is
 * the audit record of the step or decision (`after` holds weights, alarm, reason).
 */
export const DEPLOYMENT_EVENT_SOURCE = 'cdk-mlops.deployment';

export const DeploymentEvent = {
  DEPLOYMENT_STARTED: 'DeploymentStarted',
  DEPLOYMENT_REFUSED: 'DeploymentRefused',
  DEPLOYMENT_CHALLENGER_READY: 'DeploymentChallengerReady',
  DEPLOYMENT_TRAFFIC_SHIFTED: 'DeploymentTrafficShifted',
  DEPLOYMENT_STEP_PASSED: 'DeploymentStepPassed',
  DEPLOYMENT_PROMOTED: 'DeploymentPromoted',
  DEPLOYMENT_ROLLED_BACK: 'DeploymentRolledBack',
} as const;
export type DeploymentEventType = (typeof DeploymentEvent)[keyof typeof DeploymentEvent];

const DEPLOYMENT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(DeploymentEvent));

/**
 * Feature store changes. Source `cdk-mlops.features`; the detail is the feature view's audit
 * record (`featureView`, `version`, `before`, `after`), written in the same transaction as the
 * change and published by the same outbox as the registry's.
 */
export const FEATURES_EVENT_SOURCE = 'cdk-mlops.features';

export const FeaturesEvent = {
  FEATURE_VIEW_CREATED: 'FeatureViewCreated',
  FEATURE_VIEW_UPDATED: 'FeatureViewUpdated',
  FEATURE_VIEW_DELETED: 'FeatureViewDeleted',
} as const;
export type FeaturesEventType = (typeof FeaturesEvent)[keyof typeof FeaturesEvent];

const FEATURES_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(FeaturesEvent));

/** The audit record of a feature view change; `modelName` is absent, `featureView` names it. */
export interface FeatureViewAuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: FeaturesEventType;
  readonly featureView: string;
  readonly version?: number;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string;
}

/**
 * Retraining runs. Source `cdk-mlops.pipeline`; the detail is the run's audit record (`after` holds
 * the run id, trigger, and for `RetrainingFinished` the outcome and reason), written with the run
 * record and published by the outbox. `TrainingDataAccumulated` is put directly by the
 * data-volume check (`detail`: `TrainingDataAccumulatedDetail`).
 */
export const PIPELINE_EVENT_SOURCE = 'cdk-mlops.pipeline';

export const PipelineEvent = {
  RETRAINING_STARTED: 'RetrainingStarted',
  RETRAINING_SUPPRESSED: 'RetrainingSuppressed',
  CHALLENGER_REGISTERED: 'ChallengerRegistered',
  RETRAINING_FINISHED: 'RetrainingFinished',
  /** A principal stopped a running run's execution; `RetrainingFinished` (outcome `Stopped`) follows. */
  RETRAINING_STOP_REQUESTED: 'RetrainingStopRequested',
  TRAINING_DATA_ACCUMULATED: 'TrainingDataAccumulated',
} as const;
export type PipelineEventType = (typeof PipelineEvent)[keyof typeof PipelineEvent];

/**
 * The detail of `TrainingDataAccumulated`: `newRows` rows reached `trainingData.featureView`'s
 * offline store since `since` (the start of the model's last run that trained, else its first
 * check). `checkId` is the same for every check of one accumulation, so the pipeline starts one run.
 */
export interface TrainingDataAccumulatedDetail {
  readonly modelName: string;
  readonly featureView: string;
  readonly newRows: number;
  readonly threshold: number;
  readonly checkId: string;
  readonly since: string;
}

const PIPELINE_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(PipelineEvent));

/**
 * Erasures (the right to erasure). Source `cdk-mlops.privacy`; the detail is the erasure's audit
 * record (`erasureId`, `after` holds the key counts, then the outcome), written with the erasure
 * record and published by the outbox. It names no erased key.
 */
export const PRIVACY_EVENT_SOURCE = 'cdk-mlops.privacy';

export const PrivacyEvent = {
  ENTITY_ERASURE_REQUESTED: 'EntityErasureRequested',
  ENTITY_ERASED: 'EntityErased',
  ENTITY_ERASURE_FAILED: 'EntityErasureFailed',
} as const;
export type PrivacyEventType = (typeof PrivacyEvent)[keyof typeof PrivacyEvent];

const PRIVACY_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(PrivacyEvent));

/** The audit record of an erasure; `erasureId` names it. */
export interface ErasureAuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action: PrivacyEventType;
  readonly erasureId: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly requestId?: string;
}

/**
 * A/B experiments on model versions. Source `cdk-mlops.experiments`; the detail is the
 * experiment's audit record (`after` holds the status, reason, winner or the mismatch).
 */
export const EXPERIMENTS_EVENT_SOURCE = 'cdk-mlops.experiments';

export const ExperimentEvent = {
  EXPERIMENT_CREATED: 'ExperimentCreated',
  EXPERIMENT_STARTED: 'ExperimentStarted',
  EXPERIMENT_STOPPED: 'ExperimentStopped',
  EXPERIMENT_CONCLUDED: 'ExperimentConcluded',
  SAMPLE_RATIO_MISMATCH: 'SampleRatioMismatch',
} as const;
export type ExperimentEventType = (typeof ExperimentEvent)[keyof typeof ExperimentEvent];

const EXPERIMENT_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(ExperimentEvent));

/**
 * Batch prediction jobs. Source `cdk-mlops.batch-predictions`; the detail is the job's audit record
 * (`after` holds the job id, version, engine, counts and output locations), written with the job's
 * status change in one transaction and published by the outbox. Consumers dedupe on `detail.id`.
 */
export const BATCH_PREDICTION_EVENT_SOURCE = 'cdk-mlops.batch-predictions';

export const BatchPredictionEvent = {
  BATCH_PREDICTION_SUBMITTED: 'BatchPredictionSubmitted',
  BATCH_PREDICTION_SUCCEEDED: 'BatchPredictionSucceeded',
  BATCH_PREDICTION_FAILED: 'BatchPredictionFailed',
  BATCH_PREDICTION_CANCELLED: 'BatchPredictionCancelled',
} as const;
export type BatchPredictionEventType = (typeof BatchPredictionEvent)[keyof typeof BatchPredictionEvent];

const BATCH_PREDICTION_EVENT_TYPES: ReadonlySet<string> = new Set(Object.values(BatchPredictionEvent));

/** The event source of each audit action that is not the registry's. */
const SOURCE_BY_ACTION: ReadonlyMap<string, string> = new Map(
  (
    [
      [DEPLOYMENT_EVENT_TYPES, DEPLOYMENT_EVENT_SOURCE],
      [FEATURES_EVENT_TYPES, FEATURES_EVENT_SOURCE],
      [PIPELINE_EVENT_TYPES, PIPELINE_EVENT_SOURCE],
      [PRIVACY_EVENT_TYPES, PRIVACY_EVENT_SOURCE],
      [EXPERIMENT_EVENT_TYPES, EXPERIMENTS_EVENT_SOURCE],
      [BATCH_PREDICTION_EVENT_TYPES, BATCH_PREDICTION_EVENT_SOURCE],
      [MONITORING_EVENT_TYPES, MONITORING_EVENT_SOURCE],
    ] as const
  ).flatMap(([types, source]) => [...types].map((action) => [action, source] as const)),
);

/** The event source of an audit action: each capability's own, the registry's for the rest. */
export const eventSourceOf = (action: string): string =>
  SOURCE_BY_ACTION.get(action) ?? REGISTRY_EVENT_SOURCE;

/** One state change: who did what to which resource, with the state before and after. */
export interface AuditRecord {
  readonly id: string;
  readonly at: string;
  readonly actor: string;
  readonly action:
    | RegistryEventType
    | DeploymentEventType
    | PipelineEventType
    | ExperimentEventType
    | BatchPredictionEventType
    | MonitoringEventType;
  readonly modelName: string;
  readonly version?: number;
  readonly alias?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  /** The request id that made the change, for tracing. */
  readonly requestId?: string;
}
