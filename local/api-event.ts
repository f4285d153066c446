/**
 * Builds the API Gateway HTTP API (payload format 2.0) event and Lambda context that a handler
 * receives on AWS, from a request the local server accepted.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Context } from 'aws-lambda';
import type { HttpEvent } from '../lambdas/shared/http';

const TEXT_TYPES = /^(application\/(json|.*\+json|x-www-form-urlencoded|xml)|text\/)/;

export interface LocalRequest {
  readonly method: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly sourceIp: string;
}

export interface Caller {
  readonly accessKeyId: string;
  readonly principalArn: string;
}

export function buildHttpApiEvent(
  req: LocalRequest,
  route: { routeKey: string; pathParameters: Record<string, string> },
  caller: Caller,
): HttpEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const query: Record<string, string> = {};
  // API Gateway joins repeated query parameters with commas.
  for (const [k, v] of new URLSearchParams(req.rawQueryString))
    query[k] = k in query ? `${query[k]},${v}` : v;
  const now = new Date();
  const isText = req.body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? 'application/json');
  const account = caller.principalArn.split(':')[4] || '000000000000';
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: req.rawPath,
    rawQueryString: req.rawQueryString,
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(route.pathParameters).length ? { pathParameters: route.pathParameters } : {}),
    requestContext: {
      accountId: account,
      apiId: 'local',
      authorizer: {
        iam: {
          accessKey: caller.accessKeyId,
          accountId: account,
          callerId: caller.accessKeyId,
          cognitoIdentity: null as never,
          principalOrgId: null as never,
          userArn: caller.principalArn,
          userId: caller.accessKeyId,
        },
      },
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: req.method,
        path: req.rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: req.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    ...(req.body.length ? { body: isText ? req.body.toString('utf8') : req.body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  } as HttpEvent;
}

/** A Lambda context with the function's timeout, so Powertools sees the remaining time. */
export function localContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
