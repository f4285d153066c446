/**
 * Wires the serving ports to their adapters from env, once per container. The SageMaker Runtime
 * client takes its endpoint from env (unset on AWS), so local mode changes only env. No SageMaker
 * control-plane client: the traffic split comes from the deployments table.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { ENV } from '../../contracts/env';
import { exposureLogFromEnv } from '../experiments';
import { onlineLookupFromEnv } from '../features';
import { registryReaderFromEnv } from '../registry';
import { DynamoDbCaptureKey } from '../shared/capture-key';
import { documentClient, requiredEnv, withTimeouts } from '../shared/clients';
import { logger } from '../shared/logger';
import { traced } from '../shared/tracing';
import { DynamoDbEndpointRouting } from './adapters/dynamodb-endpoint-routing';
import { OnlineStoreFeatureReader } from './adapters/online-feature-reader';
import { RegistryModelFeatures } from './adapters/registry-model-features';
import { SageMakerEndpointInvoker } from './adapters/sagemaker-endpoint-invoker';
import type { ModelCatalog } from './domain/discovery';
import type { ExposureRecorder, ServingDeps } from './domain/ports';

const endpoint = (name: string) => process.env[name] || undefined;

export function defaultDeps(): ServingDeps {
  const lookup = onlineLookupFromEnv();
  return {
    endpoints: new SageMakerEndpointInvoker({
      // InvokeEndpoint is not idempotent for data capture and metrics: retry only throttling.
      runtime: traced(
        new SageMakerRuntimeClient({
          ...withTimeouts('invoke'),
          endpoint: endpoint(ENV.sageMakerRuntimeEndpoint),
          maxAttempts: 2,
        }),
      ),
    }),
    routing: new DynamoDbEndpointRouting({
      envName: requiredEnv(ENV.envName),
      ...(process.env[ENV.deploymentsTable]
        ? { client: documentClient(), deploymentsTable: process.env[ENV.deploymentsTable] }
        : {}),
    }),
    // Enrichment only where the feature store is deployed with this function's access.
    ...(lookup ? { features: new OnlineStoreFeatureReader(lookup) } : {}),
    // Enriched predictions hash their entity keys onto the request (the key in the views' table).
    ...(lookup && process.env[ENV.featureRegistryTable]
      ? {
          captureKey: new DynamoDbCaptureKey({
            client: documentClient(),
            table: requiredEnv(ENV.featureRegistryTable),
          }),
        }
      : {}),
    ...(process.env[ENV.registryTable]
      ? { modelFeatures: new RegistryModelFeatures(registryReaderFromEnv()) }
      : {}),
    // Exposures where the stack gives the experiments table, for ground truth to feed experiments.
    ...exposureRecorder(),
    // Discovery where the stack configures endpoints and gives the registry and artifacts.
    ...(process.env[ENV.deploymentTargetsPath] && process.env[ENV.registryTable]
      ? { catalog: lazyCatalog() }
      : {}),
  };
}

/** The experiments' exposure log; a failed write is logged, the prediction answered all the same. */
function exposureRecorder(): { exposures?: ExposureRecorder } {
  const log = exposureLogFromEnv();
  if (!log) return {};
  return {
    exposures: {
      record: (modelName, inferenceId, exposure) =>
        log.record(modelName, inferenceId, exposure).catch((err: unknown) => {
          logger.warn('exposure not recorded: its ground truth will feed no experiment', {
            modelName,
            experiment: exposure.experiment,
            error: err instanceof Error ? err.message : String(err),
          });
          return undefined;
        }),
    },
  };
}

/**
 * The catalog, loaded on the first discovery request: a function serving predictions should not
 * load S3, SSM and the ONNX reader at cold start for routes it may never be asked.
 */
function lazyCatalog(): ModelCatalog {
  let loaded: ModelCatalog | undefined;
  const catalog = async () => {
    // A chunk of its own in the bundle, read and compiled on this call only.
    loaded ??= (await import('./catalog-from-env')).catalogFromEnv();
    return loaded;
  };
  return {
    endpointOf: async (modelName) => (await catalog()).endpointOf(modelName),
    championVersion: async (modelName) => (await catalog()).championVersion(modelName),
    signature: async (modelName, version) => (await catalog()).signature(modelName, version),
  };
}
