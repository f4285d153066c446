/**
 * What the tracking store keeps: an experiment, and a run with its params, tags and latest
 * metrics (the run is the aggregate its writes condition on, by `rev`). The replies MLflow clients
 * read are built from these in `views.ts`.
 */
import type { LifecycleStage, RunStatus } from '../../../contracts/tracking';
import type { LoggedModelStatus } from '../../../contracts/tracking-logged-models';

export interface ExperimentRecord {
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly lifecycleStage: LifecycleStage;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Incremented by every write; each write is conditioned on the value it read. */
  readonly rev: number;
}

/** One logged point of a metric. `value` may be NaN or infinite, as MLflow allows. */
export interface MetricPoint {
  readonly key: string;
  readonly value: number;
  readonly timestamp: number;
  readonly step: number;
}

export interface RunRecord {
  readonly runId: string;
  readonly experimentId: string;
  readonly runName: string;
  readonly userId: string;
  readonly status: RunStatus;
  readonly startTime: number;
  readonly endTime?: number;
  readonly artifactUri: string;
  readonly lifecycleStage: LifecycleStage;
  /** When the run was marked deleted (epoch ms). */
  readonly deletedTime?: number;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** Per key, the point with the greatest (step, timestamp, value): MLflow's "latest" metric. */
  readonly metrics: Readonly<Record<string, Omit<MetricPoint, 'key'>>>;
  /** The logged models the run produced (MLflow 3's `runs/outputs`), each (model, step) once. */
  readonly outputs?: readonly ModelOutput[];
  readonly rev: number;
}

/** A run's link to a logged model it produced, at a step of its training. */
export interface ModelOutput {
  readonly modelId: string;
  readonly step: number;
}

/** An MLflow 3 logged model: the files `log_model` uploads, in its experiment. */
export interface LoggedModelRecord {
  readonly modelId: string;
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly creationTime: number;
  readonly lastUpdateTime: number;
  readonly status: LoggedModelStatus;
  readonly modelType?: string;
  readonly sourceRunId?: string;
  readonly params: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
  /** `deleted` once deleted (kept, as MLflow's stores keep it, but never served); absent is active. */
  readonly lifecycleStage?: LifecycleStage;
  /** The metrics logged to it with `model_id`: the latest point of each (key, dataset, run). */
  readonly metrics?: readonly LoggedModelMetric[];
  readonly rev: number;
}

/**
 * A logged model's metric: the latest point (by timestamp, then step, as MLflow ranks them) of one
 * series, a series being a key measured on one dataset by one run.
 */
export interface LoggedModelMetric extends MetricPoint {
  readonly runId: string;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

/** MLflow's run-name tag, kept equal to `runName` as MLflow's server does. */
export const RUN_NAME_TAG = 'mlflow.runName';
/** MLflow's user tag, read for `user_id` when a client sets it. */
export const USER_TAG = 'mlflow.user';

/** Whether `a` is later than `b` in MLflow's order of a metric's points: step, timestamp, value. */
export function isLater(a: Omit<MetricPoint, 'key'>, b: Omit<MetricPoint, 'key'>): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  // NaN sorts below every number, so a real value replaces it at the same step and time.
  if (Number.isNaN(b.value)) return !Number.isNaN(a.value);
  return a.value > b.value;
}

/**
 * A key's own value in a record of params, tags or metrics. Keys are the client's (`constructor`
 * and `__proto__` are valid MLflow names), so never an inherited property of a plain object.
 */
export const own = <T>(map: Readonly<Record<string, T>>, key: string): T | undefined =>
  Object.hasOwn(map, key) ? map[key] : undefined;

/** Sets `key` as an own property of `map`, whatever the key (`__proto__` included). */
export function setOwn<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}
