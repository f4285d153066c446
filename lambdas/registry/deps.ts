/** Wires the registry's ports to their AWS adapters from env, once per container. */
import { ENV } from '../../contracts/env';
import { dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import type { RegistryDeps } from './domain/ports';
import { registryDepsFromEnv } from './service-from-env';

export interface RegistryHandlerDeps extends RegistryDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function defaultDeps(): RegistryHandlerDeps {
  return {
    ...registryDepsFromEnv(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
