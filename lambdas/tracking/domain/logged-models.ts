/**
 * MLflow 3's logged models: created PENDING in an active experiment with an artifact location of
 * their own (`<experiment location>/models/<id>/artifacts`, as MLflow's stores lay it out), given
 * params and tags, finalized READY or UPLOAD_FAILED once the client has uploaded the files, and
 * searched with MLflow's grammar. Every write is conditioned on the revision it read.
 */
import type * as z from 'zod';
import { MAX_REPLY_BYTES, TRACKING_LENGTH_LIMITS } from '../../../contracts/tracking';
import {
  type CreateLoggedModelRequest,
  LOGGED_MODEL_SEARCH_LIMITS,
  type LoggedModelStatus,
  type MlflowLoggedModel,
  type SearchLoggedModelsRequest,
} from '../../../contracts/tracking-logged-models';
import { BadRequestError, ConflictError, NotFoundError } from '../../shared/errors';
import {
  ExperimentNotActiveError,
  InvalidFilterError,
  LoggedModelNotFoundError,
  ParamAlreadyLoggedError,
  RunNotActiveError,
} from './errors';
import { getExperimentRecord } from './experiments';
import { type Comparison, parseFilter } from './filter';
import { isNewer, modelMetricsView } from './model-metrics';
import type { TrackingDeps } from './ports';
import { type LoggedModelMetric, type LoggedModelRecord, own, setOwn } from './records';
import { checkComparisons, compareValues, holds, page, type Value } from './run-search';
import { getRunRecord, updateRun } from './run-writes';

const MAX_ATTEMPTS = 5;

export function loggedModelView(m: LoggedModelRecord): MlflowLoggedModel {
  // DynamoDB keeps no order in a map: keys sorted, so replies are stable.
  const pairs = (map: Readonly<Record<string, string>>) =>
    Object.entries(map)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, value]) => ({ key, value }));
  return {
    info: {
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTime,
      last_updated_timestamp_ms: m.lastUpdateTime,
      artifact_uri: m.artifactLocation,
      status: m.status,
      ...(m.modelType ? { model_type: m.modelType } : {}),
      ...(m.sourceRunId ? { source_run_id: m.sourceRunId } : {}),
      tags: pairs(m.tags),
    },
    data: { params: pairs(m.params), metrics: modelMetricsView(m) },
  };
}

export async function createLoggedModel(
  deps: TrackingDeps,
  req: z.output<typeof CreateLoggedModelRequest>,
): Promise<LoggedModelRecord> {
  const experiment = await getExperimentRecord(deps, req.experiment_id);
  if (experiment.lifecycleStage !== 'active') throw new ExperimentNotActiveError(experiment.experimentId);
  const modelId = `m-${deps.newRunId()}`;
  const now = deps.now();
  const params: Record<string, string> = {};
  for (const p of req.params ?? []) setOwn(params, p.key, p.value);
  const tags: Record<string, string> = {};
  for (const t of req.tags ?? []) setOwn(tags, t.key, t.value);
  const model: LoggedModelRecord = {
    modelId,
    experimentId: experiment.experimentId,
    // MLflow generates a random name when none is given; the id's head is as unique in practice.
    name: req.name ?? `model-${modelId.slice(2, 10)}`,
    artifactLocation: `${experiment.artifactLocation}/models/${modelId}/artifacts`,
    creationTime: now,
    lastUpdateTime: now,
    status: 'LOGGED_MODEL_PENDING',
    ...(req.model_type ? { modelType: req.model_type } : {}),
    ...(req.source_run_id ? { sourceRunId: req.source_run_id } : {}),
    params,
    tags,
    rev: 0,
  };
  await deps.store.createLoggedModel(model);
  return model;
}

export async function getLoggedModel(deps: TrackingDeps, modelId: string): Promise<LoggedModelRecord> {
  const model = await deps.store.getLoggedModel(modelId);
  if (!model || model.lifecycleStage === 'deleted') throw new LoggedModelNotFoundError(modelId);
  return model;
}

/**
 * Deletes a logged model as MLflow's stores do: marked deleted, so it answers 404 and leaves
 * searches, while its files and any version registered from them stay. Deleting it again is
 * a success, as it is in MLflow.
 */
export async function deleteLoggedModel(deps: TrackingDeps, modelId: string): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.getLoggedModel(modelId);
    if (!current) throw new LoggedModelNotFoundError(modelId);
    if (current.lifecycleStage === 'deleted') return;
    const next: LoggedModelRecord = {
      ...current,
      lifecycleStage: 'deleted',
      lastUpdateTime: deps.now(),
      rev: current.rev + 1,
    };
    if (await deps.store.putLoggedModel(next, current.rev)) return;
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', `logged model ${modelId} kept changing; retry`);
}

/** Applies `change` to the model as read, conditioned on that read; retried when a write raced. */
async function updateLoggedModel(
  deps: TrackingDeps,
  modelId: string,
  change: (m: LoggedModelRecord) => Partial<LoggedModelRecord>,
): Promise<LoggedModelRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getLoggedModel(deps, modelId);
    const next = { ...current, ...change(current), lastUpdateTime: deps.now(), rev: current.rev + 1 };
    if (await deps.store.putLoggedModel(next, current.rev)) return next;
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', `logged model ${modelId} kept changing; retry`);
}

export const finalizeLoggedModel = (deps: TrackingDeps, modelId: string, status: LoggedModelStatus) =>
  updateLoggedModel(deps, modelId, () => ({ status }));

export const setLoggedModelTags = (
  deps: TrackingDeps,
  modelId: string,
  tags: readonly { key: string; value: string }[],
) =>
  updateLoggedModel(deps, modelId, (m) => {
    const next = { ...m.tags };
    for (const t of tags) setOwn(next, t.key, t.value);
    return { tags: next };
  });

export const deleteLoggedModelTag = (deps: TrackingDeps, modelId: string, key: string) =>
  updateLoggedModel(deps, modelId, (m) => {
    if (own(m.tags, key) === undefined) {
      throw new NotFoundError(
        'TAG_NOT_FOUND',
        `No tag with key '${key}' found for model with ID '${modelId}'.`,
      );
    }
    const next = { ...m.tags };
    delete next[key];
    return { tags: next };
  });

/** Params are immutable once logged, as a run's are: the same value again is fine. */
export const logLoggedModelParams = (
  deps: TrackingDeps,
  modelId: string,
  params: readonly { key: string; value: string }[],
) =>
  updateLoggedModel(deps, modelId, (m) => {
    const next = { ...m.params };
    for (const p of params) {
      const held = own(next, p.key);
      if (held !== undefined && held !== p.value)
        throw new ParamAlreadyLoggedError(modelId, p.key, held, p.value);
      setOwn(next, p.key, p.value);
    }
    return { params: next };
  });

const ATTRIBUTES: Record<string, 'number' | 'string'> = {
  name: 'string',
  model_id: 'string',
  model_type: 'string',
  status: 'string',
  source_run_id: 'string',
  creation_timestamp: 'number',
  creation_time: 'number',
  last_updated_timestamp: 'number',
};

function attributeOf(m: LoggedModelRecord, key: string): Value {
  switch (key) {
    case 'name':
      return m.name;
    case 'model_id':
      return m.modelId;
    case 'model_type':
      return m.modelType;
    case 'status':
      return m.status;
    case 'source_run_id':
      return m.sourceRunId;
    case 'last_updated_timestamp':
      return m.lastUpdateTime;
    default:
      return m.creationTime;
  }
}

/** A dataset a search reads metrics of; a missing digest matches any. */
interface DatasetRef {
  readonly dataset_name?: string | undefined;
  readonly dataset_digest?: string | undefined;
}

const onDataset = (m: LoggedModelMetric, d: DatasetRef) =>
  m.datasetName === d.dataset_name &&
  (d.dataset_digest === undefined || m.datasetDigest === d.dataset_digest);

/**
 * Whether the model meets a comparison. A metric comparison holds when any of the model's points
 * of that key (on one of `datasets`, when given) meets it, as MLflow's SQL store joins them.
 */
function meets(m: LoggedModelRecord, c: Comparison, datasets: readonly DatasetRef[]): boolean {
  if (c.entity === 'metric') {
    return (m.metrics ?? []).some(
      (p) =>
        p.key === c.key && (!datasets.length || datasets.some((d) => onDataset(p, d))) && holds(c, p.value),
    );
  }
  if (c.entity === 'param') return holds(c, own(m.params, c.key));
  if (c.entity === 'tag') return holds(c, own(m.tags, c.key));
  return holds(c, attributeOf(m, c.key));
}

/** A sort key of a logged-model search: an attribute, or a metric's latest value on a dataset. */
interface SortKey {
  readonly valueOf: (m: LoggedModelRecord) => Value;
  readonly ascending: boolean;
}

/** The latest point of a metric among the model's (on the dataset, when named); MLflow's rank 1. */
function latestMetric(m: LoggedModelRecord, key: string, dataset: DatasetRef): number | undefined {
  let latest: LoggedModelMetric | undefined;
  for (const p of m.metrics ?? []) {
    if (p.key !== key) continue;
    if (dataset.dataset_name !== undefined && p.datasetName !== dataset.dataset_name) continue;
    if (dataset.dataset_digest !== undefined && p.datasetDigest !== dataset.dataset_digest) continue;
    if (!latest || isNewer(p, latest)) latest = p;
  }
  return latest?.value;
}

/**
 * MLflow's order of a logged-model search: each `order_by` field an attribute (`creation_time`
 * and `creation_timestamp` alias the creation time) or `metrics.<key>` ranked by the metric's
 * latest value, missing values last; then the newest first unless the creation time was named,
 * and the model id, so pages are stable.
 */
function sortKeys(orderBy: z.output<typeof SearchLoggedModelsRequest>['order_by']): SortKey[] {
  const keys: SortKey[] = [];
  let byCreation = false;
  for (const o of orderBy ?? []) {
    const dot = o.field_name.indexOf('.');
    if (dot < 0) {
      if (!ATTRIBUTES[o.field_name])
        throw new InvalidFilterError(`Invalid order by field name: ${o.field_name}`);
      if (o.field_name.startsWith('creation_time')) byCreation = true;
      keys.push({ valueOf: (m) => attributeOf(m, o.field_name), ascending: o.ascending });
      continue;
    }
    const [entity, key] = [o.field_name.slice(0, dot), o.field_name.slice(dot + 1)];
    if (entity !== 'metrics' || !key) {
      throw new InvalidFilterError(
        `Invalid order by field name: ${o.field_name}. Only metrics are supported.`,
      );
    }
    keys.push({ valueOf: (m) => latestMetric(m, key, o), ascending: o.ascending });
  }
  if (!byCreation) keys.push({ valueOf: (m) => m.creationTime, ascending: false });
  keys.push({ valueOf: (m) => m.modelId, ascending: true });
  return keys;
}

/**
 * MLflow's SearchLoggedModels over the experiments' models that are not deleted: the filter's
 * attributes, params, tags and metrics (`metrics.accuracy > 0.9`), the `datasets` the metrics must
 * be measured on (a model with no metric on any of them does not match), and the order above.
 */
export async function searchLoggedModels(
  deps: TrackingDeps,
  req: z.output<typeof SearchLoggedModelsRequest>,
): Promise<{ models: MlflowLoggedModel[]; next_page_token?: string }> {
  const datasets = req.datasets ?? [];
  if (datasets.some((d) => !d.dataset_name)) {
    throw new BadRequestError('INVALID_VALUE', '`dataset_name` in the `datasets` clause must be specified.');
  }
  const comparisons = parseFilter(req.filter);
  checkComparisons(comparisons, ATTRIBUTES, ['metric', 'param', 'tag', 'attribute']);
  const keys = sortKeys(req.order_by);
  const models: LoggedModelRecord[] = [];
  for (const id of new Set(req.experiment_ids)) {
    const listed = await deps.store.listLoggedModels(id);
    models.push(...listed.filter((m) => m.lifecycleStage !== 'deleted'));
  }
  const anyMetricFilter = comparisons.some((c) => c.entity === 'metric');
  const matched = models.filter(
    (m) =>
      comparisons.every((c) => meets(m, c, datasets)) &&
      (anyMetricFilter ||
        !datasets.length ||
        (m.metrics ?? []).some((p) => datasets.some((d) => onDataset(p, d)))),
  );
  const values = new Map(matched.map((m) => [m, keys.map((k) => k.valueOf(m))]));
  matched.sort((a, b) => {
    const [x, y] = [values.get(a) ?? [], values.get(b) ?? []];
    for (let i = 0; i < keys.length; i++) {
      const d = compareValues(x[i], y[i], keys[i]?.ascending ?? true);
      if (d !== 0) return d;
    }
    return 0;
  });
  const { items, nextPageToken } = page(
    matched,
    {
      maxResults: req.max_results ?? LOGGED_MODEL_SEARCH_LIMITS.default,
      ...(req.page_token ? { pageToken: req.page_token } : {}),
      maxBytes: MAX_REPLY_BYTES,
    },
    (m) => JSON.stringify(m).length,
  );
  return { models: items.map(loggedModelView), ...(nextPageToken ? { next_page_token: nextPageToken } : {}) };
}

/** The run tag where MLflow keeps each logged model's MLmodel summary. */
export const LOG_MODEL_HISTORY_TAG = 'mlflow.log-model.history';

/**
 * Records a model logged to a run (MLflow 2's `log-model`): the MLmodel's identity (artifact path,
 * flavors, time, ids) is appended to the run's `mlflow.log-model.history` tag, oldest entries
 * dropped when the tag would pass its length limit. Signatures and examples are left out: the
 * files themselves hold them.
 */
export async function recordLoggedModel(deps: TrackingDeps, runId: string, modelJson: string): Promise<void> {
  let model: Record<string, unknown>;
  try {
    model = JSON.parse(modelJson);
  } catch (err) {
    throw new BadRequestError('INVALID_JSON', 'model_json is not JSON', { cause: err });
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) {
    throw new BadRequestError('INVALID_VALUE', 'model_json must be a JSON object');
  }
  const flavors =
    typeof model.flavors === 'object' && model.flavors !== null ? Object.keys(model.flavors) : [];
  const entry = {
    run_id: runId,
    ...pick(model, ['artifact_path', 'utc_time_created', 'model_uuid', 'model_id', 'mlflow_version']),
    flavors: Object.fromEntries(flavors.map((f) => [f, {}])),
  };
  await updateRun(deps, runId, (run) => {
    const history: unknown[] = [];
    try {
      const held = JSON.parse(own(run.tags, LOG_MODEL_HISTORY_TAG) ?? '[]');
      if (Array.isArray(held)) history.push(...held);
    } catch {
      // A history the client wrote by hand and not as JSON is replaced.
    }
    history.push(entry);
    while (history.length > 1 && JSON.stringify(history).length > TRACKING_LENGTH_LIMITS.tagValue)
      history.shift();
    const tags = { ...run.tags };
    setOwn(tags, LOG_MODEL_HISTORY_TAG, JSON.stringify(history).slice(0, TRACKING_LENGTH_LIMITS.tagValue));
    return { tags };
  });
}

const pick = (o: Record<string, unknown>, keys: readonly string[]) =>
  Object.fromEntries(keys.filter((k) => typeof o[k] === 'string').map((k) => [k, o[k]]));

/** The most logged-model links one run keeps, so the run's item stays far below DynamoDB's 400 KB. */
export const MAX_RUN_OUTPUTS = 1000;

/**
 * Links logged models to the run that produced them (MLflow 3's `runs/outputs`): each model must
 * exist, and each (model, step) is kept once, in the order first logged, so a client's retry
 * adds nothing. The models themselves are not changed: `source_run_id` stays what they were
 * created with, as in MLflow.
 */
export async function logOutputs(
  deps: TrackingDeps,
  runId: string,
  models: readonly { model_id: string; step?: number | undefined }[],
): Promise<void> {
  const run = await getRunRecord(deps, runId);
  if (run.lifecycleStage !== 'active') throw new RunNotActiveError(runId);
  for (const id of new Set(models.map((m) => m.model_id))) await getLoggedModel(deps, id);
  await updateRun(deps, runId, (current) => {
    const outputs = [...(current.outputs ?? [])];
    const held = new Set(outputs.map((o) => `${o.step}/${o.modelId}`));
    for (const m of models) {
      const step = m.step ?? 0;
      if (held.has(`${step}/${m.model_id}`)) continue;
      held.add(`${step}/${m.model_id}`);
      outputs.push({ modelId: m.model_id, step });
    }
    if (outputs.length > MAX_RUN_OUTPUTS) {
      throw new BadRequestError(
        'INVALID_VALUE',
        `A run keeps at most ${MAX_RUN_OUTPUTS} model outputs; run ${runId} would have ${outputs.length}`,
      );
    }
    return { outputs };
  });
}
