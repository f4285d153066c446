/**
 * A view's freshness as a CloudWatch metric: the age in seconds of its newest offline row
 * (`FeatureFreshnessSeconds`, dimension `FeatureView`), which its freshness alarm and the model
 * dashboards' freshness graph read. Every materialization reports it, the scheduled one and an
 * on-demand backfill alike, as an Embedded Metric Format line (locally, the CloudWatch stand-in
 * gets it too).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { FRESHNESS_METRIC } from '../../contracts/features';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { freshnessSeconds } from './domain/ingest';
import type { FeatureStoreDeps } from './domain/ports';

/** The metrics document of one freshness reading. */
export function freshnessMetrics(featureView: string, seconds: number, atMs: number): MetricsDocument {
  return {
    namespace: FRESHNESS_METRIC.namespace,
    dimensions: { FeatureView: featureView },
    metrics: [{ name: FRESHNESS_METRIC.name, unit: 'Seconds', value: seconds }],
    timestamp: atMs,
  };
}

/**
 * Reads the view's freshness and emits it; nothing for a view without rows (its alarm treats
 * missing data as breaching). Resolves to the age in seconds, if any.
 */
export async function reportFreshness(
  stores: Pick<FeatureStoreDeps, 'offline' | 'now'>,
  featureView: string,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
): Promise<number | undefined> {
  const nowMs = stores.now().getTime();
  const age = freshnessSeconds(await stores.offline.listFiles(featureView), nowMs);
  if (age !== undefined) await emit(freshnessMetrics(featureView, age, nowMs));
  return age;
}
