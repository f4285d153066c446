/**
 * Runs the registry handler in process against DynamoDB Local and s3rver: events are built by
 * the same code and route matching as the local API server, so tests see what Lambda sees.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../contracts/env';
import { AUDIT_TABLE, IDEMPOTENCY_TABLE, REGISTRY_TABLE } from '../../contracts/tables';
import { defaultDeps, type RegistryHandlerDeps } from '../../lambdas/registry/deps';
import { makeHandler } from '../../lambdas/registry/handler';
import { buildHttpApiEvent, localContext } from '../../local/api-event';
import { matchRoute } from '../../local/api-server';
import {
  ensureBuckets,
  ensureTables,
  LOCAL_DYNAMODB_CLIENT_CONFIG,
  localS3ClientConfig,
  type StandIns,
  startStandIns,
} from '../../local/stand-ins';

export const BUCKET = 'test-artifacts';
export const ALICE = 'arn:aws:iam::123456789012:user/alice';

export interface Harness {
  readonly standIns: StandIns;
  readonly s3: S3Client;
  readonly deps: RegistryHandlerDeps;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: tests assert on response bodies field by field
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const standIns = await startStandIns();
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    POWERTOOLS_LOG_LEVEL: 'CRITICAL',
    [ENV.dynamoDbEndpoint]: standIns.dynamoDbEndpoint,
    [ENV.s3Endpoint]: standIns.s3Endpoint,
    [ENV.registryTable]: REGISTRY_TABLE.id,
    [ENV.auditTable]: AUDIT_TABLE.id,
    [ENV.idempotencyTable]: IDEMPOTENCY_TABLE.id,
    [ENV.artifactsBucket]: BUCKET,
    [ENV.governancePolicy]: JSON.stringify({
      metricFloors: { accuracy: 0.85 },
      maxDemographicParityDifference: 0.1,
    }),
  });
  await ensureTables(
    new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint: standIns.dynamoDbEndpoint }),
  );
  const s3 = new S3Client(localS3ClientConfig(standIns.s3Endpoint));
  await ensureBuckets(s3, [BUCKET]);
  const deps = defaultDeps();
  const handler = makeHandler(deps);
  return {
    standIns,
    s3,
    deps,
    async call(method, path, body, headers = {}) {
      const [rawPath, rawQueryString = ''] = path.split('?');
      const route = matchRoute(method, rawPath);
      if (!route) throw new Error(`no route for ${method} ${rawPath}`);
      const payload =
        body === undefined
          ? Buffer.alloc(0)
          : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
      const event = buildHttpApiEvent(
        {
          method,
          rawPath,
          rawQueryString,
          headers: { 'content-type': 'application/json', ...headers },
          body: payload,
          sourceIp: '127.0.0.1',
        },
        route,
        { accessKeyId: 'AKIATEST', principalArn: ALICE },
      );
      const result = await handler(event, localContext('registry'));
      return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
    },
    stop: () => standIns.stop(),
  };
}
