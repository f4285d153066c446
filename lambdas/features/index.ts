/**
 * The feature store's public surface: the only file of `lambdas/features/` other capabilities
 * import (serving's enrichment, the retraining pipeline's view rules and data-volume check, the
 * privacy capability's erasure, batch predictions' enrichment from the offline store).
 */
export { DynamoDbFeatureViewStore } from './adapters/dynamodb-feature-view-store';
export { S3OfflineStore } from './adapters/s3-offline-store';
export { type FeatureStores, storesFromEnv as featureStoresFromEnv } from './deps';
export { checkEnrichmentColumns, type EnrichmentDeps, enrichFromOfflineStore } from './domain/enrich';
export {
  eraseFromFeatureStore,
  type FeatureErasureDeps,
  type FeatureErasureResult,
  planFeatureErasure,
} from './domain/erasure';
export { getOnlineFeatures } from './domain/lookup';
export { type OnlineLookupStores, onlineLookupFromEnv } from './lookup-from-env';
