/**
 * Wires the batch prediction ports to their adapters from env, once per container: jobs in the
 * batch predictions table, the registry read through its public surface, runs on the batch state
 * machine, parts and models in S3, and, with the feature store's env, entity lists checked against
 * their view.
 */
import { randomUUID } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { BatchSettings } from '../../contracts/batch-predictions';
import { ENV } from '../../contracts/env';
import { registryReaderFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, withTimeouts } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { DynamoDbJobStore } from './adapters/dynamodb-job-store';
import { S3BatchFiles } from './adapters/s3-batch-files';
import { S3InputUploads, S3OutputDownloads } from './adapters/s3-presigned-transfers';
import { StepFunctionsJobLauncher } from './adapters/step-functions-launcher';
import type { InputUploads, JobDeps, JobLauncher, OutputDownloads } from './domain/ports';
import { entityCheckFromEnv } from './enrichment-deps';

/** Jobs and the engine that runs them: what the scheduler needs. */
export interface LaunchingDeps extends JobDeps {
  readonly launcher: JobLauncher;
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

/** The API's ports: the scheduler's, and the presigners of input uploads and output reads. */
export interface BatchHandlerDeps extends LaunchingDeps {
  readonly uploads: InputUploads;
  readonly downloads: OutputDownloads;
}

/** The settings the stack wrote (`BATCH_SETTINGS`). */
export const batchSettingsFromEnv = (): BatchSettings =>
  BatchSettings.parse(JSON.parse(requiredEnv(ENV.batchSettings)));

/** Jobs, registry reads and the clock; what the API and the state machine's tasks share. */
export function jobDepsFromEnv(): JobDeps {
  return {
    jobs: new DynamoDbJobStore({
      client: documentClient(),
      table: requiredEnv(ENV.batchPredictionsTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    registry: registryReaderFromEnv(),
    now: () => new Date(),
    newId: randomUUID,
    locations: batchSettingsFromEnv().locations,
  };
}

/** Jobs plus runs on the batch state machine: what the scheduler needs (no Idempotency-Key). */
export function launchingDepsFromEnv(): LaunchingDeps {
  const sfn = traced(
    new SFNClient({
      ...withTimeouts(),
      endpoint: process.env[ENV.stepFunctionsEndpoint] || undefined,
    }),
  );
  return {
    ...jobDepsFromEnv(),
    launcher: new StepFunctionsJobLauncher(sfn, requiredEnv(ENV.batchStateMachineArn)),
  };
}

export function defaultDeps(): BatchHandlerDeps {
  const checkEntities = entityCheckFromEnv(new S3BatchFiles(s3Client()));
  return {
    ...launchingDepsFromEnv(),
    ...(checkEntities ? { checkEntities } : {}),
    uploads: new S3InputUploads({ client: s3Client(), bucket: requiredEnv(ENV.artifactsBucket) }),
    downloads: new S3OutputDownloads({ client: s3Client() }),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
