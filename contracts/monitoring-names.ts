/**
 * Monitoring's S3 layout, metric names, profile tag and row limits. Schema-free, so the functions
 * that only find a profile or a report (the retraining pipeline, batch predictions, erasures)
 * build none of monitoring's request or config schemas; `monitoring.ts` re-exports them.
 */
import { DATA_CAPTURE_PREFIX } from './serving';

/** Everything monitoring writes lives under this prefix of the platform bucket. */
export const MONITORING_PREFIX = 'monitoring/';
/** Default prefix of SageMaker data capture (the serving capability's): `<prefix><endpoint>/<variant>/yyyy/mm/dd/hh/*.jsonl`. */
export const DEFAULT_CAPTURE_PREFIX = DATA_CAPTURE_PREFIX;
/** The prefixes no other one contains, so no object under them is listed (or rewritten) twice. */
export function outermostPrefixes(prefixes: readonly string[]): string[] {
  const unique = [...new Set(prefixes)].sort();
  return unique.filter((p) => !unique.some((q) => q !== p && p.startsWith(q)));
}
/** The registry version tag holding the `s3://` URI of the version's reference profile. */
export const REFERENCE_PROFILE_TAG = 'mlops:referenceProfile';
/** CloudWatch namespace of every monitoring metric. */
export const MONITORING_METRICS_NAMESPACE = 'CdkMlops/Monitoring';

/** Metric names; dimensions are `ModelName` (and `FeatureName` for per-feature ones). */
export const MonitoringMetric = {
  /** Per feature: the test statistic (KS D, chi-square, PSI, JS, normalised Wasserstein). */
  DRIFT_STATISTIC: 'DriftStatistic',
  /** Per feature: the p-value or distance compared with the threshold. */
  DRIFT_SCORE: 'DriftScore',
  /** Per feature: 1 when drifted, else 0. */
  FEATURE_DRIFTED: 'FeatureDrifted',
  /** Per model: drifted features / features. */
  DRIFT_SHARE: 'DriftShare',
  /** Per model: 1 when the dataset verdict is drift. */
  DATASET_DRIFTED: 'DatasetDrifted',
  /** Per model and `Metric` dimension: the windowed quality metric (accuracy, rmse...). */
  QUALITY: 'ModelQuality',
  /** Per model: relative drop of the baseline metric (positive = worse). */
  QUALITY_DROP: 'QualityRelativeDrop',
} as const;

/** S3 keys of monitoring objects. Model names are URL-safe (see `ModelName`). */
export const monitoringKeys = {
  profile: (model: string, version: number) =>
    `${MONITORING_PREFIX}profiles/${model}/${version}/profile.json`,
  report: (model: string, reportId: string, ext: 'json' | 'html') =>
    `${MONITORING_PREFIX}reports/${model}/${reportId}.${ext}`,
  manifest: (runId: string) => `${MONITORING_PREFIX}runs/${runId}/manifest.json`,
  shardPrefix: (runId: string) => `${MONITORING_PREFIX}runs/${runId}/shards/`,
  shard: (runId: string, index: number) =>
    `${MONITORING_PREFIX}runs/${runId}/shards/${String(index).padStart(8, '0')}.json`,
} as const;

/** Rows a request may carry inline; larger data goes through S3. */
export const MAX_INLINE_ROWS = 10_000;
/** Rows a reference profile may be built from (its sorted samples travel as one S3 object). */
export const MAX_PROFILE_ROWS = 1_000_000;
