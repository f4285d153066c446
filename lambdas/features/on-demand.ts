/**
 * The feature store's adapters whose code a cold start should not load: the offline store on S3
 * (Parquet reading and writing), training-set jobs' requests on S3, and the Lambda client launching the training-set worker. `deps.ts` imports this
 * module on the first call of one of them (`lazyPort`); the bundle holds it in a chunk of its own,
 * so `get-online-features` runs on DynamoDB code alone.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../../contracts/env';
import { documentClient, withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { DynamoDbTrainingSetJobs } from './adapters/dynamodb-training-set-jobs';
import {
  InProcessTrainingSetLauncher,
  LambdaTrainingSetLauncher,
  type TrainingSetWorkerEvent,
} from './adapters/launchers';
import { S3OfflineStore } from './adapters/s3-offline-store';

export const offlineStore = (bucket: string) => new S3OfflineStore({ client: s3Client(), bucket });

export const trainingSetJobs = (table: string, bucket: string) =>
  new DynamoDbTrainingSetJobs({ client: documentClient(), table, s3: s3Client(), bucket });

export const lambdaLauncher = (functionName: string) =>
  new LambdaTrainingSetLauncher({
    client: traced(
      new LambdaClient({ ...withTimeouts(), endpoint: process.env[ENV.lambdaEndpoint] || undefined }),
    ),
    functionName,
  });

export const inProcessLauncher = (worker: (event: TrainingSetWorkerEvent) => Promise<unknown>) =>
  new InProcessTrainingSetLauncher(worker);
