/** Wires the tracking ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv, s3Client } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { DynamoDbTrackingStore } from './adapters/dynamodb-tracking-store';
import { S3RunArtifacts } from './adapters/s3-run-artifacts';
import type { TrackingDeps } from './domain/ports';

export interface TrackingHandlerDeps extends TrackingDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function defaultDeps(): TrackingHandlerDeps {
  const ttl = Number(process.env[ENV.uploadUrlTtlSeconds] ?? '900');
  return {
    store: new DynamoDbTrackingStore({ client: documentClient(), table: requiredEnv(ENV.trackingTable) }),
    artifacts: new S3RunArtifacts({
      client: s3Client(),
      bucket: requiredEnv(ENV.artifactsBucket),
      urlTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 900,
    }),
    now: Date.now,
    // MLflow's run ids are 32 lowercase hex digits (a uuid4 without dashes).
    newRunId: () => randomUUID().replaceAll('-', ''),
    registry: registryServiceFromEnv(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
