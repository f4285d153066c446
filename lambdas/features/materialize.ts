/**
 * The scheduled materialization Lambda: an EventBridge schedule per declared view invokes it with
 * `{ "featureView": "<name>" }`. It copies the offline files written since the view's watermark
 * to the online store (idempotent: newer-wins writes), moves the watermark, and reports the
 * view's freshness (age of its newest offline row, `freshness-metric.ts`), which the view's
 * freshness alarm watches.
 */
import type { MaterializationResult } from '../../contracts/features';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { type FeatureStores, storesFromEnv } from './deps';
import { materializeIncremental } from './domain/ingest';
import { reportFreshness } from './freshness-metric';

export { freshnessMetrics } from './freshness-metric';

export interface MaterializeEvent {
  readonly featureView: string;
}

/** Materializes one view incrementally and emits its freshness; the work behind the handler. */
export async function materializeView(
  stores: FeatureStores,
  event: MaterializeEvent,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
): Promise<MaterializationResult & { freshnessSeconds?: number }> {
  const result = await materializeIncremental(stores, event.featureView);
  const age = await reportFreshness(stores, event.featureView, emit);
  return { ...result, ...(age === undefined ? {} : { freshnessSeconds: age }) };
}

let stores: FeatureStores | undefined;

/** The Lambda entry point (also what local mode's rule runner calls). */
export const handler = (event: MaterializeEvent) => {
  stores ??= storesFromEnv();
  return materializeView(stores, event);
};
