/**
 * The scheduled materialization Lambda: an EventBridge schedule per declared view invokes it with
 * `{ "featureView": "<name>" }`. It copies the offline files written since the view's watermark
 * to the online store (idempotent: newer-wins writes), moves the watermark, and reports the
 * view's freshness (age of its newest offline row) as a CloudWatch metric in Embedded Metric
 * Format, which the view's freshness alarm watches (locally, the CloudWatch stand-in gets it too).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { FRESHNESS_METRIC, type MaterializationResult } from '../../contracts/features';
import { type EmfDocument, emitEmf } from '../shared/emf';
import { type FeatureStores, storesFromEnv } from './deps';
import { freshnessSeconds, materializeIncremental } from './domain/ingest';

export interface MaterializeEvent {
  readonly featureView: string;
}

/** The EMF document for one freshness reading. */
export function freshnessEmf(featureView: string, seconds: number, atMs: number): EmfDocument {
  return {
    _aws: {
      Timestamp: atMs,
      CloudWatchMetrics: [
        {
          Namespace: FRESHNESS_METRIC.namespace,
          Dimensions: [['FeatureView']],
          Metrics: [{ Name: FRESHNESS_METRIC.name, Unit: 'Seconds' }],
        },
      ],
    },
    FeatureView: featureView,
    [FRESHNESS_METRIC.name]: seconds,
  };
}

/** Materializes one view incrementally and emits its freshness; the work behind the handler. */
export async function materializeView(
  stores: FeatureStores,
  event: MaterializeEvent,
  emit: (doc: EmfDocument) => Promise<void> = (doc) => emitEmf(doc),
): Promise<MaterializationResult & { freshnessSeconds?: number }> {
  const result = await materializeIncremental(stores, event.featureView);
  const nowMs = stores.now().getTime();
  const age = freshnessSeconds(await stores.offline.listFiles(event.featureView), nowMs);
  // No rows yet: nothing is emitted, and the alarm treats missing data as breaching.
  if (age !== undefined) await emit(freshnessEmf(event.featureView, age, nowMs));
  return { ...result, ...(age === undefined ? {} : { freshnessSeconds: age }) };
}

let stores: FeatureStores | undefined;

/** The Lambda entry point (also what local mode's rule runner calls). */
export const handler = (event: MaterializeEvent) => {
  stores ??= storesFromEnv();
  return materializeView(stores, event);
};
