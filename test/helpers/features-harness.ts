/**
 * Runs the feature store handler in process against DynamoDB Local and s3rver, with the DuckDB
 * engine and an in-process training-set worker, as local mode does. Events are built by the same
 * code and route matching as the local API server.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../contracts/env';
import {
  AUDIT_TABLE,
  FEATURE_REGISTRY_TABLE,
  IDEMPOTENCY_TABLE,
  ONLINE_STORE_TABLE,
} from '../../contracts/tables';
import { InProcessTrainingSetLauncher } from '../../lambdas/features/adapters/launchers';
import {
  engineFromEnv,
  type FeatureStores,
  type FeaturesHandlerDeps,
  makeWorker,
  storesFromEnv,
} from '../../lambdas/features/deps';
import { makeHandler } from '../../lambdas/features/handler';
import type { MetricsDocument } from '../../lambdas/shared/metrics';
import { LOCAL_FEATURES_BUCKET } from '../../local/function-environment';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  standInEnvironment,
} from '../../local/stand-ins';
import { type HttpCall, httpCaller } from './http-call';
import { startTestStandIns } from './worker-stand-ins';

/** The offline bucket, named as local mode names the template's, so template functions find it too. */
export const FEATURE_BUCKET = LOCAL_FEATURES_BUCKET;
export const BOB = 'arn:aws:iam::123456789012:user/bob';

export interface FeaturesHarness {
  readonly standIns: StandIns;
  readonly s3: S3Client;
  readonly dynamoDb: DynamoDBClient;
  readonly stores: FeatureStores;
  readonly deps: FeaturesHandlerDeps;
  readonly launcher: InProcessTrainingSetLauncher;
  readonly call: HttpCall;
  /** The metrics documents the handler emitted (a backfill's freshness), oldest first. */
  readonly metrics: MetricsDocument[];
  stop(): Promise<void>;
}

export async function startFeaturesHarness(): Promise<FeaturesHarness> {
  const standIns = await startTestStandIns();
  Object.assign(
    process.env,
    standInEnvironment(standIns, {
      [ENV.auditTable]: AUDIT_TABLE.id,
      [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
      [ENV.featureRegistryTable]: FEATURE_REGISTRY_TABLE.id,
      [ENV.onlineStoreTable]: ONLINE_STORE_TABLE.id,
      [ENV.featureOfflineBucket]: FEATURE_BUCKET,
      [ENV.featureOfflineEngine]: 'duckdb',
    }),
  );
  delete process.env[ENV.featureTrainingWorkerFunction];
  const dynamoDb = new DynamoDBClient({
    ...LOCAL_DYNAMODB_CLIENT_CONFIG,
    endpoint: standIns.dynamoDbEndpoint,
  });
  await ensureTables(dynamoDb);
  const s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  await ensureBuckets(s3, [FEATURE_BUCKET]);
  const stores = storesFromEnv();
  const launcher = new InProcessTrainingSetLauncher(makeWorker(stores, engineFromEnv(stores)));
  const metrics: MetricsDocument[] = [];
  const deps: FeaturesHandlerDeps = {
    ...stores,
    launcher,
    idempotency: { tableName: IDEMPOTENCY_TABLE.id, client: dynamoDb },
    emitMetrics: async (doc) => {
      metrics.push(doc);
    },
  };
  const handler = makeHandler(deps);
  return {
    standIns,
    s3,
    dynamoDb,
    stores,
    deps,
    launcher,
    call: httpCaller(handler, { functionName: 'features', principalArn: BOB }),
    metrics,
    stop: async () => {
      await launcher.settle();
      dynamoDb.destroy();
      s3.destroy();
      await standIns.stop();
    },
  };
}
