/**
 * AWS SDK v3 clients, built once per container and reused across invocations (connection reuse).
 * Endpoints come from env so local mode changes only env, never code.
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-reusing-connections.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';

const endpoint = (name: string) => process.env[name] || undefined;

let dynamo: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({ endpoint: endpoint(ENV.dynamoDbEndpoint), maxAttempts: 5 });
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  document ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return document;
}

export function s3Client(): S3Client {
  const local = endpoint(ENV.s3Endpoint);
  // Checksums only when S3 requires them: presigned URLs then carry no empty-body checksum and
  // the local S3 server stores streamed bodies without chunk framing.
  s3 ??= new S3Client({
    endpoint: local,
    forcePathStyle: local !== undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return s3;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= new EventBridgeClient({ endpoint: endpoint(ENV.eventBridgeEndpoint) });
  return eventBridge;
}

/** Reads a required env var; a missing one is a deployment bug, so it fails loudly at cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
