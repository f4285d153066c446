/**
 * Wires the serving ports to their adapters from env, once per container. The SageMaker clients
 * take their endpoints from env (unset on AWS), so local mode changes only env.
 */
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ENV } from '../../contracts/env';
import { onlineLookupFromEnv } from '../features';
import { registryReaderFromEnv } from '../registry';
import { withTimeouts } from '../shared/clients';
import { OnlineStoreFeatureReader } from './adapters/online-feature-reader';
import { RegistryModelFeatures } from './adapters/registry-model-features';
import { SageMakerEndpointInvoker } from './adapters/sagemaker-endpoint-invoker';
import type { ServingDeps } from './domain/ports';

const endpoint = (name: string) => process.env[name] || undefined;

export function defaultDeps(): ServingDeps {
  const lookup = onlineLookupFromEnv();
  return {
    endpoints: new SageMakerEndpointInvoker({
      // InvokeEndpoint is not idempotent for data capture and metrics: retry only throttling.
      runtime: new SageMakerRuntimeClient({
        ...withTimeouts('invoke'),
        endpoint: endpoint(ENV.sageMakerRuntimeEndpoint),
        maxAttempts: 2,
      }),
      control: new SageMakerClient({ ...withTimeouts(), endpoint: endpoint(ENV.sageMakerEndpoint) }),
    }),
    // Enrichment only where the feature store is deployed with this function's access.
    ...(lookup ? { features: new OnlineStoreFeatureReader(lookup) } : {}),
    ...(process.env[ENV.registryTable]
      ? { modelFeatures: new RegistryModelFeatures(registryReaderFromEnv()) }
      : {}),
  };
}
