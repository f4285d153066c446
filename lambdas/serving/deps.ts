/**
 * Wires the serving ports to their adapters from env, once per container. The SageMaker clients
 * take their endpoints from env (unset on AWS), so local mode changes only env.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ENV } from '../../contracts/env';
import { DynamoDbFeatureViewStore } from '../features/adapters/dynamodb-feature-view-store';
import { DynamoDbOnlineStore } from '../features/adapters/dynamodb-online-store';
import { documentClient } from '../shared/clients';
import { OnlineStoreFeatureReader } from './adapters/online-feature-reader';
import { RegistryModelFeatures } from './adapters/registry-model-features';
import { SageMakerEndpointInvoker } from './adapters/sagemaker-endpoint-invoker';
import type { ServingDeps } from './domain/ports';

const endpoint = (name: string) => process.env[name] || undefined;

export function defaultDeps(): ServingDeps {
  const onlineTable = process.env[ENV.onlineStoreTable];
  const featureRegistryTable = process.env[ENV.featureRegistryTable];
  return {
    endpoints: new SageMakerEndpointInvoker({
      // InvokeEndpoint is not idempotent for data capture and metrics: retry only throttling.
      runtime: new SageMakerRuntimeClient({
        endpoint: endpoint(ENV.sageMakerRuntimeEndpoint),
        maxAttempts: 2,
      }),
      control: new SageMakerClient({ endpoint: endpoint(ENV.sageMakerEndpoint) }),
    }),
    // Enrichment only where the feature store is deployed with this function's access.
    ...(onlineTable && featureRegistryTable
      ? {
          features: new OnlineStoreFeatureReader({
            views: new DynamoDbFeatureViewStore({
              client: documentClient(),
              table: featureRegistryTable,
              auditTable: process.env[ENV.auditTable] ?? '',
            }),
            online: new DynamoDbOnlineStore({ client: documentClient(), table: onlineTable }),
            now: () => new Date(),
          }),
        }
      : {}),
    ...(process.env[ENV.registryTable]
      ? { modelFeatures: new RegistryModelFeatures(documentClient(), process.env[ENV.registryTable]!) }
      : {}),
  };
}
