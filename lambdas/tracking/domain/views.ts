/** Records as MLflow's REST API shows them (`Experiment`, `Run`, `RunInfo`, `Metric`). */
import type { Experiment, Metric, Run, RunInfo } from '../../../contracts/tracking-responses';
import type { ExperimentRecord, MetricPoint, RunRecord } from './records';

const pairs = (map: Readonly<Record<string, string>>) =>
  Object.entries(map).map(([key, value]) => ({ key, value }));

/** A double in protobuf's JSON mapping: NaN and the infinities as strings. */
export function wireDouble(value: number): Metric['value'] {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

export const experimentView = (e: ExperimentRecord): Experiment => ({
  experiment_id: e.experimentId,
  name: e.name,
  artifact_location: e.artifactLocation,
  lifecycle_stage: e.lifecycleStage,
  creation_time: e.creationTime,
  last_update_time: e.lastUpdateTime,
  tags: pairs(e.tags),
});

export const metricView = (p: MetricPoint): Metric => ({
  key: p.key,
  value: wireDouble(p.value),
  timestamp: p.timestamp,
  step: p.step,
});

export const runInfoView = (r: RunRecord): RunInfo => ({
  run_id: r.runId,
  run_uuid: r.runId,
  run_name: r.runName,
  experiment_id: r.experimentId,
  user_id: r.userId,
  status: r.status,
  start_time: r.startTime,
  ...(r.endTime === undefined ? {} : { end_time: r.endTime }),
  artifact_uri: r.artifactUri,
  lifecycle_stage: r.lifecycleStage,
});

export const runView = (r: RunRecord): Run => ({
  info: runInfoView(r),
  data: {
    metrics: Object.entries(r.metrics).map(([key, m]) => metricView({ key, ...m })),
    params: pairs(r.params),
    tags: pairs(r.tags),
  },
  inputs: {},
  // MLflow 3's RunOutputs; left out while there are none, as protobuf's JSON leaves an unset message.
  ...(r.outputs?.length
    ? { outputs: { model_outputs: r.outputs.map((o) => ({ model_id: o.modelId, step: o.step })) } }
    : {}),
});
