/**
 * Wires the feature store's ports to their adapters from env, once per container. The offline
 * engine is Athena on AWS and DuckDB locally (`FEATURE_OFFLINE_ENGINE`); the training-set worker
 * is invoked asynchronously when `FEATURE_TRAINING_WORKER_FUNCTION` names it, else run in process.
 */
import { randomUUID } from 'node:crypto';
import { AthenaClient } from '@aws-sdk/client-athena';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../../contracts/env';
import { documentClient, dynamoDbClient, requiredEnv, s3Client, withTimeouts } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { AthenaTrainingSetEngine } from './adapters/athena-training-set-engine';
import { DynamoDbFeatureViewStore } from './adapters/dynamodb-feature-view-store';
import { DynamoDbOnlineStore } from './adapters/dynamodb-online-store';
import { DynamoDbTombstones } from './adapters/dynamodb-tombstones';
import { DynamoDbTrainingSetJobs } from './adapters/dynamodb-training-set-jobs';
import { InProcessTrainingSetLauncher, LambdaTrainingSetLauncher } from './adapters/launchers';
import { S3OfflineStore } from './adapters/s3-offline-store';
import type { FeatureStoreDeps, TrainingSetEngine, TrainingSetLauncher } from './domain/ports';
import { runTrainingSet } from './domain/training-sets';

/** The stores every feature function uses. */
export interface FeatureStores extends FeatureStoreDeps {
  readonly jobs: DynamoDbTrainingSetJobs;
  readonly offline: S3OfflineStore;
  readonly online: DynamoDbOnlineStore;
  readonly views: DynamoDbFeatureViewStore;
}

export interface FeaturesHandlerDeps extends FeatureStores {
  readonly launcher: TrainingSetLauncher;
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function storesFromEnv(): FeatureStores {
  const bucket = requiredEnv(ENV.featureOfflineBucket);
  const registryTable = requiredEnv(ENV.featureRegistryTable);
  return {
    views: new DynamoDbFeatureViewStore({
      client: documentClient(),
      table: registryTable,
      auditTable: requiredEnv(ENV.auditTable),
    }),
    online: new DynamoDbOnlineStore({ client: documentClient(), table: requiredEnv(ENV.onlineStoreTable) }),
    offline: new S3OfflineStore({ client: s3Client(), bucket }),
    jobs: new DynamoDbTrainingSetJobs({
      client: documentClient(),
      table: registryTable,
      s3: s3Client(),
      bucket,
    }),
    tombstones: new DynamoDbTombstones({ client: documentClient(), table: registryTable }),
    now: () => new Date(),
    newId: randomUUID,
  };
}

/** The engine named by `FEATURE_OFFLINE_ENGINE` (default `athena`). */
export function engineFromEnv(stores: FeatureStores): TrainingSetEngine {
  const bucket = requiredEnv(ENV.featureOfflineBucket);
  if (process.env[ENV.featureOfflineEngine] === 'duckdb') {
    // Loaded by a computed name so esbuild never pulls DuckDB's native binary into a Lambda bundle.
    const modulePath = './adapters/duckdb-training-set-engine';
    const { DuckDbTrainingSetEngine } = require(
      modulePath,
    ) as typeof import('./adapters/duckdb-training-set-engine');
    return new DuckDbTrainingSetEngine({ offline: stores.offline, s3: s3Client(), bucket });
  }
  return new AthenaTrainingSetEngine({
    athena: new AthenaClient(withTimeouts()),
    s3: s3Client(),
    bucket,
    database: requiredEnv(ENV.featureGlueDatabase),
    workGroup: requiredEnv(ENV.featureAthenaWorkgroup),
  });
}

/** The training-set worker over the given stores and engine. */
export const makeWorker = (stores: FeatureStores, engine: TrainingSetEngine) => (event: { jobId: string }) =>
  runTrainingSet({ ...stores, engine }, event.jobId);

export function defaultDeps(): FeaturesHandlerDeps {
  const stores = storesFromEnv();
  const workerFunction = process.env[ENV.featureTrainingWorkerFunction];
  const launcher = workerFunction
    ? new LambdaTrainingSetLauncher({
        client: new LambdaClient({
          ...withTimeouts(),
          endpoint: process.env[ENV.lambdaEndpoint] || undefined,
        }),
        functionName: workerFunction,
      })
    : new InProcessTrainingSetLauncher(makeWorker(stores, engineFromEnv(stores)));
  return {
    ...stores,
    launcher,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
