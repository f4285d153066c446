/**
 * MLflow 3's metrics of logged models: a metric logged to a run with `model_id` also measures that
 * model (on `dataset_name`/`dataset_digest` when given). The run keeps the full history, as for any
 * metric; the model keeps the latest point of each series (key, dataset, run), which is what
 * `LoggedModel.data.metrics` shows and what a logged-model search filters and orders by.
 */
import type { MetricInput } from '../../../contracts/tracking';
import type { Metric } from '../../../contracts/tracking-responses';
import { BadRequestError, ConflictError } from '../../shared/errors';
import { LoggedModelNotFoundError } from './errors';
import type { TrackingDeps } from './ports';
import type { LoggedModelMetric, LoggedModelRecord } from './records';
import { wireDouble } from './views';

/**
 * The most metric series one logged model keeps, so its item stays far below DynamoDB's 400 KB
 * whatever the key and dataset lengths (an evaluation logs a few dozen).
 */
export const MAX_LOGGED_MODEL_METRICS = 250;

const MAX_ATTEMPTS = 5;

const seriesOf = (m: LoggedModelMetric) =>
  JSON.stringify([m.key, m.datasetName ?? null, m.datasetDigest ?? null, m.runId]);

/** MLflow's rank of a logged model's metric points: the latest timestamp, then the greatest step. */
export function isNewer(a: LoggedModelMetric, b: LoggedModelMetric): boolean {
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  if (a.step !== b.step) return a.step > b.step;
  if (Number.isNaN(b.value)) return !Number.isNaN(a.value);
  return a.value > b.value;
}

/** The model's metrics with `points` merged in, each series keeping its latest point; pure. */
export function mergeMetrics(
  model: LoggedModelRecord,
  points: readonly LoggedModelMetric[],
): LoggedModelMetric[] {
  const series = new Map((model.metrics ?? []).map((m) => [seriesOf(m), m]));
  for (const p of points) {
    const held = series.get(seriesOf(p));
    if (!held || isNewer(p, held)) series.set(seriesOf(p), p);
  }
  if (series.size > MAX_LOGGED_MODEL_METRICS) {
    throw new BadRequestError(
      'INVALID_VALUE',
      `A logged model keeps at most ${MAX_LOGGED_MODEL_METRICS} metrics (one per key, dataset and run); ` +
        `model ${model.modelId} would have ${series.size}`,
    );
  }
  return [...series.values()];
}

/** The metrics of a batch that name a model, grouped by model, as the model keeps them. */
export function modelPoints(
  runId: string,
  metrics: readonly MetricInput[],
): Map<string, LoggedModelMetric[]> {
  const byModel = new Map<string, LoggedModelMetric[]>();
  for (const m of metrics) {
    if (!m.model_id) continue;
    const point: LoggedModelMetric = {
      key: m.key,
      value: m.value,
      timestamp: m.timestamp,
      step: m.step,
      runId,
      ...(m.dataset_name ? { datasetName: m.dataset_name } : {}),
      ...(m.dataset_digest ? { datasetDigest: m.dataset_digest } : {}),
    };
    byModel.set(m.model_id, [...(byModel.get(m.model_id) ?? []), point]);
  }
  return byModel;
}

/**
 * Checks that each model exists and can take its points, before anything of the batch is written:
 * a deleted or unknown model is MLflow's RESOURCE_DOES_NOT_EXIST, too many series a 400.
 */
export async function checkModelPoints(
  deps: TrackingDeps,
  points: ReadonlyMap<string, readonly LoggedModelMetric[]>,
): Promise<void> {
  for (const [modelId, batch] of points) {
    const model = await deps.store.getLoggedModel(modelId);
    if (!model || model.lifecycleStage === 'deleted') throw new LoggedModelNotFoundError(modelId);
    mergeMetrics(model, batch);
  }
}

/**
 * Merges the points into each model, conditioned on the revision read. Merging a point again
 * changes nothing, so a client's retry after a fault converges on the same models.
 */
export async function logModelPoints(
  deps: TrackingDeps,
  points: ReadonlyMap<string, readonly LoggedModelMetric[]>,
): Promise<void> {
  for (const [modelId, batch] of points) {
    let written = false;
    for (let attempt = 0; attempt < MAX_ATTEMPTS && !written; attempt++) {
      const current = await deps.store.getLoggedModel(modelId);
      if (!current || current.lifecycleStage === 'deleted') throw new LoggedModelNotFoundError(modelId);
      const next = { ...current, metrics: mergeMetrics(current, batch), rev: current.rev + 1 };
      written = await deps.store.putLoggedModel(next, current.rev);
    }
    if (!written) {
      throw new ConflictError('CONCURRENT_MODIFICATION', `logged model ${modelId} kept changing; retry`);
    }
  }
}

/** A logged model's metrics as MLflow shows them, in a stable order. */
export function modelMetricsView(model: LoggedModelRecord): Metric[] {
  const sortKey = (m: LoggedModelMetric) => [m.key, m.datasetName ?? '', m.datasetDigest ?? '', m.runId];
  return [...(model.metrics ?? [])]
    .sort((a, b) => {
      const [x, y] = [sortKey(a), sortKey(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return 0;
    })
    .map((m) => ({
      key: m.key,
      value: wireDouble(m.value),
      timestamp: m.timestamp,
      step: m.step,
      ...(m.datasetName ? { dataset_name: m.datasetName } : {}),
      ...(m.datasetDigest ? { dataset_digest: m.datasetDigest } : {}),
      model_id: model.modelId,
      run_id: m.runId,
    }));
}
