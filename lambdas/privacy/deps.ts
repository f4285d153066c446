/**
 * Wires the privacy ports to their adapters from env, once per container: erasure records and
 * tombstones in the feature registry table, the feature store and registry through their public
 * surfaces, capture files in the artifacts bucket, ground truth in the monitoring table. The
 * worker is invoked asynchronously when `PRIVACY_ERASURE_WORKER_FUNCTION` names it.
 */
import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { ENV } from '../../contracts/env';
import { entityMatch } from '../../contracts/erasure-keys';
import { erasureInferenceIdsPrefix } from '../../contracts/privacy';
import { endpointName } from '../../contracts/serving';
import {
  applyFeatureErasureBatch,
  type FeatureErasureBatch,
  featureStoresFromEnv,
  planFeatureErasureBatch,
} from '../features';
import { registryServiceFromEnv } from '../registry';
import { DynamoDbCaptureKey } from '../shared/capture-key';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { DynamoDbErasureStore } from './adapters/dynamodb-erasure-store';
import { DynamoDbExperimentRecords } from './adapters/dynamodb-experiment-records';
import { DynamoDbGroundTruth } from './adapters/dynamodb-ground-truth';
import type { ErasureWorkerEvent } from './adapters/launchers';
import { RegistryLineage } from './adapters/registry-lineage';
import { runErasure } from './domain/erasure-run';
import type {
  CaptureFiles,
  ErasureLauncher,
  ErasureRunDeps,
  FoundInferenceIds,
  PrivacyDeps,
  RunBudget,
} from './domain/ports';

/** Capture files on S3 and the worker's Lambda client, imported on first use. */
const onDemand = () => import('./on-demand');

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

/**
 * Everything a run touches; needs the feature, registry, artifacts, monitoring and experiments env.
 * `launcher` starts the run's next invocation when this one's time runs short.
 */
export function runDepsFromEnv(launcher: ErasureLauncher): ErasureRunDeps {
  const stores = featureStoresFromEnv();
  const bucket = requiredEnv(ENV.artifactsBucket);
  return {
    ...privacyDepsFromEnv(),
    launcher,
    features: {
      plan: (entities, cursor) => planFeatureErasureBatch(stores, entityMatch(entities), cursor),
      apply: (entities, batch, erasureId) =>
        applyFeatureErasureBatch(stores, entityMatch(entities), batch as FeatureErasureBatch, erasureId),
    },
    experiments: new DynamoDbExperimentRecords({
      client: documentClient(),
      table: requiredEnv(ENV.experimentsTable),
    }),
    capture: lazyPort<CaptureFiles>(async () => (await onDemand()).captureFiles(bucket), {}),
    foundInferenceIds: lazyPort<FoundInferenceIds>(async () => (await onDemand()).foundInferenceIds(bucket), {
      locationOf: (erasureId) => `s3://${bucket}/${erasureInferenceIdsPrefix(erasureId)}`,
    }),
    captureKey: new DynamoDbCaptureKey({
      client: documentClient(),
      table: requiredEnv(ENV.featureRegistryTable),
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

/**
 * What a run keeps back before planning a batch: the largest batch (the feature store's plan and
 * pass, or a capture file read twice and written) and the hand-over writes.
 */
export const WORKER_RESERVE_MS = 300_000;

/** A run without a Lambda context (in this process) gets as long as Lambda's longest run. */
const IN_PROCESS_MS = 15 * 60_000;

/** The erasure worker over the given ports; `reserveMs` as `WORKER_RESERVE_MS`. */
export const makeWorker =
  (deps: ErasureRunDeps, reserveMs = WORKER_RESERVE_MS) =>
  (event: ErasureWorkerEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>) => {
    const started = Date.now();
    const budget: RunBudget = {
      remainingMs: () => context?.getRemainingTimeInMillis() ?? IN_PROCESS_MS - (Date.now() - started),
      reserveMs,
    };
    return runErasure(deps, event.erasureId, budget);
  };

export function defaultDeps(): PrivacyHandlerDeps {
  const workerFunction = process.env[ENV.privacyErasureWorkerFunction];
  const launcher: ErasureLauncher = lazyPort<ErasureLauncher>(async () => {
    const adapters = await onDemand();
    // In process, a run hands over to another run in this process, through the same launcher.
    return workerFunction
      ? adapters.lambdaLauncher(workerFunction)
      : adapters.inProcessLauncher(makeWorker(runDepsFromEnv(launcher)));
  }, {});
  return {
    ...privacyDepsFromEnv(),
    launcher,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
