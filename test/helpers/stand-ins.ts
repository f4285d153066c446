import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../contracts/env';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
} from '../../local/stand-ins';
import { startTestStandIns } from './worker-stand-ins';

/** Options for {@link useStandIns}. */
export interface UseStandInsOptions {
  /**
   * Create every table of `contracts/tables.ts` (named by its id) and set the table-name env vars.
   * @default false
   */
  readonly tables?: boolean;
  /**
   * Buckets to create; the first is also set as `ARTIFACTS_BUCKET_NAME`.
   * @default - none
   */
  readonly buckets?: readonly string[];
}

/** Endpoints and clients of the stand-ins; read them inside tests or hooks, not at collection. */
export interface StandInsHandle {
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  readonly dynamoDb: DynamoDBClient;
  readonly s3: S3Client;
}

/**
 * Starts DynamoDB Local (in memory) and s3rver in `beforeAll` and stops them in `afterAll`, which
 * runs even when `beforeAll` or a test fails, so no process outlives the file.
 *
 * Sets the env the handlers' clients read: the stand-in endpoints, a region, and `S3RVER`
 * credentials (s3rver refuses any other access key; DynamoDB Local accepts any). Previous values
 * are restored in `afterAll`. Handlers that cache SDK clients per container must be loaded after
 * `beforeAll` has run, or be given clients built from this handle.
 */
export function useStandIns(options: UseStandInsOptions = {}): StandInsHandle {
  let standIns: StandIns | undefined;
  let dynamoDb: DynamoDBClient | undefined;
  let s3: S3Client | undefined;
  const saved = new Map<string, string | undefined>();
  const setEnv = (name: string, value: string) => {
    if (!saved.has(name)) saved.set(name, process.env[name]);
    process.env[name] = value;
  };

  beforeAll(async () => {
    standIns = await startTestStandIns();
    setEnv(ENV.dynamoDbEndpoint, standIns.dynamoDbEndpoint);
    setEnv(ENV.s3Endpoint, standIns.s3Endpoint);
    setEnv('AWS_REGION', 'us-east-1');
    setEnv('AWS_ACCESS_KEY_ID', 'S3RVER');
    setEnv('AWS_SECRET_ACCESS_KEY', 'S3RVER');
    dynamoDb = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: standIns.dynamoDbEndpoint });
    s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
    if (options.tables) {
      await ensureTables(dynamoDb);
      setEnv(ENV.registryTable, 'Registry');
      setEnv(ENV.auditTable, 'Audit');
      setEnv(ENV.idempotencyTable, 'Idempotency');
    }
    if (options.buckets?.length) {
      await ensureBuckets(s3, options.buckets);
      setEnv(ENV.artifactsBucket, options.buckets[0]);
    }
  }, 60_000);

  afterAll(async () => {
    dynamoDb?.destroy();
    s3?.destroy();
    await standIns?.stop();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }, 30_000);

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined)
      throw new Error(`${what} is only available after useStandIns' beforeAll has run`);
    return value;
  };
  return {
    get dynamoDbEndpoint() {
      return started(standIns, 'dynamoDbEndpoint').dynamoDbEndpoint;
    },
    get s3Endpoint() {
      return started(standIns, 's3Endpoint').s3Endpoint;
    },
    get dynamoDb() {
      return started(dynamoDb, 'dynamoDb');
    },
    get s3() {
      return started(s3, 's3');
    },
  };
}
