/**
 * Wires the experiments ports to their adapters from env, once per container: experiments and
 * aggregates in the experiments table, the endpoint's lock and routing record in the deployments
 * table, versions through the registry's reader.
 */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { endpointChallengerFromEnv, rolloutStarterFromEnv } from '../deployment';
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

/**
 * The serving side where the stack has it: the treatment's variant and alarms through the
 * rollout's backends where endpoints are configured, the winner's rollout where the rollout's
 * state machine exists. Without them an experiment only routes keys.
 */
function servingFromEnv(): Pick<ExperimentsDeps, 'variants' | 'alarms' | 'promoter' | 'settleWithinMs'> {
  const serving: { -readonly [K in keyof ExperimentsDeps]?: ExperimentsDeps[K] } = {};
  if (process.env[ENV.deploymentTargetsPath]) {
    const challenger = endpointChallengerFromEnv();
    serving.variants = challenger;
    serving.alarms = { firing: (modelName) => challenger.firingAlarm(modelName) };
    serving.settleWithinMs = SETTLE_WITHIN_MS;
  }
  if (process.env[ENV.deploymentStateMachineArn]) serving.promoter = rolloutStarterFromEnv();
  return serving;
}

/**
 * A route waits this long for the endpoint to take or drop the treatment's variant (a local
 * endpoint takes seconds, SageMaker minutes), within API Gateway's 30 s; the schedule does the rest.
 */
const SETTLE_WITHIN_MS = 15_000;

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
    ...servingFromEnv(),
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
