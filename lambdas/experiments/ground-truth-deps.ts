/**
 * The experiments' side of ground truth, for the capabilities that hold the two ends: the predict
 * path records each prediction served inside a running experiment (serving), and labels sent to
 * monitoring for those predictions are added to the experiment's ground-truth metrics. Each is
 * built from env where the function is given the experiments table, `undefined` elsewhere.
 */
import { ENV } from '../../contracts/env';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import { DynamoDbExperimentStore } from './adapters/dynamodb-experiment-store';
import { DynamoDbExposureLog } from './adapters/dynamodb-exposure-log';
import { ingestGroundTruth } from './domain/ground-truth';
import type { ExposureLog, GroundTruthLabel, IngestResult } from './domain/ports';

/** Adds ground-truth labels of a model's predictions to the experiments they were served in. */
export interface GroundTruthFeed {
  ingest(modelName: string, labels: readonly GroundTruthLabel[]): Promise<IngestResult>;
}

/** Where predictions served inside experiments are recorded; `undefined` without the table. */
export function exposureLogFromEnv(): ExposureLog | undefined {
  const table = process.env[ENV.experimentsTable];
  return table ? new DynamoDbExposureLog({ client: documentClient(), table }) : undefined;
}

/** The feed of ground truth into running experiments; `undefined` without the table. */
export function groundTruthFeedFromEnv(): GroundTruthFeed | undefined {
  const table = process.env[ENV.experimentsTable];
  if (!table) return undefined;
  const deps = {
    store: new DynamoDbExperimentStore({
      client: dynamoDbClient(),
      table,
      auditTable: requiredEnv(ENV.auditTable),
    }),
    exposures: new DynamoDbExposureLog({ client: documentClient(), table }),
  };
  return { ingest: (modelName, labels) => ingestGroundTruth(deps, modelName, labels) };
}
