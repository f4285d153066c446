/**
 * Builds the registry from env, once per container: the one place its tables, bucket and
 * governance policy are read, for the registry's own handler and every capability that uses it.
 */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { GovernancePolicy } from '../../contracts/governance-policy';
import { documentClient, requiredEnv } from '../shared/clients';
import { lazyPort } from '../shared/lazy-port';
import { DynamoDbApprovalStore } from './adapters/dynamodb-approval-store';
import { DynamoDbRegistryStore } from './adapters/dynamodb-registry-store';
import type { RegistryDeps } from './domain/ports';
import { RegistryService } from './service';

/**
 * The governance policy the stack configured (`GOVERNANCE_POLICY`, the `mlops:governance` block).
 * @default - the registry's default policy when the variable is not set
 */
export function governancePolicyFromEnv(): GovernancePolicy {
  return GovernancePolicy.parse(JSON.parse(process.env[ENV.governancePolicy] ?? '{}'));
}

/**
 * The registry's ports on DynamoDB and S3, from env; each call builds them anew. The S3 artifact
 * store is loaded by the first request that transfers or hashes an artifact.
 */
export function registryDepsFromEnv(): RegistryDeps {
  const bucket = requiredEnv(ENV.artifactsBucket);
  const urlTtlSeconds = Number(process.env[ENV.uploadUrlTtlSeconds] ?? 900);
  const tables = {
    client: documentClient(),
    registryTable: requiredEnv(ENV.registryTable),
    auditTable: requiredEnv(ENV.auditTable),
  };
  return {
    store: new DynamoDbRegistryStore(tables),
    approvals: new DynamoDbApprovalStore(tables),
    artifacts: lazyPort(
      async () => {
        const [{ S3ArtifactStore }, { s3Client }] = await Promise.all([
          import('./adapters/s3-artifact-store'),
          import('../shared/s3-client'),
        ]);
        return new S3ArtifactStore({ client: s3Client(), bucket, urlTtlSeconds });
      },
      { bucket },
    ),
    policy: governancePolicyFromEnv(),
    now: () => new Date(),
    newId: randomUUID,
  };
}

let service: RegistryService | undefined;

/**
 * The registry service of this container, built on first use with the configured governance
 * policy. Needs `REGISTRY_TABLE`, `AUDIT_TABLE` and `ARTIFACTS_BUCKET`.
 */
export function registryServiceFromEnv(): RegistryService {
  service ??= new RegistryService(registryDepsFromEnv());
  return service;
}
