/**
 * The online lookup's stores from env, for a capability that reads features in process (serving's
 * enrichment): the feature view table and the online table, or none where the feature store is
 * not deployed with this function's access.
 */
import { ENV } from '../../contracts/env';
import { documentClient } from '../shared/clients';
import { DynamoDbFeatureViewStore } from './adapters/dynamodb-feature-view-store';
import { DynamoDbOnlineStore } from './adapters/dynamodb-online-store';
import type { FeatureStoreDeps } from './domain/ports';

/** What `getOnlineFeatures` reads. */
export type OnlineLookupStores = Pick<FeatureStoreDeps, 'views' | 'online' | 'now'>;

/**
 * The stores of `getOnlineFeatures` when `ONLINE_STORE_TABLE` and `FEATURE_REGISTRY_TABLE` are
 * set; `undefined` otherwise.
 */
export function onlineLookupFromEnv(): OnlineLookupStores | undefined {
  const onlineTable = process.env[ENV.onlineStoreTable];
  const viewsTable = process.env[ENV.featureRegistryTable];
  if (!onlineTable || !viewsTable) return undefined;
  return {
    views: new DynamoDbFeatureViewStore({
      client: documentClient(),
      table: viewsTable,
      // Writes are the only use of the audit table; the lookup makes none.
      auditTable: process.env[ENV.auditTable] ?? '',
    }),
    online: new DynamoDbOnlineStore({ client: documentClient(), table: onlineTable }),
    now: () => new Date(),
  };
}
