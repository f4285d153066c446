/**
 * Wires the privacy ports to their adapters from env, once per container: erasure records and
 * tombstones in the feature registry table, the feature store and registry through their public
 * surfaces, capture files in the artifacts bucket, ground truth in the monitoring table. The
 * worker is invoked asynchronously when `PRIVACY_ERASURE_WORKER_FUNCTION` names it.
 */
import { randomUUID } from 'node:crypto';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ENV } from '../../contracts/env';
import { DEFAULT_CAPTURE_PREFIX } from '../../contracts/monitoring';
import { entityMatch } from '../../contracts/privacy';
import { endpointName } from '../../contracts/serving';
import { eraseFromFeatureStore, featureStoresFromEnv } from '../features';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, s3Client } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { DynamoDbErasureStore } from './adapters/dynamodb-erasure-store';
import { DynamoDbGroundTruth } from './adapters/dynamodb-ground-truth';
import {
  type ErasureWorkerEvent,
  InProcessErasureLauncher,
  LambdaErasureLauncher,
} from './adapters/launchers';
import { RegistryLineage } from './adapters/registry-lineage';
import { S3CaptureFiles } from './adapters/s3-capture-files';
import { runErasure } from './domain/erasures';
import type { ErasureLauncher, ErasureRunDeps, PrivacyDeps } from './domain/ports';

export interface PrivacyHandlerDeps extends PrivacyDeps {
  readonly launcher: ErasureLauncher;
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function privacyDepsFromEnv(): PrivacyDeps {
  return {
    erasures: new DynamoDbErasureStore({
      client: documentClient(),
      table: requiredEnv(ENV.featureRegistryTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    now: () => new Date(),
    newId: randomUUID,
  };
}

/** Everything a run touches; needs the feature, registry, artifacts and monitoring env. */
export function runDepsFromEnv(): ErasureRunDeps {
  const stores = featureStoresFromEnv();
  return {
    ...privacyDepsFromEnv(),
    features: {
      erase: (entities, erasureId) => eraseFromFeatureStore(stores, entityMatch(entities), erasureId),
    },
    capture: new S3CaptureFiles({
      client: s3Client(),
      bucket: requiredEnv(ENV.artifactsBucket),
      prefix: DEFAULT_CAPTURE_PREFIX,
    }),
    groundTruth: new DynamoDbGroundTruth({
      client: documentClient(),
      table: requiredEnv(ENV.monitoringTable),
    }),
    lineage: new RegistryLineage(registryServiceFromEnv),
    // The function the stack names endpoints with, on the environment the stack gave this one.
    endpointOf: (modelName) => endpointName(requiredEnv(ENV.envName), modelName),
    lock: {
      // Lambda's longest run: a crashed run's lock is free once it could no longer be running.
      holdMs: 15 * 60_000,
      waitMs: 5 * 60_000,
      pollMs: 2_000,
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    },
  };
}

/** The erasure worker over the given ports. */
export const makeWorker = (deps: ErasureRunDeps) => (event: ErasureWorkerEvent) =>
  runErasure(deps, event.erasureId);

export function defaultDeps(): PrivacyHandlerDeps {
  const workerFunction = process.env[ENV.privacyErasureWorkerFunction];
  const launcher = workerFunction
    ? new LambdaErasureLauncher({
        client: new LambdaClient({ endpoint: process.env[ENV.lambdaEndpoint] || undefined }),
        functionName: workerFunction,
      })
    : new InProcessErasureLauncher(makeWorker(runDepsFromEnv()));
  return {
    ...privacyDepsFromEnv(),
    launcher,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
