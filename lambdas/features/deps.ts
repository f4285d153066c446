/**
 * Wires the feature store's ports to their adapters from env, once per container. The offline
 * engine is Athena on AWS and DuckDB locally (`FEATURE_OFFLINE_ENGINE`); the training-set worker
 * is invoked asynchronously when `FEATURE_TRAINING_WORKER_FUNCTION` names it, else run in process.
 */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import type { MetricsDocument } from '../shared/metrics';
import { DynamoDbFeatureViewStore } from './adapters/dynamodb-feature-view-store';
import { DynamoDbOnlineStore } from './adapters/dynamodb-online-store';
import { DynamoDbTombstones } from './adapters/dynamodb-tombstones';
import type { DynamoDbTrainingSetJobs } from './adapters/dynamodb-training-set-jobs';
import type { S3OfflineStore } from './adapters/s3-offline-store';
import type { FeatureStoreDeps, TrainingSetEngine, TrainingSetLauncher } from './domain/ports';
import { runTrainingSet } from './domain/training-sets';

/** The adapters off `get-online-features`' path (S3, Parquet, Athena, Lambda), imported on first use. */
const onDemand = () => import('./on-demand');

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
  /** Where metrics (a backfill's freshness reading) go. @default - `publishMetrics`: EMF lines */
  readonly emitMetrics?: (doc: MetricsDocument) => Promise<void>;
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
    offline: lazyPort<S3OfflineStore>(async () => (await onDemand()).offlineStore(bucket), {}),
    jobs: lazyPort<DynamoDbTrainingSetJobs>(
      async () => (await onDemand()).trainingSetJobs(registryTable, bucket),
      {},
    ),
    tombstones: new DynamoDbTombstones({ client: documentClient(), table: registryTable }),
    now: () => new Date(),
    newId: randomUUID,
  };
}

/** The engine named by `FEATURE_OFFLINE_ENGINE` (default `athena`), loaded on the first build. */
export function engineFromEnv(stores: FeatureStores): TrainingSetEngine {
  const bucket = requiredEnv(ENV.featureOfflineBucket);
  return lazyPort<TrainingSetEngine>(
    async () => (await import('./engine-on-demand')).trainingSetEngine(stores.offline, bucket),
    {},
  );
}

/** The training-set worker over the given stores and engine. */
export const makeWorker = (stores: FeatureStores, engine: TrainingSetEngine) => (event: { jobId: string }) =>
  runTrainingSet({ ...stores, engine }, event.jobId);

export function defaultDeps(): FeaturesHandlerDeps {
  const stores = storesFromEnv();
  const workerFunction = process.env[ENV.featureTrainingWorkerFunction];
  const launcher = lazyPort<TrainingSetLauncher>(async () => {
    const adapters = await onDemand();
    return workerFunction
      ? adapters.lambdaLauncher(workerFunction)
      : adapters.inProcessLauncher(makeWorker(stores, engineFromEnv(stores)));
  }, {});
  return {
    ...stores,
    launcher,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
