/** Wires the registry's ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { GovernancePolicy } from '../../contracts/registry';
import { documentClient, dynamoDbClient, requiredEnv, s3Client } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { DynamoDbRegistryStore } from './adapters/dynamodb-registry-store';
import { S3ArtifactStore } from './adapters/s3-artifact-store';
import type { RegistryDeps } from './domain/ports';

export interface RegistryHandlerDeps extends RegistryDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function defaultDeps(): RegistryHandlerDeps {
  const policy = GovernancePolicy.parse(JSON.parse(process.env[ENV.governancePolicy] ?? '{}'));
  return {
    store: new DynamoDbRegistryStore({
      client: documentClient(),
      registryTable: requiredEnv(ENV.registryTable),
      auditTable: requiredEnv(ENV.auditTable),
    }),
    artifacts: new S3ArtifactStore({
      client: s3Client(),
      bucket: requiredEnv(ENV.artifactsBucket),
      urlTtlSeconds: Number(process.env[ENV.uploadUrlTtlSeconds] ?? 900),
    }),
    policy,
    now: () => new Date(),
    newId: randomUUID,
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
