/**
 * HTTP API (payload v2) helpers: parse bodies and parameters with contract schemas, shape JSON
 * responses. Parse failures become 400s with every problem listed.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type * as z from 'zod';
import { BadRequestError, type ErrorBody } from './errors';

export type HttpEvent = APIGatewayProxyEventV2WithIAMAuthorizer;
export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number };

const JSON_HEADERS = { 'content-type': 'application/json' };

export const json = (statusCode: number, body: unknown): HttpResult => ({
  statusCode,
  headers: JSON_HEADERS,
  body: JSON.stringify(body),
});
export const ok = (body: unknown) => json(200, body);
export const created = (body: unknown) => json(201, body);
export const noContent = (): HttpResult => ({ statusCode: 204, headers: {}, body: '' });
export const errorResponse = (status: number, body: ErrorBody) => json(status, body);

/**
 * Lambda's payload quota for a synchronous invocation, each way: a larger response fails the
 * invocation, which API Gateway answers 502.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
 */
export const MAX_LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Bytes of a Lambda payload: the JSON the invocation carries (a JSON body is escaped in it). */
export const payloadBytes = (payload: unknown): number => Buffer.byteLength(JSON.stringify(payload));

/** Validates a value with a schema; a failure is a 400 `INVALID_REQUEST` naming each field. */
export function parseWith<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => ({
    field: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  const first = details[0];
  throw new BadRequestError('INVALID_REQUEST', `${first.field}: ${first.message}`, { details });
}

/**
 * How deep a request body may nest objects and arrays. No route's schema goes past a dozen levels;
 * the limit keeps recursive code after parsing (zod, the invokers, `JSON.stringify`) off the stack
 * limit, where a body 10,000 levels deep would otherwise fail as a 500.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The JSON body of a request; a missing or malformed body is a 400, and so is one that nests
 * deeper than {@link MAX_JSON_DEPTH}, refused before it is parsed.
 */
export function jsonBody(event: HttpEvent): unknown {
  if (event.body === undefined || event.body === '') {
    throw new BadRequestError('INVALID_REQUEST', 'request body is required (JSON)');
  }
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BadRequestError('INVALID_REQUEST', `body: nests deeper than ${MAX_JSON_DEPTH} levels`, {
      details: [{ field: 'body', message: `nests deeper than ${MAX_JSON_DEPTH} levels` }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new BadRequestError('INVALID_JSON', 'request body is not valid JSON', { cause });
  }
}

/**
 * Whether JSON text opens more than `limit` objects or arrays inside each other, by one pass over
 * the characters (brackets inside strings do not count): no recursion, whatever the input.
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The caller's IAM principal as API Gateway's IAM authorizer reports it. */
export const principalOf = (event: HttpEvent): string =>
  event.requestContext.authorizer?.iam?.userArn ?? event.requestContext.authorizer?.iam?.userId ?? 'unknown';

/** Who is acting and in which request, for audit records. */
export const actorOf = (event: HttpEvent): { principal: string; requestId?: string } => ({
  principal: principalOf(event),
  requestId: event.requestContext.requestId,
});

/** Opaque pagination tokens: base64url JSON of a DynamoDB LastEvaluatedKey. */
export const encodePageToken = (key: Record<string, unknown> | undefined): string | undefined =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;

export function decodePageToken(token: string | undefined): Record<string, unknown> | undefined {
  if (token === undefined) return undefined;
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError('INVALID_PAGE_TOKEN', 'nextToken is not a token this API issued');
}

/**
 * Runs a paged read from a caller's token. A token decodes to any JSON object, so a forged one
 * can name attributes or types the table's key does not have; DynamoDB refuses that with a
 * ValidationException, which is the caller's bad token (400), not a failure (500).
 */
export async function readPage<T>(
  token: string | undefined,
  read: (startKey: Record<string, unknown> | undefined) => Promise<T>,
): Promise<T> {
  const startKey = decodePageToken(token);
  try {
    return await read(startKey);
  } catch (cause) {
    if (startKey && (cause as Error | undefined)?.name === 'ValidationException') {
      throw new BadRequestError('INVALID_PAGE_TOKEN', 'nextToken is not a token this API issued', { cause });
    }
    throw cause;
  }
}
