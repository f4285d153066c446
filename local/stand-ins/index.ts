import { join, resolve } from 'node:path';
import { ENV } from '../../contracts/env';
import { type RunningStandIn, startDynamoDbLocal } from './dynamodb-local';
import { startS3Local } from './s3-local';

export {
  findFreePort,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  type RunningStandIn,
  startDynamoDbLocal,
} from './dynamodb-local';
export { ensureBuckets, localS3ClientConfig, startS3Local } from './s3-local';
export { ensureTables } from './tables';

/** Options for {@link startStandIns}. */
export interface StandInsOptions {
  /**
   * Directory to persist both stand-ins under (`<dataDir>/dynamodb`, `<dataDir>/s3`).
   * @default - DynamoDB in memory and S3 in a temporary directory, both gone after stop
   */
  readonly dataDir?: string;
}

/** Running DynamoDB Local and s3rver. */
export interface StandIns {
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  /** Process ids of the DynamoDB Local (Java) and s3rver (Node) processes. */
  readonly pids: { readonly dynamoDb: number; readonly s3: number };
  /** Stops both and resolves once both processes have exited. */
  stop(): Promise<void>;
}

/**
 * Starts DynamoDB Local and s3rver in parallel (Java's 2-3 s start dominates). If one fails the
 * other is stopped before the error is rethrown, so a failed start leaves no process behind.
 * Tables and buckets are not created here: see {@link ensureTables} and {@link ensureBuckets}.
 */
export async function startStandIns(options: StandInsOptions = {}): Promise<StandIns> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const [dynamoDb, s3] = await Promise.allSettled([
    startDynamoDbLocal({ dataDir: dataDir && join(dataDir, 'dynamodb') }),
    startS3Local({ dataDir: dataDir && join(dataDir, 's3') }),
  ]);
  if (dynamoDb.status === 'rejected' || s3.status === 'rejected') {
    await Promise.all([dynamoDb, s3].map((r) => (r.status === 'fulfilled' ? r.value.stop() : undefined)));
    throw dynamoDb.status === 'rejected' ? dynamoDb.reason : (s3 as PromiseRejectedResult).reason;
  }
  const started: RunningStandIn[] = [dynamoDb.value, s3.value];
  return {
    dynamoDbEndpoint: dynamoDb.value.endpoint,
    s3Endpoint: s3.value.endpoint,
    pids: { dynamoDb: dynamoDb.value.pid, s3: s3.value.pid },
    stop: async () => {
      await Promise.all(started.map((standIn) => standIn.stop()));
    },
  };
}

/**
 * The environment a handler needs to run against the stand-ins, in process: their endpoints, a
 * region, s3rver's credentials (it refuses others; DynamoDB Local takes any), quiet logs, then
 * `extra` (table and bucket names, settings).
 */
export function standInEnvironment(
  standIns: Pick<StandIns, 'dynamoDbEndpoint' | 's3Endpoint'>,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    [ENV.dynamoDbEndpoint]: standIns.dynamoDbEndpoint,
    [ENV.s3Endpoint]: standIns.s3Endpoint,
    ...extra,
  };
}
