/**
 * Experiment tracking in MLflow's REST API 2.0 terms (`mlflow/protos/service.proto`): experiments,
 * runs, params, metrics, tags, and the limits MLflow's own server enforces
 * (`mlflow/utils/validation.py`). Field names are MLflow's (snake_case) since the MLflow client
 * sends and reads them unchanged.
 * @see https://mlflow.org/docs/latest/rest-api.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** Where experiments' artifacts go in the platform bucket: `s3://<bucket>/mlflow/<experiment>/<run>/artifacts`. */
export const TRACKING_ARTIFACTS_PREFIX = 'mlflow';

/**
 * The scheme of artifact URIs served by MLflow's artifact proxy: the client turns
 * `mlflow-artifacts:/<path>` into `<tracking URI>/api/2.0/mlflow-artifacts/artifacts/<path>`, and
 * the platform keeps `<path>` at `s3://<bucket>/mlflow/<path>`. New experiments, their runs and
 * logged models get such URIs, so the client needs nothing but the API URL and IAM credentials.
 */
export const MLFLOW_ARTIFACTS_SCHEME = 'mlflow-artifacts:';

/** MLflow's batch limits: `log-batch` refuses a request past any of them. */
export const LOG_BATCH_LIMITS = {
  metrics: 1000,
  params: 100,
  tags: 100,
  /** Metrics, params and tags together. */
  entities: 1000,
} as const;

/** MLflow's length limits (characters). */
export const TRACKING_LENGTH_LIMITS = {
  entityKey: 250,
  paramValue: 6000,
  tagValue: 5000,
  experimentName: 500,
} as const;

/** The most runs or experiments one search page returns (MLflow's SearchRuns default and cap). */
export const MAX_SEARCH_RESULTS = 50_000;
export const DEFAULT_SEARCH_RESULTS = 1000;
/**
 * Bytes of runs or experiments one search page carries at most (their stored form, close to the
 * reply's): a Lambda reply is at most 6 MB, and MLflow's client follows next_page_token for the rest.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_REPLY_BYTES = 4_500_000;

/** Run statuses (`RunStatus` in service.proto). */
export const RunStatus = lazySchema(() => z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']));
export type RunStatus = z.infer<typeof RunStatus>;

/** `active` or `deleted`: deletion is a mark, undone by restore. */
export const LifecycleStage = lazySchema(() => z.enum(['active', 'deleted']));
export type LifecycleStage = z.infer<typeof LifecycleStage>;

/** Which runs or experiments a search covers (`ViewType`). */
export const ViewType = lazySchema(() => z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']));
export type ViewType = z.infer<typeof ViewType>;

/**
 * An int64 as protobuf's JSON mapping allows it: a number, or a decimal string. Kept to what a
 * double carries exactly (|n| <= 2^53 - 1), since larger ones were already rounded in transit.
 */
const int64 = () =>
  z
    .union([
      z.number(),
      z
        .string()
        .regex(/^-?\d{1,16}$/, 'must be an integer')
        .transform(Number),
    ])
    .pipe(z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER));

/** Milliseconds since the epoch. */
const Timestamp = lazySchema(() => int64().pipe(z.number().min(0)));

/** A double as protobuf's JSON mapping allows it: a number, or `NaN`/`Infinity`/`-Infinity`. */
const MetricValue = lazySchema(() =>
  z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity']).transform((s) => Number(s))]),
);

/**
 * Metric, param and tag keys: MLflow's character set (alphanumerics, `_`, `-`, `.`, space, `/`),
 * at most 250 characters, and no name that a path normalization would change (`a/../b`, `/a`).
 */
export const EntityKey = lazySchema(() =>
  z
    .string()
    .min(1, 'a key name must be provided')
    .max(TRACKING_LENGTH_LIMITS.entityKey)
    .regex(
      /^[/\w.\- ]*$/,
      'names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/)',
    )
    .refine((k) => !pathNotUnique(k), 'names must not resolve to other names when treated as paths'),
);

/** Whether a POSIX normalization of `name` differs from it (MLflow's `path_not_unique`). */
function pathNotUnique(name: string): boolean {
  const parts: string[] = [];
  for (const part of name.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(part);
  }
  const norm = (name.startsWith('/') ? '/' : '') + parts.join('/') || '.';
  return norm !== name || norm === '.' || norm.startsWith('..') || norm.startsWith('/');
}

/** MLflow's experiment id pattern; ids the platform issues are decimal. */
export const ExperimentId = lazySchema(() =>
  z.string().regex(/^[a-zA-Z0-9][\w-]{0,63}$/, 'is not a valid experiment id'),
);
/** MLflow's run id pattern; ids the platform issues are 32 hex digits. */
export const RunId = lazySchema(() => z.string().regex(/^[a-zA-Z0-9][\w-]{0,255}$/, 'is not a valid run id'));

export const ExperimentName = lazySchema(() => z.string().min(1).max(TRACKING_LENGTH_LIMITS.experimentName));

export const ParamValue = lazySchema(() => z.string().max(TRACKING_LENGTH_LIMITS.paramValue));
export const TagValue = lazySchema(() => z.string().max(TRACKING_LENGTH_LIMITS.tagValue));

/** A logged model's id: `m-` and 32 hex digits as the platform issues them. */
export const LoggedModelId = lazySchema(() =>
  z.string().regex(/^m-[a-zA-Z0-9]{1,64}$/, 'is not a logged model id'),
);

/**
 * MLflow 3 links a metric to the logged model it measures and the dataset it was measured on
 * (`Metric.model_id`, `dataset_name`, `dataset_digest`); the limits are MLflow's columns.
 */
const MetricLinks = {
  model_id: lazySchema(() => LoggedModelId.optional()),
  dataset_name: lazySchema(() => z.string().min(1).max(500).optional()),
  dataset_digest: lazySchema(() => z.string().min(1).max(36).optional()),
};

export const RunTagInput = lazySchema(() => z.object({ key: EntityKey, value: TagValue.default('') }));
export const ParamInput = lazySchema(() => z.object({ key: EntityKey, value: ParamValue.default('') }));
export const MetricInput = lazySchema(() =>
  z.object({
    key: EntityKey,
    value: MetricValue,
    timestamp: Timestamp,
    step: int64().default(0),
    ...MetricLinks,
  }),
);
export type MetricInput = z.output<typeof MetricInput>;

/** `run_id`, or `run_uuid` from older clients, which send both. */
const RunRef = {
  run_id: lazySchema(() => RunId.optional()),
  run_uuid: lazySchema(() => RunId.optional()),
};

/** The page token and size of a search, as MLflow names them. */
const Paging = {
  max_results: lazySchema(() => int64().pipe(z.number().int().min(1).max(MAX_SEARCH_RESULTS)).optional()),
  page_token: lazySchema(() => z.string().max(2048).optional()),
};

/** `order_by`: repeated in a body, one comma-joined value in a query string. */
const OrderBy = lazySchema(() =>
  z
    .union([
      z.array(z.string().max(512)).max(10),
      z
        .string()
        .max(5120)
        .transform((s) => splitOrderBy(s)),
    ])
    .optional(),
);

/**
 * API Gateway joins a repeated query parameter with commas; MLflow's order_by clauses contain no
 * comma outside quotes, so splitting on commas outside quotes restores the list.
 */
function splitOrderBy(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of value) {
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === ',') {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

export const CreateExperimentRequest = lazySchema(() =>
  z.object({
    name: ExperimentName,
    artifact_location: z.string().max(1024).optional(),
    tags: z.array(RunTagInput).max(LOG_BATCH_LIMITS.tags).optional(),
  }),
);
export const ExperimentIdQuery = lazySchema(() => z.object({ experiment_id: ExperimentId }));
export const ExperimentByNameQuery = lazySchema(() => z.object({ experiment_name: ExperimentName }));
export const ExperimentIdRequest = lazySchema(() => z.object({ experiment_id: ExperimentId }));
export const UpdateExperimentRequest = lazySchema(() =>
  z.object({ experiment_id: ExperimentId, new_name: ExperimentName }),
);
export const SetExperimentTagRequest = lazySchema(() =>
  z.object({
    experiment_id: ExperimentId,
    key: EntityKey,
    value: TagValue,
  }),
);
export const DeleteExperimentTagRequest = lazySchema(() =>
  z.object({ experiment_id: ExperimentId, key: EntityKey }),
);
export const SearchExperimentsRequest = lazySchema(() =>
  z.object({
    ...Paging,
    filter: z.string().max(4096).optional(),
    order_by: OrderBy,
    view_type: ViewType.optional(),
  }),
);

export const CreateRunRequest = lazySchema(() =>
  z.object({
    experiment_id: ExperimentId.optional(),
    user_id: z.string().max(256).optional(),
    run_name: z.string().max(250).optional(),
    start_time: Timestamp.optional(),
    tags: z.array(RunTagInput).max(LOG_BATCH_LIMITS.tags).optional(),
  }),
);
export const UpdateRunRequest = lazySchema(() =>
  z.object({
    ...RunRef,
    status: RunStatus.optional(),
    end_time: Timestamp.optional(),
    run_name: z.string().max(250).optional(),
  }),
);
export const RunRefRequest = lazySchema(() => z.object(RunRef));
export const RunRefQuery = lazySchema(() => z.object(RunRef));
export const LogParamRequest = lazySchema(() => z.object({ ...RunRef, key: EntityKey, value: ParamValue }));
export const LogMetricRequest = lazySchema(() =>
  z.object({
    ...RunRef,
    key: EntityKey,
    value: MetricValue,
    timestamp: Timestamp,
    step: int64().default(0),
    ...MetricLinks,
  }),
);
export const SetTagRequest = lazySchema(() => z.object({ ...RunRef, key: EntityKey, value: TagValue }));
export const DeleteTagRequest = lazySchema(() => z.object({ ...RunRef, key: EntityKey }));
export const LogBatchRequest = lazySchema(() =>
  z.object({
    ...RunRef,
    metrics: z.array(MetricInput).max(LOG_BATCH_LIMITS.metrics).default([]),
    params: z.array(ParamInput).max(LOG_BATCH_LIMITS.params).default([]),
    tags: z.array(RunTagInput).max(LOG_BATCH_LIMITS.tags).default([]),
  }),
);
export const SearchRunsRequest = lazySchema(() =>
  z.object({
    ...Paging,
    experiment_ids: z.array(ExperimentId).max(100).default([]),
    filter: z.string().max(4096).optional(),
    run_view_type: ViewType.optional(),
    order_by: OrderBy,
  }),
);
export const MetricHistoryQuery = lazySchema(() =>
  z.object({
    ...RunRef,
    metric_key: EntityKey,
    ...Paging,
  }),
);
export const ListArtifactsQuery = lazySchema(() =>
  z.object({
    ...RunRef,
    path: z.string().max(900).optional(),
    page_token: z.string().max(2048).optional(),
  }),
);
export const PresignedUrlRequest = lazySchema(() =>
  z.object({ ...RunRef, path: z.string().min(1).max(900) }),
);
