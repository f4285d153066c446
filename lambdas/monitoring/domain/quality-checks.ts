/**
 * Model quality over captured traffic: ground-truth labels are posted by inference id; a quality
 * report reads the capture of a time window, joins each record's prediction with its label by
 * `eventMetadata.inferenceId`, computes the metrics and compares them with the version's
 * registered baseline. A drop past `maxRelativeDrop` puts a QualityDegraded event on the bus.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-model-quality-merge.html
 */
import { MonitoringEvent } from '../../../contracts/events';
import type { GroundTruthRequest, QualityReportRequest } from '../../../contracts/monitoring';
import { MonitoringMetric, monitoringKeys } from '../../../contracts/monitoring-names';
import type { GroundTruthReply, QualityReport } from '../../../contracts/monitoring-reports';
import { answerOnCommit } from '../../shared/effect-scope';
import { BadRequestError, ModelNotFoundError, VersionNotFoundError } from '../../shared/errors';
import { hourPrefixes, type Prediction, parseCaptureFile } from './capture';
import type { MetricDatum, MonitoringDeps } from './ports';
import { reportEvent } from './report-events';

export type { QualityReport };

import {
  compareWithBaseline,
  defaultBaselineMetric,
  type LabelledPrediction,
  qualityMetrics,
} from './quality';

/** Hours one quality report may span (each hour is one capture prefix to list). */
export const MAX_QUALITY_WINDOW_HOURS = 24 * 31;

/**
 * Stores labels (a later label for the same inference id replaces the earlier one) for a model
 * the registry knows; labels for any other name would be kept for nothing. Labels of predictions
 * served inside a running experiment also feed its ground-truth metrics, before the labels are
 * stored: a keyed request's answer commits with the labels, so a retry after a crash in between
 * feeds again, and the experiment counts each (inference id, metric) once.
 * @throws ModelNotFoundError
 */
export async function postGroundTruth(
  deps: MonitoringDeps,
  modelName: string,
  req: GroundTruthRequest,
): Promise<GroundTruthReply> {
  if ((await deps.registry.getModel(modelName)) === undefined) throw new ModelNotFoundError(modelName);
  const fed = deps.experiments ? await deps.experiments.ingest(modelName, req.labels) : undefined;
  const reply: GroundTruthReply = {
    modelName,
    accepted: req.labels.length,
    ...(fed ? { experimentOutcomes: fed.accepted } : {}),
  };
  answerOnCommit(reply);
  await deps.store.putLabels(modelName, req.labels, deps.now().toISOString());
  return reply;
}

/** The registry names AUC `auc` (the reference trainer) or `roc_auc` (sklearn); both mean ROC AUC. */
const metricAlias = (m: string) => (m === 'auc' ? 'roc_auc' : m);

/** Computes, stores and publishes a quality report. */
export async function qualityReport(
  deps: MonitoringDeps,
  modelName: string,
  req: QualityReportRequest,
): Promise<QualityReport> {
  const from = new Date(req.from);
  const to = new Date(req.to);
  if (!(from < to)) throw new BadRequestError('INVALID_WINDOW', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_QUALITY_WINDOW_HOURS * 3_600_000) {
    throw new BadRequestError('INVALID_WINDOW', `a window spans at most ${MAX_QUALITY_WINDOW_HOURS} hours`);
  }
  const version = await deps.registry.getVersion(modelName, req.modelVersion);
  if (!version) throw new VersionNotFoundError(modelName, req.modelVersion);

  const predictions = new Map<string, Prediction>();
  let files = 0;
  let records = 0;
  for (const hour of hourPrefixes(from, to)) {
    const prefix = `${deps.capturePrefix}${req.endpointName}/${req.variant}/${hour}`;
    for (const entry of await deps.objects.list(prefix)) {
      const bytes = await deps.objects.getBytes(entry.key);
      if (!bytes) continue;
      files++;
      for (const record of parseCaptureFile(Buffer.from(bytes).toString('utf8'), []).records) {
        const t = record.inferenceTime ? Date.parse(record.inferenceTime) : Number.NaN;
        if (
          !record.inferenceId ||
          record.predictions.length !== 1 ||
          !(t >= from.getTime() && t < to.getTime())
        )
          continue;
        records++;
        predictions.set(record.inferenceId, record.predictions[0]);
      }
    }
  }
  const labels = await deps.store.getLabels(modelName, [...predictions.keys()]);
  const pairs: LabelledPrediction[] = [];
  for (const [id, prediction] of predictions) {
    const label = labels.get(id);
    if (label !== undefined) pairs.push({ label, prediction });
  }
  const metrics = qualityMetrics(pairs, req.quality);
  const metric = metricAlias(req.quality.baselineMetric ?? defaultBaselineMetric(req.quality.problemType));
  const baseline = version.metrics[req.quality.baselineMetric ?? metric] ?? version.metrics[metric];
  const comparison = compareWithBaseline(metrics, metric, baseline, req.quality.maxRelativeDrop);
  const reportId = deps.newId();
  const key = monitoringKeys.report(modelName, reportId, 'json');
  const report: QualityReport = {
    reportId,
    kind: 'quality',
    modelName,
    modelVersion: req.modelVersion,
    createdAt: deps.now().toISOString(),
    window: { from: req.from, to: req.to, files, records },
    joined: pairs.length,
    metrics,
    comparison,
    location: { json: `s3://${deps.objects.bucket}/${key}` },
  };
  await deps.objects.putText(key, JSON.stringify(report), 'application/json');
  answerOnCommit(report);
  await deps.store.putReport(
    {
      reportId,
      modelName,
      kind: 'quality',
      createdAt: report.createdAt,
      degraded: comparison.degraded,
      location: report.location!,
    },
    comparison.degraded
      ? reportEvent(MonitoringEvent.QUALITY_DEGRADED, report, {
          reportId,
          metric,
          current: comparison.current,
          baseline: comparison.baseline,
          relativeDrop: comparison.relativeDrop,
          maxRelativeDrop: comparison.maxRelativeDrop,
          report: report.location,
        })
      : undefined,
  );
  await deps.metrics.publish(qualityMetricData(report), new Date(report.createdAt));
  return report;
}

function qualityMetricData(report: QualityReport): MetricDatum[] {
  const data: MetricDatum[] = [];
  for (const [name, value] of Object.entries(report.metrics)) {
    if (name !== 'count' && Number.isFinite(value)) {
      data.push({
        name: MonitoringMetric.QUALITY,
        value,
        dimensions: { ModelName: report.modelName, Metric: name },
      });
    }
  }
  const drop = report.comparison.relativeDrop;
  if (drop !== undefined && Number.isFinite(drop)) {
    data.push({
      name: MonitoringMetric.QUALITY_DROP,
      value: drop,
      dimensions: { ModelName: report.modelName },
    });
  }
  return data;
}
