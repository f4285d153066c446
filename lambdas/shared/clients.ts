/**
 * AWS SDK v3 clients, built once per container and reused across invocations (connection reuse).
 * Endpoints come from env so local mode changes only env, never code. The S3 client is in
 * `s3-client.ts`, which only modules imported on demand import: most requests send S3 nothing. Every client has timeouts,
 * so a stalled dependency (a socket that accepts and never answers) fails the request in bounded
 * time, as a 503 the caller may retry, instead of holding it until the function times out.
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-reusing-connections.html
 * @see https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ENV } from '../../contracts/env';
import { traced } from './tracing';

const endpoint = (name: string) => process.env[name] || undefined;

/**
 * Timeouts of calls to request/response APIs (DynamoDB, EventBridge, SSM, Step Functions,
 * CloudWatch, SageMaker's control plane), each attempt: 1 s to connect (an in-region TCP connect
 * takes milliseconds; one that takes a second is a dead endpoint) and 3 s to the response's headers
 * (these APIs answer in milliseconds to tens of milliseconds; 3 s is far past their tail). With
 * {@link API_MAX_ATTEMPTS} attempts and the SDK's backoff, a call gives up within about 16 s, under
 * the API functions' 30 s timeout and API Gateway's 30 s integration timeout, so the caller gets a
 * 503 rather than a gateway timeout.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
export const API_CALL_TIMEOUTS = {
  connectionTimeout: 1_000,
  requestTimeout: 3_000,
  throwOnRequestTimeout: true,
} as const;

/** Attempts per API call (the first and its retries), for throttling and transient faults. */
export const API_MAX_ATTEMPTS = 5;

/**
 * Timeouts of object transfers (S3): 1 s to connect and 5 s without a byte either way. Not a cap
 * on the whole request, since a model artifact or a training set may take minutes to stream; a
 * stalled server sends nothing and is cut after 5 s idle.
 */
export const TRANSFER_TIMEOUTS = { connectionTimeout: 1_000, socketTimeout: 5_000 } as const;

/**
 * Timeouts of model invocations (SageMaker InvokeEndpoint): 1 s to connect, 25 s to the answer,
 * under API Gateway's 30 s integration timeout; a model legitimately computes for seconds, so the
 * API-call cap would cut real predictions. Attempts stay the caller's choice.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/realtime-endpoints-test-endpoints.html
 */
export const INVOKE_TIMEOUTS = {
  connectionTimeout: 1_000,
  requestTimeout: 25_000,
  throwOnRequestTimeout: true,
} as const;

/**
 * The request handler options and attempts every client of the platform is built with; spread
 * into a client's config (`new SFNClient({ ...withTimeouts(), endpoint })`).
 */
export function withTimeouts(kind: 'api' | 'transfer' | 'invoke' = 'api') {
  if (kind === 'transfer') return { requestHandler: { ...TRANSFER_TIMEOUTS } };
  if (kind === 'invoke') return { requestHandler: { ...INVOKE_TIMEOUTS } };
  return { requestHandler: { ...API_CALL_TIMEOUTS }, maxAttempts: API_MAX_ATTEMPTS };
}

let dynamo: DynamoDBClient | undefined;
let document: DynamoDBDocumentClient | undefined;
let eventBridge: EventBridgeClient | undefined;

export function dynamoDbClient(): DynamoDBClient {
  dynamo ??= traced(new DynamoDBClient({ ...withTimeouts(), endpoint: endpoint(ENV.dynamoDbEndpoint) }));
  return dynamo;
}

export function documentClient(): DynamoDBDocumentClient {
  document ??= DynamoDBDocumentClient.from(dynamoDbClient(), {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
  });
  return document;
}

export function eventBridgeClient(): EventBridgeClient {
  eventBridge ??= traced(
    new EventBridgeClient({ ...withTimeouts(), endpoint: endpoint(ENV.eventBridgeEndpoint) }),
  );
  return eventBridge;
}

/** Reads a required env var; a missing one is a deployment bug, so it fails loudly at cold start. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is not set`);
  return value;
}
