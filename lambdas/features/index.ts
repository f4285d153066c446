/**
 * The feature store's public surface: the only file of `lambdas/features/` other capabilities
 * import (serving's enrichment, the retraining pipeline's view rules and data-volume check, the
 * privacy capability's erasure, batch predictions' enrichment from the offline store).
 */
import type { S3OfflineStore } from './adapters/s3-offline-store';
import type { OfflineEngineConfig } from './engine-on-demand';
import type { EntityListJoin } from './entity-list-join';

export { DynamoDbFeatureViewStore } from './adapters/dynamodb-feature-view-store';
export type { StagedEntityTable } from './adapters/entity-list-table';
export type { S3OfflineStore } from './adapters/s3-offline-store';
export { type FeatureStores, storesFromEnv as featureStoresFromEnv } from './deps';
export { checkEnrichmentColumns, type EnrichmentDeps } from './domain/enrich';
export {
  applyFeatureErasureBatch,
  type FeatureErasureBatch,
  type FeatureErasureDeps,
  type FeatureErasureLimits,
  type FeatureErasureResult,
  planFeatureErasureBatch,
} from './domain/erasure';
export { getOnlineFeatures } from './domain/lookup';
export type { OfflineEngineConfig } from './engine-on-demand';
export type { EntityListJoin } from './entity-list-join';
export { type OnlineLookupStores, onlineLookupFromEnv } from './lookup-from-env';

/**
 * The offline store in `bucket`, its code (the S3 client, Parquet) imported on this call. Exported
 * as a class, it would be in the cold start of every function that imports this file: a bundle
 * splits by file, and this file would reach the store's.
 */
export async function offlineStoreOf(bucket: string): Promise<S3OfflineStore> {
  const [{ S3OfflineStore }, { s3Client }] = await Promise.all([
    import('./adapters/s3-offline-store'),
    import('../shared/s3-client'),
  ]);
  return new S3OfflineStore({ client: s3Client(), bucket });
}

/**
 * Enrichment of an entity list on the offline engine `config` names, over `bucket` (see
 * `entity-list-join.ts`), its code (Parquet writing, Athena's client or DuckDB) imported on this
 * call. The caller says which engine: only the functions that join read the engine's settings.
 */
export async function entityListJoinOf(bucket: string, config: OfflineEngineConfig): Promise<EntityListJoin> {
  return (await import('./entity-list-join')).entityListJoin(bucket, config);
}
