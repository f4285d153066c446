/**
 * The scheduled materialization Lambda: an EventBridge schedule per declared view invokes it with
 * `{ "featureView": "<name>" }`. It copies the offline files written since the view's watermark
 * to the online store (idempotent: newer-wins writes), moves the watermark, and reports the
 * view's freshness (age of its newest offline row) as a CloudWatch metric in Embedded Metric
 * Format, which the view's freshness alarm watches (locally, the CloudWatch stand-in gets it too).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { FRESHNESS_METRIC, type MaterializationResult } from '../../contracts/features';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { type FeatureStores, storesFromEnv } from './deps';
import { freshnessSeconds, materializeIncremental } from './domain/ingest';

export interface MaterializeEvent {
  readonly featureView: string;
}

/** The metrics document of one freshness reading. */
export function freshnessMetrics(featureView: string, seconds: number, atMs: number): MetricsDocument {
  return {
    namespace: FRESHNESS_METRIC.namespace,
    dimensions: { FeatureView: featureView },
    metrics: [{ name: FRESHNESS_METRIC.name, unit: 'Seconds', value: seconds }],
    timestamp: atMs,
  };
}

/** Materializes one view incrementally and emits its freshness; the work behind the handler. */
export async function materializeView(
  stores: FeatureStores,
  event: MaterializeEvent,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
): Promise<MaterializationResult & { freshnessSeconds?: number }> {
  const result = await materializeIncremental(stores, event.featureView);
  const nowMs = stores.now().getTime();
  const age = freshnessSeconds(await stores.offline.listFiles(event.featureView), nowMs);
  // No rows yet: nothing is emitted, and the alarm treats missing data as breaching.
  if (age !== undefined) await emit(freshnessMetrics(event.featureView, age, nowMs));
  return { ...result, ...(age === undefined ? {} : { freshnessSeconds: age }) };
}

let stores: FeatureStores | undefined;

/** The Lambda entry point (also what local mode's rule runner calls). */
export const handler = (event: MaterializeEvent) => {
  stores ??= storesFromEnv();
  return materializeView(stores, event);
};
