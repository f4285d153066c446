/**
 * Every change to a run goes through `updateRun`: read the run, apply the change (which may
 * refuse it), write it conditioned on the revision read, and start over when another writer got
 * there first. A refused change writes nothing.
 */
import { LOG_BATCH_LIMITS, type MetricInput } from '../../../contracts/tracking';
import { BadRequestError, ConflictError } from '../../shared/errors';
import { ParamAlreadyLoggedError, RunNotActiveError, TrackingRunNotFoundError } from './errors';
import { checkModelPoints, logModelPoints, modelPoints } from './model-metrics';
import type { TrackingDeps } from './ports';
import { isLater, type MetricPoint, own, RUN_NAME_TAG, type RunRecord, setOwn } from './records';

const MAX_ATTEMPTS = 8;

export async function getRunRecord(deps: TrackingDeps, runId: string): Promise<RunRecord> {
  const run = await deps.store.getRun(runId);
  if (!run) throw new TrackingRunNotFoundError(runId);
  return run;
}

export async function updateRun(
  deps: TrackingDeps,
  runId: string,
  change: (run: RunRecord) => Partial<RunRecord>,
  options: { readonly allowDeleted?: boolean } = {},
): Promise<RunRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getRunRecord(deps, runId);
    if (!options.allowDeleted && current.lifecycleStage !== 'active') throw new RunNotActiveError(runId);
    const next: RunRecord = { ...current, ...change(current), rev: current.rev + 1 };
    if (await deps.store.putRun(next, current.rev)) return next;
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', `run ${runId} kept changing; retry`);
}

/** What one logging call adds to a run. */
export interface RunBatch {
  readonly metrics: readonly MetricInput[];
  readonly params: readonly { key: string; value: string }[];
  readonly tags: readonly { key: string; value: string }[];
}

/**
 * Refuses a batch past MLflow's total of 1000 entities (each kind's own limit is in the route's
 * schema) or naming one param twice, as MLflow does, before anything is written.
 */
export function checkBatch(batch: RunBatch): void {
  const total = batch.metrics.length + batch.params.length + batch.tags.length;
  if (total > LOG_BATCH_LIMITS.entities) {
    throw new BadRequestError(
      'TOO_MANY_ENTITIES',
      `A batch logging request can contain at most ${LOG_BATCH_LIMITS.entities} metrics, params, and tags. ` +
        `Got ${total} metrics, params, and tags. Please split up metrics, params, and tags across multiple requests and try again.`,
    );
  }
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const p of batch.params) (seen.has(p.key) ? dupes : seen).add(p.key);
  if (dupes.size) {
    throw new BadRequestError(
      'INVALID_VALUE',
      `Duplicate parameter keys have been submitted: ${[...dupes].join(', ')}. ` +
        'Please ensure the request contains only one param value per param key.',
    );
  }
}

/**
 * The run with a batch applied: params added (an existing one only with the same value), tags
 * set, each metric's latest point moved forward. Pure, so a refusal happens before any write.
 */
export function applyBatch(run: RunRecord, batch: RunBatch): Partial<RunRecord> {
  const params = { ...run.params };
  for (const p of batch.params) {
    const old = own(params, p.key);
    if (old !== undefined && old !== p.value) {
      throw new ParamAlreadyLoggedError(run.runId, p.key, old, p.value);
    }
    setOwn(params, p.key, p.value);
  }
  const tags = { ...run.tags };
  for (const t of batch.tags) setOwn(tags, t.key, t.value);
  const metrics = { ...run.metrics };
  for (const m of batch.metrics) {
    const point = { value: m.value, timestamp: m.timestamp, step: m.step };
    const latest = own(metrics, m.key);
    if (!latest || isLater(point, latest)) setOwn(metrics, m.key, point);
  }
  const runName = batch.tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
  return { params, tags, metrics, ...(runName ? { runName } : {}) };
}

/**
 * Logs a batch: refused whole if any param would change or a metric names a logged model that is
 * not there; otherwise the metric points are appended to the history, then the run's params, tags
 * and latest metrics are written, then the metrics that name a model are merged into it.
 */
export async function logBatch(deps: TrackingDeps, runId: string, batch: RunBatch): Promise<void> {
  checkBatch(batch);
  const run = await getRunRecord(deps, runId);
  if (run.lifecycleStage !== 'active') throw new RunNotActiveError(runId);
  applyBatch(run, batch);
  const forModels = modelPoints(runId, batch.metrics);
  await checkModelPoints(deps, forModels);
  if (batch.metrics.length) {
    const points: MetricPoint[] = batch.metrics.map((m) => ({
      key: m.key,
      value: m.value,
      timestamp: m.timestamp,
      step: m.step,
    }));
    await deps.store.appendMetricPoints(runId, points);
  }
  await updateRun(deps, runId, (current) => applyBatch(current, batch));
  await logModelPoints(deps, forModels);
}
