/** Wires the tracking ports to their AWS adapters from env, once per container. */
import { randomUUID } from 'node:crypto';
import { ENV } from '../../contracts/env';
import { TRACKING_ARTIFACTS_PREFIX } from '../../contracts/tracking';
import { registryServiceFromEnv } from '../registry';
import { documentClient, dynamoDbClient, requiredEnv } from '../shared/clients';
import type { IdempotencyOptions } from '../shared/idempotency';
import { lazyPort } from '../shared/lazy-port';
import { DynamoDbTrackingStore } from './adapters/dynamodb-tracking-store';
import type { TrackingDeps } from './domain/ports';

export interface TrackingHandlerDeps extends TrackingDeps {
  /** Idempotency-Key support; without it the header is ignored. */
  readonly idempotency?: IdempotencyOptions;
}

export function defaultDeps(): TrackingHandlerDeps {
  const ttl = Number(process.env[ENV.uploadUrlTtlSeconds] ?? '900');
  const bucket = requiredEnv(ENV.artifactsBucket);
  return {
    store: new DynamoDbTrackingStore({ client: documentClient(), table: requiredEnv(ENV.trackingTable) }),
    // S3 is loaded by the first artifact request; runs, params and metrics are DynamoDB only.
    artifacts: lazyPort(
      async () => {
        const [{ S3RunArtifacts }, { s3Client }] = await Promise.all([
          import('./adapters/s3-run-artifacts'),
          import('../shared/s3-client'),
        ]);
        return new S3RunArtifacts({
          client: s3Client(),
          bucket,
          urlTtlSeconds: Number.isFinite(ttl) && ttl > 0 ? ttl : 900,
        });
      },
      { root: `s3://${bucket}/${TRACKING_ARTIFACTS_PREFIX}` },
    ),
    now: Date.now,
    // MLflow's run ids are 32 lowercase hex digits (a uuid4 without dashes).
    newRunId: () => randomUUID().replaceAll('-', ''),
    registry: registryServiceFromEnv(),
    idempotency: { tableName: requiredEnv(ENV.idempotencyTable), client: dynamoDbClient() },
  };
}
