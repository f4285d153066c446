/**
 * Wires the data-volume check's ports from env, once per container: the pipeline table, the
 * feature store's offline manifest (read through the feature store's own S3 adapter, so the key
 * layout has one reader) and the platform bus. Kept apart from `deps.ts` so the check's bundle
 * carries none of the registry or Step Functions code.
 */
import { ENV } from '../../contracts/env';
import { PIPELINE_EVENT_SOURCE } from '../../contracts/events';
import { documentClient, eventBridgeClient, requiredEnv } from '../shared/clients';
import { EventBridgePublisher } from '../shared/eventbridge-publisher';
import { DynamoDbDataVolumeChecks } from './adapters/dynamodb-data-volume-checks';
import { retrainingConfigs } from './configs-from-env';
import type { DataVolumeCheckDeps } from './domain/data-volume-check';

export function dataVolumeCheckDeps(): DataVolumeCheckDeps {
  const bucket = requiredEnv(ENV.featureOfflineBucket);
  return {
    configs: retrainingConfigs(),
    checks: new DynamoDbDataVolumeChecks({
      client: documentClient(),
      pipelineTable: requiredEnv(ENV.pipelineTable),
    }),
    // The offline store (S3, Parquet) is imported by the first listing.
    offline: {
      listFiles: async (featureView) =>
        (await (await import('../features')).offlineStoreOf(bucket)).listFiles(featureView),
    },
    events: new EventBridgePublisher(
      eventBridgeClient(),
      requiredEnv(ENV.eventBusName),
      PIPELINE_EVENT_SOURCE,
    ),
    now: () => new Date(),
  };
}
