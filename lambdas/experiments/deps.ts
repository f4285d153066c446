/**
 * Wires the experiments ports to their adapters from env, once per container: experiments and
 * aggregates in the experiments table, the endpoint's lock and routing record in the deployments
 * table, versions through the registry's reader.
 */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { registryReaderFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { DynamoDbEndpointControl } from './adapters/dynamodb-endpoint-control';
import { DynamoDbExperimentStore } from './adapters/dynamodb-experiment-store';
import { newSalt } from './domain/assignment';
import type { ExperimentsDeps } from './domain/ports';

export interface ExperimentsHandlerDeps extends ExperimentsDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function experimentsDepsFromEnv(): ExperimentsDeps {
  const registry = registryReaderFromEnv();
  return {
    store: new DynamoDbExperimentStore({
      client: dynamoDbClient(),
      table: requiredEnv(ENV.experimentsTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    endpoints: new DynamoDbEndpointControl({
      client: documentClient(),
      deploymentsTable: requiredEnv(ENV.deploymentsTable),
      envName: requiredEnv(ENV.envName),
    }),
    versions: { exists: async (model, version) => (await registry.getVersion(model, version)) !== undefined },
    now: () => new Date(),
    newId: randomUUID,
    newSalt,
  };
}

export function defaultDeps(): ExperimentsHandlerDeps {
  return {
    ...experimentsDepsFromEnv(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
