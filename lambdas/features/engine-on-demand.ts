/**
 * The training-set engine, imported by `engineFromEnv` on the first build: Athena's client (or
 * DuckDB locally) stays out of every cold start, and out of the functions that share the feature
 * store's stores without building training sets (privacy's erasure).
 */
import { AthenaClient } from '@aws-sdk/client-athena';
import { ENV } from '../../contracts/env';
import { requiredEnv, withTimeouts } from '../shared/clients';
import { s3Client } from '../shared/s3-client';
import { traced } from '../shared/tracing';
import { AthenaTrainingSetEngine } from './adapters/athena-training-set-engine';
import type { S3OfflineStore } from './adapters/s3-offline-store';
import type { EntityJoinEngine, TrainingSetEngine } from './domain/ports';

/** Which offline engine, and where Athena runs. */
export interface OfflineEngineConfig {
  readonly engine: 'athena' | 'duckdb';
  /** Glue database and Athena workgroup (Athena only). */
  readonly database?: string;
  readonly workGroup?: string;
}

/** The engine named by `FEATURE_OFFLINE_ENGINE` (default `athena`): training sets and entity joins. */
export function trainingSetEngine(
  offline: S3OfflineStore,
  bucket: string,
): TrainingSetEngine & EntityJoinEngine {
  if (process.env[ENV.featureOfflineEngine] === 'duckdb')
    return offlineEngine(offline, bucket, { engine: 'duckdb' });
  return offlineEngine(offline, bucket, {
    engine: 'athena',
    database: requiredEnv(ENV.featureGlueDatabase),
    workGroup: requiredEnv(ENV.featureAthenaWorkgroup),
  });
}

/** The engine a config names. @throws Error for Athena without its database and workgroup */
export function offlineEngine(
  offline: S3OfflineStore,
  bucket: string,
  config: OfflineEngineConfig,
): TrainingSetEngine & EntityJoinEngine {
  if (config.engine === 'duckdb') {
    // Loaded by a computed name so esbuild never pulls DuckDB's native binary into a Lambda bundle.
    const modulePath = './adapters/duckdb-training-set-engine';
    const { DuckDbTrainingSetEngine } = require(
      modulePath,
    ) as typeof import('./adapters/duckdb-training-set-engine');
    return new DuckDbTrainingSetEngine({ offline, s3: s3Client(), bucket });
  }
  if (!config.database || !config.workGroup)
    throw new Error('the Athena offline engine needs its Glue database and workgroup');
  return new AthenaTrainingSetEngine({
    athena: traced(new AthenaClient(withTimeouts())),
    s3: s3Client(),
    bucket,
    database: config.database,
    workGroup: config.workGroup,
  });
}
