/**
 * DynamoDB table declarations shared by the CDK storage construct, the adapters and local mode,
 * so a key name is written once. Every table is on-demand with a string partition key `pk` and
 * string sort key `sk` unless said otherwise.
 */

/** A table's key schema and secondary indexes, enough to create it in CDK or DynamoDB Local. */
export interface TableDeclaration {
  /** Logical name: the CDK construct id, and the local table name. */
  readonly id: string;
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly globalSecondaryIndexes?: ReadonlyArray<{
    indexName: string;
    partitionKey: string;
    sortKey: string;
  }>;
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  readonly timeToLiveAttribute?: string;
  /** Whether the table publishes a stream of new images (the event outbox). */
  readonly streamNewImages?: boolean;
}

/** Models, versions and aliases in one table: a model and everything under it share a partition. */
export const REGISTRY_TABLE = {
  id: 'Registry',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byKind', partitionKey: 'kind', sortKey: 'name' }],
} as const satisfies TableDeclaration;

/**
 * The audit trail, which is also the transactional outbox: every state change writes its audit
 * record in the same transaction, and the table's stream publishes it to EventBridge, so an event
 * is never lost nor sent for a change that did not commit. Kept apart from the registry table so
 * history outlives a deleted model.
 */
export const AUDIT_TABLE = {
  id: 'Audit',
  partitionKey: 'pk',
  sortKey: 'sk',
  streamNewImages: true,
} as const satisfies TableDeclaration;

/** Powertools idempotency records: `id` key, `expiration` TTL (its default attribute names). */
export const IDEMPOTENCY_TABLE = {
  id: 'Idempotency',
  partitionKey: 'id',
  timeToLiveAttribute: 'expiration',
} as const satisfies TableDeclaration;

/**
 * Canary rollouts: one item per deployment, the endpoint's current traffic split and, while a
 * rollout runs, the model's rollout lock (a conditional write), all in the model's partition.
 * `expiresAt` lets a lock left by a crashed execution be taken over. `byCreatedAt` lists a model's
 * deployments newest first (only deployment items carry `createdAt`).
 */
export const DEPLOYMENTS_TABLE = {
  id: 'Deployments',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byCreatedAt', partitionKey: 'pk', sortKey: 'createdAt' }],
} as const satisfies TableDeclaration;

/**
 * A/B experiments: each experiment's definition, its per-arm aggregates and unit counts (updated
 * with ADD, so concurrent writers merge exactly), and one marker per outcome event id and per unit
 * (conditional puts: replays count once). `byStatus` lists experiments by status (only experiment
 * items carry `status`). `bySchedule` is sparse: only an experiment the guardrail schedule has work
 * on (RUNNING, or a variant or promotion step pending) carries `scheduled`, so a scheduled run reads
 * those and never the experiments that ended. Exposures (a prediction served inside a running
 * experiment, by model and inference id, for its ground truth) carry `expiresAt` (epoch seconds, TTL).
 */
export const EXPERIMENTS_TABLE = {
  id: 'Experiments',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'byStatus', partitionKey: 'status', sortKey: 'pk' },
    { indexName: 'bySchedule', partitionKey: 'scheduled', sortKey: 'pk' },
  ],
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDeclaration;

/** The `scheduled` value of an experiment in `bySchedule` (the attribute is absent otherwise). */
export const EXPERIMENT_SCHEDULED = 'DUE';

/**
 * Feature store definitions and bookkeeping: each feature view (current definition and every past
 * version), its materialization watermark, and training-set jobs. Views are listed by name through
 * `byKind`, as models are.
 */
export const FEATURE_REGISTRY_TABLE = {
  id: 'FeatureRegistry',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byKind', partitionKey: 'kind', sortKey: 'name' }],
} as const satisfies TableDeclaration;

/**
 * The online store: one item per feature view and entity key (`pk` only) holding the latest
 * values, written newer-wins. Its own table so lookups and their capacity are isolated. A stream
 * view's hourly tile buckets live here too, each with `expiresAt` (epoch seconds) past its longest
 * window and lateness, so DynamoDB deletes them; batch views' items carry none and stay. The
 * stream consumer's per-shard watermarks sit in one more item (`STREAM_WATERMARK_KEY`).
 */
export const ONLINE_STORE_TABLE = {
  id: 'OnlineStore',
  partitionKey: 'pk',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDeclaration;

/**
 * Monitoring state: per model, each capture stream's watermark (the last capture key a scheduled
 * check claimed), the index of its drift and quality reports (newest last by `sk`), and ground-truth
 * labels by inference id in their own partition.
 */
export const MONITORING_TABLE = {
  id: 'Monitoring',
  partitionKey: 'pk',
  sortKey: 'sk',
} as const satisfies TableDeclaration;

/**
 * Retraining runs and their gate: per model the run lock (one run at a time), a cool-down per
 * trigger reason and the run records (newest last by `sk`); trigger dedup keys in their own
 * partitions. Locks, cool-downs and dedup keys carry `expiresAt` (epoch seconds, TTL) and are
 * checked against the clock too, since TTL deletes lazily.
 */
export const PIPELINE_TABLE = {
  id: 'Pipeline',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDeclaration;

/**
 * Experiment tracking (MLflow's experiments and runs). Laid out for the two hot paths: a run's
 * metric history is one partition of its own (`RUN#<id>`: appends, read back by key), and an
 * experiment's runs are one partition (`EXP#<id>`) whose items carry params, tags and latest
 * metrics, so a search is a strongly consistent Query of that partition with no second read.
 * Experiments are listed from one partition (`EXPERIMENTS`); names are unique through
 * `EXPERIMENT_NAME#<name>` items written in the same transaction.
 */
export const TRACKING_TABLE = {
  id: 'Tracking',
  partitionKey: 'pk',
  sortKey: 'sk',
} as const satisfies TableDeclaration;

/**
 * Per-caller token buckets (see `contracts/rate-limits.ts`): one item per principal and route
 * group, updated under a condition so racing requests never overdraw it; idle buckets expire.
 */
export const RATE_LIMITS_TABLE = {
  id: 'RateLimits',
  partitionKey: 'pk',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDeclaration;

/**
 * Batch prediction jobs: one item per job (`JOB#<id>`), its status changed only under a condition
 * on the status it replaces; `byModel` lists a model's jobs newest first.
 */
export const BATCH_PREDICTIONS_TABLE = {
  id: 'BatchPredictions',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'byModel', partitionKey: 'modelName', sortKey: 'createdAt' }],
} as const satisfies TableDeclaration;

/**
 * LLMOps: one usage record per call in its day's partition (aggregated by `GET /llm/usage`), the
 * exact-match response cache, whose entries expire, collections and their chunks, and background
 * evaluation runs with one item per scored row.
 */
export const LLM_TABLE = {
  id: 'Llm',
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
} as const satisfies TableDeclaration;

export const TABLES: readonly TableDeclaration[] = [
  REGISTRY_TABLE,
  AUDIT_TABLE,
  IDEMPOTENCY_TABLE,
  DEPLOYMENTS_TABLE,
  FEATURE_REGISTRY_TABLE,
  ONLINE_STORE_TABLE,
  MONITORING_TABLE,
  PIPELINE_TABLE,
  TRACKING_TABLE,
  RATE_LIMITS_TABLE,
  EXPERIMENTS_TABLE,
  BATCH_PREDICTIONS_TABLE,
  LLM_TABLE,
];

/** Item keys of the registry table. Version numbers are zero-padded so they sort numerically. */
export const registryKeys = {
  model: (name: string) => ({ pk: `MODEL#${name}`, sk: 'MODEL' }),
  version: (name: string, version: number) => ({
    pk: `MODEL#${name}`,
    sk: `VERSION#${String(version).padStart(10, '0')}`,
  }),
  versionPrefix: 'VERSION#',
  alias: (name: string, alias: string) => ({ pk: `MODEL#${name}`, sk: `ALIAS#${alias}` }),
  aliasPrefix: 'ALIAS#',
  modelPartition: (name: string) => `MODEL#${name}`,
} as const;

/** The `kind` value indexed by `byKind` for listing models by name prefix. */
export const MODEL_KIND = 'MODEL';

/** Audit keys: one partition per model, sorted by time then a unique id. */
export const auditKeys = {
  record: (modelName: string, at: string, id: string) => ({ pk: `MODEL#${modelName}`, sk: `${at}#${id}` }),
  partition: (modelName: string) => `MODEL#${modelName}`,
} as const;

/** Deployment keys: the rollout lock and one item per deployment, in the model's partition. */
export const deploymentKeys = {
  lock: (modelName: string) => ({ pk: `MODEL#${modelName}`, sk: 'LOCK' }),
  deployment: (modelName: string, id: string) => ({ pk: `MODEL#${modelName}`, sk: `DEPLOYMENT#${id}` }),
  /** The endpoint's current traffic split (`EndpointRouting`), which the predict path reads. */
  routing: (modelName: string) => ({ pk: `MODEL#${modelName}`, sk: 'ROUTING' }),
  partition: (modelName: string) => `MODEL#${modelName}`,
  deploymentPrefix: 'DEPLOYMENT#',
} as const;

/** Experiment keys: the definition, aggregates and counts in the experiment's partition; markers apart. */
/** Items each experiment counter is spread over (see `experimentKeys.aggregate`). */
export const EXPERIMENT_COUNTER_SHARDS = 16;

export const experimentKeys = {
  experiment: (name: string) => ({ pk: `EXPERIMENT#${name}`, sk: 'EXPERIMENT' }),
  /**
   * Counters are spread over `EXPERIMENT_COUNTER_SHARDS` items per (metric, arm): every outcome
   * batch adds to one arm's counters, and writers racing on one item would conflict in their
   * transactions; a read sums the shards.
   */
  aggregate: (name: string, metric: string, arm: string, shard: number) => ({
    pk: `EXPERIMENT#${name}`,
    sk: `AGG#${metric}#${arm}#${shard}`,
  }),
  units: (name: string, arm: string, shard: number) => ({
    pk: `EXPERIMENT#${name}`,
    sk: `UNITS#${arm}#${shard}`,
  }),
  snapshot: (name: string, at: string) => ({ pk: `EXPERIMENT#${name}`, sk: `SNAPSHOT#${at}` }),
  /** Outcome events and units get a partition each: markers are written at ingestion rates. */
  event: (name: string, eventId: string) => ({ pk: `EXPERIMENT#${name}#EVENT#${eventId}`, sk: 'EVENT' }),
  unit: (name: string, unit: string) => ({ pk: `EXPERIMENT#${name}#UNIT#${unit}`, sk: 'UNIT' }),
  partition: (name: string) => `EXPERIMENT#${name}`,
  /**
   * Marks a one-off backfill done (e.g. `scheduled` set on experiments written before it existed);
   * it carries no `status` or `scheduled`, so neither index holds it.
   */
  backfill: (name: string) => ({ pk: `BACKFILL#${name}`, sk: 'BACKFILL' }),
  /** A prediction served inside an experiment, one partition each: written at prediction rates. */
  exposure: (modelName: string, inferenceId: string) => ({
    pk: `INFERENCE#${modelName}#${inferenceId}`,
    sk: 'EXPOSURE',
  }),
  /**
   * An erased randomization unit (`unitTombstoneHash`): exposures and outcomes of it are not
   * written. The hash keeps no personal data; the erasure writes it before clearing the unit's items.
   */
  erasedUnit: (hash: string) => ({ pk: `ERASED_UNIT#${hash}`, sk: 'ERASED' }),
  /** The sort key of a unit marker (`unit`), whose partition key ends in the unit itself. */
  unitMarkerSk: 'UNIT',
  unitMarkerInfix: '#UNIT#',
  aggregatePrefix: 'AGG#',
  unitsPrefix: 'UNITS#',
  snapshotPrefix: 'SNAPSHOT#',
} as const;

/** Feature registry keys: a view's partition holds its current definition, versions and watermark. */
export const featureKeys = {
  view: (name: string) => ({ pk: `VIEW#${name}`, sk: 'CURRENT' }),
  viewVersion: (name: string, version: number) => ({
    pk: `VIEW#${name}`,
    sk: `VERSION#${String(version).padStart(10, '0')}`,
  }),
  watermark: (name: string) => ({ pk: `VIEW#${name}`, sk: 'WATERMARK' }),
  viewPartition: (name: string) => `VIEW#${name}`,
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
  /** An erased entity key (`tombstoneHash`): pushes of it are refused, materialization skips it. */
  tombstone: (hash: string) => ({ pk: `TOMBSTONE#${hash}`, sk: 'TOMBSTONE' }),
  /** Held by the one erasure running: two rewriting the same offline file would each undo the other. */
  erasureLock: { pk: 'ERASURE#LOCK', sk: 'LOCK' },
  /**
   * The key of the hashes enriched predictions put on their capture records (`captureKeyHash`),
   * created once by the first that needs it; serving may write this item only.
   */
  captureKey: { pk: 'PRIVACY#CAPTURE_KEY', sk: 'CAPTURE_KEY' },
  /** An erasure request and its outcome (the privacy capability's record). */
  erasure: (erasureId: string) => ({ pk: `ERASURE#${erasureId}`, sk: 'ERASURE' }),
  /** Audit records of an erasure (the receipt), in the shared Audit table (the event outbox). */
  erasureAudit: (erasureId: string, at: string, id: string) => ({
    pk: `ERASURE#${erasureId}`,
    sk: `${at}#${id}`,
  }),
  /** Audit records of a view, in the shared Audit table (the event outbox). */
  audit: (name: string, at: string, id: string) => ({ pk: `FEATURE_VIEW#${name}`, sk: `${at}#${id}` }),
  auditPartition: (name: string) => `FEATURE_VIEW#${name}`,
} as const;

/** The `kind` value indexed by `byKind` for listing feature views by name. */
export const FEATURE_VIEW_KIND = 'FEATURE_VIEW';

/** Monitoring keys: watermarks and the report index in the model's partition, labels apart. */
export const monitoringTableKeys = {
  watermark: (modelName: string, stream: string) => ({ pk: `MODEL#${modelName}`, sk: `WATERMARK#${stream}` }),
  report: (modelName: string, createdAt: string, reportId: string) => ({
    pk: `MODEL#${modelName}`,
    sk: `REPORT#${createdAt}#${reportId}`,
  }),
  reportPrefix: 'REPORT#',
  modelPartition: (modelName: string) => `MODEL#${modelName}`,
  label: (modelName: string, inferenceId: string) => ({ pk: `LABELS#${modelName}`, sk: inferenceId }),
} as const;

/** Pipeline keys: lock, cool-downs and runs in the model's partition; dedup keys apart. */
export const pipelineTableKeys = {
  lock: (modelName: string) => ({ pk: `MODEL#${modelName}`, sk: 'LOCK' }),
  cooldown: (modelName: string, reason: string) => ({ pk: `MODEL#${modelName}`, sk: `COOLDOWN#${reason}` }),
  run: (modelName: string, startedAt: string, runId: string) => ({
    pk: `MODEL#${modelName}`,
    sk: `RUN#${startedAt}#${runId}`,
  }),
  runPrefix: 'RUN#',
  modelPartition: (modelName: string) => `MODEL#${modelName}`,
  dedup: (key: string) => ({ pk: `DEDUP#${key}`, sk: 'DEDUP' }),
  /** The data-volume check's own state: when it first ran, what it last reported. */
  dataVolumeCheck: (modelName: string) => ({ pk: `MODEL#${modelName}`, sk: 'CHECK#data-volume' }),
} as const;

/**
 * Tracking keys. A metric point's sort key orders a metric's history by step then timestamp, and
 * ends in the value so the same point logged twice (a retry) is one item while two values at one
 * step and time are both kept, as MLflow keeps them. Steps are offset by 2^53 so negative ones sort.
 */
export const trackingKeys = {
  experiment: (experimentId: string) => ({ pk: 'EXPERIMENTS', sk: `EXP#${experimentId}` }),
  experimentsPartition: 'EXPERIMENTS',
  experimentPrefix: 'EXP#',
  /** The next experiment id (an atomic counter). */
  experimentCounter: { pk: 'EXPERIMENTS', sk: 'COUNTER' },
  experimentName: (name: string) => ({ pk: `EXPERIMENT_NAME#${name}`, sk: 'NAME' }),
  run: (experimentId: string, runId: string) => ({ pk: `EXP#${experimentId}`, sk: `RUN#${runId}` }),
  runsPartition: (experimentId: string) => `EXP#${experimentId}`,
  runPrefix: 'RUN#',
  /** Where a run lives: its experiment, written once when the run is created. */
  runPointer: (runId: string) => ({ pk: `RUN#${runId}`, sk: 'INFO' }),
  metricPoint: (runId: string, key: string, step: number, timestamp: number, value: string) => ({
    pk: `RUN#${runId}`,
    sk: `M#${key}#${(BigInt(step) + 2n ** 53n).toString().padStart(17, '0')}#${String(timestamp).padStart(16, '0')}#${value}`,
  }),
  metricPrefix: (key: string) => `M#${key}#`,
  runPartition: (runId: string) => `RUN#${runId}`,
  /** A logged model (MLflow 3) in its experiment's partition, beside the runs. */
  loggedModel: (experimentId: string, modelId: string) => ({
    pk: `EXP#${experimentId}`,
    sk: `LOGGED_MODEL#${modelId}`,
  }),
  loggedModelPrefix: 'LOGGED_MODEL#',
  /** Where a logged model lives: its experiment, written once when the model is created. */
  loggedModelPointer: (modelId: string) => ({ pk: `LOGGED_MODEL#${modelId}`, sk: 'INFO' }),
} as const;

/** Batch prediction keys: one partition per job; its audit records are in the model's audit partition. */
export const batchPredictionKeys = {
  job: (jobId: string) => ({ pk: `JOB#${jobId}`, sk: 'JOB' }),
} as const;

/** Item keys of the LLM table. */
export const llmKeys = {
  usage: (day: string, at: string, id: string) => ({ pk: `USAGE#${day}`, sk: `${at}#${id}` }),
  usageDay: (day: string) => `USAGE#${day}`,
  cache: (key: string) => ({ pk: `CACHE#${key}`, sk: 'CACHE' }),
  collectionPartition: (name: string) => `COLLECTION#${name}`,
  collection: (name: string) => ({ pk: `COLLECTION#${name}`, sk: 'META' }),
  document: (name: string, source: string) => ({ pk: `COLLECTION#${name}`, sk: `DOC#${source}` }),
  chunk: (name: string, source: string, chunk: number) => ({
    pk: `COLLECTION#${name}`,
    sk: `CHUNK#${source}#${String(chunk).padStart(5, '0')}`,
  }),
  chunkPrefix: 'CHUNK#',
  /** The model id a Bedrock endpoint serves since a model rollout's promotion (or rollback). */
  servedModel: (endpoint: string) => ({ pk: `ENDPOINT#${endpoint}`, sk: 'SERVED_MODEL' }),
  /** A running model rollout's split of an endpoint's calls. */
  modelCanary: (endpoint: string) => ({ pk: `ENDPOINT#${endpoint}`, sk: 'MODEL_CANARY' }),
  evaluationRun: (runId: string) => ({ pk: `EVALRUN#${runId}`, sk: 'RUN' }),
  evaluationRunPartition: (runId: string) => `EVALRUN#${runId}`,
  evaluationRow: (runId: string, index: number) => ({
    pk: `EVALRUN#${runId}`,
    sk: `ROW#${String(index).padStart(6, '0')}`,
  }),
} as const;
