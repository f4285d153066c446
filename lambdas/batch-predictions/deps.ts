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
import { StepFunctionsJobLauncher } from './adapters/step-functions-launcher';
import type { JobDeps, JobLauncher } from './domain/ports';
import { entityCheckFromEnv } from './enrichment-deps';

export interface BatchHandlerDeps extends JobDeps {
  readonly launcher: JobLauncher;
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
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
export function launchingDepsFromEnv(): BatchHandlerDeps {
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

/**
 * The entity-list check's S3 reads, imported by the first check: a submit without enrichment, and
 * the scheduler, load no S3 client.
 */
const onDemandFiles = (): S3BatchFiles =>
  lazyPort(async () => {
    const [{ S3BatchFiles }, { s3Client }] = await Promise.all([
      import('./adapters/s3-batch-files'),
      import('../shared/s3-client'),
    ]);
    return new S3BatchFiles(s3Client());
  }, {});

export function defaultDeps(): BatchHandlerDeps {
  const checkEntities = entityCheckFromEnv(onDemandFiles());
  return {
    ...launchingDepsFromEnv(),
    ...(checkEntities ? { checkEntities } : {}),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
