/**
 * The feature store's adapters whose code a cold start should not load: the offline store on S3
 * (Parquet reading and writing), training-set jobs' requests on S3, the offline engine (Athena, or
 * DuckDB locally) and the Lambda client launching the training-set worker. `deps.ts` imports this
 * module on the first call of one of them (`lazyPort`); the bundle holds it in a chunk of its own,
 * so `get-online-features` runs on DynamoDB code alone.
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../../contracts/env';
import { documentClient, requiredEnv, withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { AthenaTrainingSetEngine } from './adapters/athena-training-set-engine';
import { DynamoDbTrainingSetJobs } from './adapters/dynamodb-training-set-jobs';
import {
  InProcessTrainingSetLauncher,
  LambdaTrainingSetLauncher,
  type TrainingSetWorkerEvent,
} from './adapters/launchers';
import { S3OfflineStore } from './adapters/s3-offline-store';
import type { TrainingSetEngine } from './domain/ports';

export const offlineStore = (bucket: string) => new S3OfflineStore({ client: s3Client(), bucket });

export const trainingSetJobs = (table: string, bucket: string) =>
  new DynamoDbTrainingSetJobs({ client: documentClient(), table, s3: s3Client(), bucket });

/** The engine named by `FEATURE_OFFLINE_ENGINE` (default `athena`). */
export function trainingSetEngine(offline: S3OfflineStore, bucket: string): TrainingSetEngine {
  if (process.env[ENV.featureOfflineEngine] === 'duckdb') {
    // Loaded by a computed name so esbuild never pulls DuckDB's native binary into a Lambda bundle.
    const modulePath = './adapters/duckdb-training-set-engine';
    const { DuckDbTrainingSetEngine } = require(
      modulePath,
    ) as typeof import('./adapters/duckdb-training-set-engine');
    return new DuckDbTrainingSetEngine({ offline, s3: s3Client(), bucket });
  }
  return new AthenaTrainingSetEngine({
    athena: new AthenaClient(withTimeouts()),
    s3: s3Client(),
    bucket,
    database: requiredEnv(ENV.featureGlueDatabase),
    workGroup: requiredEnv(ENV.featureAthenaWorkgroup),
  });
}

export const lambdaLauncher = (functionName: string) =>
  new LambdaTrainingSetLauncher({
    client: new LambdaClient({ ...withTimeouts(), endpoint: process.env[ENV.lambdaEndpoint] || undefined }),
    functionName,
  });

export const inProcessLauncher = (worker: (event: TrainingSetWorkerEvent) => Promise<unknown>) =>
  new InProcessTrainingSetLauncher(worker);
