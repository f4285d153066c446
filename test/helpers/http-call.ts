/**
 * Calls a route handler in process as API Gateway would: the event is built by the same code and
 * route matching as the local API server (`local/api-event.ts`, `matchRoute`), signed by `caller`,
 * so a test sees what Lambda sees. JSON replies are parsed; HTML replies are returned as text.
 */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../lambdas/shared/http';
import { buildHttpApiEvent, localContext } from '../../local/api-event';
import { matchRoute } from '../../local/api-server';

export const ALICE = 'arn:aws:iam::123456789012:user/alice';

export interface HttpReply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests assert on response bodies field by field
  readonly body: any;
}

/** `call(method, path?query, body, headers)`; a string body is sent as is, anything else as JSON. */
export type HttpCall = (
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<HttpReply>;

export function httpCaller(
  handler: (event: HttpEvent, context: Context) => Promise<HttpResult>,
  options: {
    /** The function name the Lambda context carries. */
    readonly functionName: string;
    /** @default ALICE */
    readonly principalArn?: string;
  },
): HttpCall {
  return async (method, path, body, headers = {}) => {
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
      { accessKeyId: 'AKIATEST', principalArn: options.principalArn ?? ALICE },
    );
    const result = await handler(event, localContext(options.functionName));
    const text = result.body ?? '';
    const html = String(result.headers?.['content-type']).startsWith('text/html');
    return {
      status: result.statusCode,
      body: html ? text : text ? JSON.parse(text) : undefined,
    };
  };
}
