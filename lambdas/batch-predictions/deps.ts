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
import { lazyPort } from '../shared/lazy-port';
import { traced } from '../shared/tracing';
import { DynamoDbJobStore } from './adapters/dynamodb-job-store';
import type { S3BatchFiles } from './adapters/s3-batch-files';
import type { S3InputUploads, S3OutputDownloads } from './adapters/s3-presigned-transfers';
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

/** The S3 client, imported by the first route that reads or presigns an object. */
const s3 = async () => (await import('../shared/s3-client')).s3Client();

/**
 * The API's S3 adapters (the entity-list check's reads, the presigners of uploads and downloads),
 * imported by their first call: a submit without enrichment, a job read, and the scheduler load no
 * S3 client.
 */
const onDemandFiles = (): S3BatchFiles =>
  lazyPort(async () => new (await import('./adapters/s3-batch-files')).S3BatchFiles(await s3()), {});

const onDemandUploads = (bucket: string): S3InputUploads =>
  lazyPort(
    async () =>
      new (await import('./adapters/s3-presigned-transfers')).S3InputUploads({ client: await s3(), bucket }),
    { bucket },
  );

const onDemandDownloads = (): S3OutputDownloads =>
  lazyPort(
    async () =>
      new (await import('./adapters/s3-presigned-transfers')).S3OutputDownloads({ client: await s3() }),
    {},
  );

export function defaultDeps(): BatchHandlerDeps {
  const checkEntities = entityCheckFromEnv(onDemandFiles());
  return {
    ...launchingDepsFromEnv(),
    ...(checkEntities ? { checkEntities } : {}),
    uploads: onDemandUploads(requiredEnv(ENV.artifactsBucket)),
    downloads: onDemandDownloads(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
