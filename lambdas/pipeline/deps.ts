/** Wires the pipeline's ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { ENV } from '../../contracts/env';
import { deploymentTargets } from '../deployment';
import { DynamoDbFeatureViewStore } from '../features';
import { registryServiceFromEnv } from '../registry';
import { documentClient, requiredEnv, withTimeouts } from '../shared/clients';
import { lazyPort } from '../shared/lazy-port';
import { traced } from '../shared/tracing';
import { DynamoDbPipelineStore } from './adapters/dynamodb-pipeline-store';
import type { S3Objects } from './adapters/s3-objects';
import { retrainingConfigs } from './configs-from-env';
import type { PipelineDeps } from './domain/ports';

export function pipelineDeps(): PipelineDeps {
  const bucket = requiredEnv(ENV.artifactsBucket);
  const featureTable = process.env[ENV.featureRegistryTable];
  const featureViews = featureTable
    ? new DynamoDbFeatureViewStore({
        client: documentClient(),
        table: featureTable,
        auditTable: requiredEnv(ENV.auditTable),
      })
    : undefined;
  return {
    store: new DynamoDbPipelineStore({
      client: documentClient(),
      pipelineTable: requiredEnv(ENV.pipelineTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    // S3 is imported by the first object read or write.
    objects: lazyPort<S3Objects>(
      async () => {
        const [{ S3Objects }, { s3Client }] = await Promise.all([
          import('./adapters/s3-objects'),
          import('../shared/s3-client'),
        ]);
        return new S3Objects(s3Client(), bucket);
      },
      { bucket },
    ),
    registry: registryServiceFromEnv(),
    featureView: async (name) => (featureViews ? (await featureViews.get(name))?.features : undefined),
    configs: retrainingConfigs(),
    deploymentTargets: deploymentTargets(),
    defaultTrainingImage: process.env[ENV.defaultTrainingImage] ?? 'reference-trainer:local',
    envName: requiredEnv(ENV.envName),
    now: () => new Date(),
    newId: randomUUID,
  };
}

let sfn: SFNClient | undefined;
export function stepFunctionsClient(): SFNClient {
  sfn ??= traced(
    new SFNClient({ ...withTimeouts(), endpoint: process.env[ENV.stepFunctionsEndpoint] || undefined }),
  );
  return sfn;
}
