/**
 * Ground truth as an experiment metric: a label sent to monitoring for a prediction served inside
 * a running experiment becomes an outcome of that prediction's unit, on the arm that served it, for
 * each of the experiment's ground-truth metrics. The outcome's event id is derived from the
 * inference id and the metric, so a label sent again (a replay, or a corrected label) counts once:
 * aggregates only add, the first label stands. A label for a prediction outside any experiment, or
 * of an experiment no longer running, adds nothing.
 */
import type {
  Experiment,
  ExperimentExposure,
  MetricGroundTruth,
  MetricKind,
} from '../../../contracts/experiments';
import { metricSpecs } from './experiments';
import type { ArmOutcome, ExperimentStore, ExposureLog, GroundTruthLabel, IngestResult } from './ports';

/** What ground-truth ingestion needs. */
export interface GroundTruthDeps {
  readonly store: Pick<ExperimentStore, 'get' | 'ingest'>;
  readonly exposures: Pick<ExposureLog, 'find'>;
}

/**
 * The outcome event id of a label for one metric. `/` is outside the event ids callers post
 * (`Outcome.eventId`), so the two never meet.
 */
export const groundTruthEventId = (inferenceId: string, metric: string): string =>
  `groundTruth/${inferenceId}/${metric}`;

const numeric = (v: number | string): number | undefined => {
  const n = typeof v === 'number' ? v : v.trim() === '' ? Number.NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** The class a prediction names, as text, read as quality reports read predictions. */
function predictedClass(
  prediction: ExperimentExposure['prediction'],
  threshold: number | undefined,
): string | undefined {
  if (prediction === undefined) return undefined;
  if (Array.isArray(prediction)) {
    if (prediction.length === 0) return undefined;
    if (threshold !== undefined) return prediction[prediction.length - 1] >= threshold ? '1' : '0';
    return String(prediction.reduce((best, x, i, v) => (x > v[best] ? i : best), 0));
  }
  if (threshold !== undefined && typeof prediction === 'number') return prediction >= threshold ? '1' : '0';
  return String(prediction);
}

/** A label's value for a metric, or `undefined` when the label and prediction give none. */
export function groundTruthValue(
  kind: MetricKind,
  spec: MetricGroundTruth,
  label: number | string,
  prediction: ExperimentExposure['prediction'],
): number | undefined {
  if (spec.value === 'correct') {
    const predicted = predictedClass(prediction, spec.decisionThreshold);
    if (predicted === undefined) return undefined;
    // 1 and "1.0" name one class; text labels compare as text.
    const y = numeric(label);
    const p = numeric(predicted);
    return (y !== undefined && p !== undefined ? y === p : String(label) === predicted) ? 1 : 0;
  }
  if (spec.value === 'absoluteError') {
    const y = numeric(label);
    const p = typeof prediction === 'number' ? prediction : undefined;
    return y === undefined || p === undefined ? undefined : Math.abs(y - p);
  }
  const y = numeric(label);
  if (y === undefined) return undefined;
  return kind === 'proportion' && y !== 0 && y !== 1 ? undefined : y;
}

/** The experiment's ground-truth metrics, with the shift their values are stored with. */
function groundTruthMetrics(e: Experiment) {
  const shifts = new Map(metricSpecs(e).map((m) => [m.name, m.shift]));
  return [e.primaryMetric, ...e.secondaryMetrics, ...e.guardrailMetrics].flatMap((m) =>
    m.groundTruth
      ? [{ name: m.name, kind: m.kind, spec: m.groundTruth, shift: shifts.get(m.name) ?? 0 }]
      : [],
  );
}

/**
 * Adds the labels of a model's predictions that were served inside a running experiment to that
 * experiment's ground-truth metrics, once per (inference id, metric).
 */
export async function ingestGroundTruth(
  deps: GroundTruthDeps,
  modelName: string,
  labels: readonly GroundTruthLabel[],
): Promise<IngestResult> {
  // The last label of an inference id in a batch is the one monitoring keeps.
  const latest = new Map(labels.map((l) => [l.inferenceId, l.label]));
  const exposures = await deps.exposures.find(modelName, [...latest.keys()]);
  const byExperiment = new Map<string, Array<[string, ExperimentExposure]>>();
  for (const [id, exposure] of exposures) {
    const list = byExperiment.get(exposure.experiment) ?? [];
    list.push([id, exposure]);
    byExperiment.set(exposure.experiment, list);
  }
  let accepted = 0;
  let duplicates = 0;
  let erased = 0;
  for (const [name, list] of byExperiment) {
    const e = await deps.store.get(name);
    if (e?.status !== 'RUNNING' || e.modelName !== modelName) continue;
    const metrics = groundTruthMetrics(e);
    const arms = new Set(e.arms.map((a) => a.name));
    const outcomes: ArmOutcome[] = [];
    for (const [id, exposure] of list) {
      if (!arms.has(exposure.arm)) continue;
      for (const m of metrics) {
        const value = groundTruthValue(m.kind, m.spec, latest.get(id)!, exposure.prediction);
        if (value === undefined || !Number.isFinite(value) || Math.abs(value) > 1e12) continue;
        outcomes.push({
          eventId: groundTruthEventId(id, m.name),
          unit: exposure.unit,
          arm: exposure.arm,
          metric: m.name,
          shifted: value - m.shift,
        });
      }
    }
    if (outcomes.length === 0) continue;
    const r = await deps.store.ingest(name, outcomes);
    accepted += r.accepted;
    duplicates += r.duplicates;
    erased += r.erased;
  }
  return { accepted, duplicates, erased };
}
