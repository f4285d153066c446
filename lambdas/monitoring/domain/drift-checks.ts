/**
 * Drift checks that end in a stored report: the on-demand route, and the last step of every
 * scheduled check. Publishing a report writes the JSON and its HTML page to S3, indexes it per
 * model, puts its CloudWatch metrics and, when the dataset verdict is drift, a DriftDetected event
 * carrying the report's location.
 */
import { MonitoringEvent } from '../../../contracts/events';
import type { DriftCheckRequest } from '../../../contracts/monitoring';
import { MonitoringMetric, monitoringKeys } from '../../../contracts/monitoring-names';
import { answerOnCommit } from '../../shared/effect-scope';
import { emptyCurrent, mergeCurrent, summarizeCurrent } from './current-summary';
import { loadRows } from './data-sources';
import { computeDriftReport, type DriftReport } from './drift-report';
import { renderDriftReportHtml } from './html-report';
import type { MetricDatum, MonitoringDeps } from './ports';
import { buildProfile } from './profile';
import { loadReferenceProfile } from './profiles';
import { reportEvent } from './report-events';

/** Runs an on-demand check and publishes its report. */
export async function onDemandDrift(deps: MonitoringDeps, req: DriftCheckRequest): Promise<DriftReport> {
  const at = deps.now().toISOString();
  const profile =
    'modelVersion' in req.reference
      ? (await loadReferenceProfile(deps, req.modelName, req.reference.modelVersion)).profile
      : await (async () => {
          const { rows, source } = await loadRows(
            deps.objects,
            req.reference as Exclude<typeof req.reference, { modelVersion: number }>,
            deps.readableBuckets,
          );
          return buildProfile({
            modelName: req.modelName,
            source,
            createdAt: at,
            rows,
            features: req.features,
            exclude: req.exclude,
            overrides: req.overrides,
          });
        })();
  const { rows } = await loadRows(deps.objects, req.current, deps.readableBuckets);
  const current = mergeCurrent(emptyCurrent(profile), summarizeCurrent(rows, profile));
  const report = computeDriftReport(profile, current, {
    reportId: deps.newId(),
    kind: 'on-demand',
    createdAt: at,
    overrides: req.overrides,
    driftShareThreshold: req.driftShareThreshold,
  });
  return publishDriftReport(deps, report, { answers: true });
}

/** Per-feature and per-model metric data of a report; non-finite values are left out (CloudWatch refuses them). */
export function driftMetricData(report: DriftReport): MetricDatum[] {
  const model = { ModelName: report.modelName };
  const data: MetricDatum[] = [];
  const add = (name: string, value: number, dimensions: Record<string, string>) => {
    if (Number.isFinite(value)) data.push({ name, value, dimensions, unit: 'None' });
  };
  for (const f of report.features) {
    const dims = { ...model, FeatureName: f.feature };
    add(MonitoringMetric.DRIFT_STATISTIC, f.statistic, dims);
    add(MonitoringMetric.DRIFT_SCORE, f.score, dims);
    add(MonitoringMetric.FEATURE_DRIFTED, f.drifted ? 1 : 0, dims);
  }
  if (report.dataset) {
    add(MonitoringMetric.DRIFT_SHARE, report.dataset.driftShare, model);
    add(MonitoringMetric.DATASET_DRIFTED, report.dataset.drifted ? 1 : 0, model);
  }
  return data;
}

/** Stores, indexes, measures and (on drift) announces a report; returns it with its location. */
export async function publishDriftReport(
  deps: MonitoringDeps,
  computed: DriftReport,
  options: {
    /** The report is the keyed request's answer (the on-demand route), stored with its index entry. */
    readonly answers?: boolean;
  } = {},
): Promise<DriftReport> {
  const { bucket } = deps.objects;
  const jsonKey = monitoringKeys.report(computed.modelName, computed.reportId, 'json');
  const htmlKey = monitoringKeys.report(computed.modelName, computed.reportId, 'html');
  const location = { json: `s3://${bucket}/${jsonKey}`, html: `s3://${bucket}/${htmlKey}` };
  const report: DriftReport = { ...computed, location };
  await deps.objects.putText(htmlKey, renderDriftReportHtml(report), 'text/html; charset=utf-8');
  await deps.objects.putText(jsonKey, JSON.stringify(report), 'application/json');
  if (options.answers) answerOnCommit(report);
  const drifted = report.dataset?.drifted ? report.dataset : undefined;
  await deps.store.putReport(
    {
      reportId: report.reportId,
      modelName: report.modelName,
      kind: report.kind,
      createdAt: report.createdAt,
      ...(report.dataset ? { drifted: report.dataset.drifted, driftShare: report.dataset.driftShare } : {}),
      location,
    },
    drifted &&
      reportEvent(MonitoringEvent.DRIFT_DETECTED, report, {
        reportId: report.reportId,
        kind: report.kind,
        driftShare: drifted.driftShare,
        driftedFeatures: drifted.driftedFeatures,
        report: location,
      }),
  );
  await deps.metrics.publish(driftMetricData(report), new Date(report.createdAt));
  return report;
}
