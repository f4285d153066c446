/**
 * The tracking handler over DynamoDB Local and s3rver, called with events built by the local API
 * server's own route matching and event builder, as `npm start` would call it.
 */
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TRACKING_TABLE } from '../../contracts/tables';
import { DynamoDbTrackingStore } from '../../lambdas/tracking/adapters/dynamodb-tracking-store';
import { S3RunArtifacts } from '../../lambdas/tracking/adapters/s3-run-artifacts';
import type { ModelRegistry } from '../../lambdas/tracking/domain/ports';
import { makeHandler } from '../../lambdas/tracking/handler';
import { buildHttpApiEvent, localContext } from '../../local/api-event';
import { matchRoute } from '../../local/api-server';

export const ALICE = 'arn:aws:iam::123456789012:user/alice';

// biome-ignore lint/suspicious/noExplicitAny: tests assert on response bodies field by field
export type Reply = { status: number; body: any; headers?: Record<string, unknown> };
export type Call = (method: string, path: string, body?: unknown) => Promise<Reply>;

/** A caller of the tracking routes, and the store behind them for direct checks. */
export function trackingCaller(props: {
  dynamoDb: DynamoDBClient;
  s3: S3Client;
  bucket: string;
  /** The platform registry behind MLflow's registry routes. @default - none: those routes answer 404 */
  registry?: ModelRegistry;
}) {
  const store = new DynamoDbTrackingStore({
    client: DynamoDBDocumentClient.from(props.dynamoDb, { marshallOptions: { removeUndefinedValues: true } }),
    table: TRACKING_TABLE.id,
  });
  const handler = makeHandler({
    store,
    artifacts: new S3RunArtifacts({ client: props.s3, bucket: props.bucket }),
    now: Date.now,
    newRunId: () => randomUUID().replaceAll('-', ''),
    ...(props.registry ? { registry: props.registry } : {}),
  });
  const call: Call = async (method, path, body) => {
    const [rawPath, rawQueryString = ''] = path.split('?');
    const route = matchRoute(method, rawPath);
    if (!route) throw new Error(`no route ${method} ${rawPath}`);
    const event = buildHttpApiEvent(
      {
        method,
        rawPath,
        rawQueryString,
        // Bytes go as the client PUTs a file to the artifact proxy; anything else as JSON.
        headers: {
          'content-type': body instanceof Uint8Array ? 'application/octet-stream' : 'application/json',
        },
        body:
          body instanceof Uint8Array
            ? Buffer.from(body)
            : Buffer.from(body === undefined ? '' : JSON.stringify(body)),
        sourceIp: '127.0.0.1',
      },
      route,
      { accessKeyId: 'AKIATEST', principalArn: ALICE },
    );
    const result = await handler(event, localContext('tracking'));
    if (result.isBase64Encoded || result.statusCode === 307) {
      const bytes = Buffer.from(result.body ?? '', 'base64');
      return { status: result.statusCode, body: bytes, headers: result.headers };
    }
    return { status: result.statusCode, body: result.body ? JSON.parse(result.body) : undefined };
  };
  return { call, store, handler };
}
