/**
 * The local API Gateway's limits, over real HTTP: the HTTP API's 10 MB payload quota (413),
 * Lambda's 6 MB invocation payload each way (500 for an event Lambda refuses, 502 for a response
 * it cannot return), and repeated Authorization headers (403). The function behind it is a plain
 * recorder: what is under test is what the gateway lets through.
 */
import { request as httpRequest } from 'node:http';
import { MAX_LAMBDA_PAYLOAD_BYTES } from '../../../lambdas/shared/http';
import { LocalApiServer, MAX_REQUEST_BYTES } from '../../../local/api-server';
import { signedClient } from '../../../local/signed-client';

const credential = {
  accessKeyId: 'AKIALOCALLIMITS00001',
  secretAccessKey: 'limits-secret-limits-secret-limits-secre',
  principalArn: 'arn:aws:iam::000000000000:user/limits',
};

let server: LocalApiServer;
let url: string;
let invoked = 0;
let replyBytes = 10;

beforeAll(async () => {
  server = new LocalApiServer({
    credentials: [credential],
    invoke: async () => {
      invoked++;
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify('x'.repeat(replyBytes)),
      };
    },
  });
  url = await server.listen(0);
});
afterAll(() => server.close());
beforeEach(() => {
  invoked = 0;
  replyBytes = 10;
});

/** Sends raw bytes with the given header lines (a repeated name is sent repeated). */
function raw(path: string, headers: Record<string, string | string[]>, body = Buffer.alloc(0)) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>(
    (resolve, reject) => {
      const req = httpRequest(`${url}${path}`, { method: 'POST' }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: JSON.parse(Buffer.concat(chunks).toString()),
          }),
        );
      });
      req.on('error', reject);
      for (const [k, v] of Object.entries(headers)) req.setHeader(k, v);
      req.end(body);
    },
  );
}

describe('local API Gateway limits', () => {
  it('answers a body over 10 MB with 413 before authorizing or invoking anything', async () => {
    // Act
    const res = await raw(
      '/models',
      { 'content-type': 'application/json' },
      Buffer.alloc(MAX_REQUEST_BYTES + 1, 0x20),
    );
    // Assess
    expect(res).toMatchObject({ status: 413, body: { message: 'Request Entity Too Large' } });
    expect(invoked).toBe(0);
  });

  it('answers 500 when the event is over what Lambda accepts, as API Gateway does when Lambda refuses the invocation', async () => {
    // Prepare: 7 MB is under API Gateway's quota but over Lambda's
    const api = signedClient(url, credential);
    // Act
    const res = await api.call('POST', '/models', { name: 'big', description: 'x'.repeat(7 * 1024 * 1024) });
    // Assess
    expect(res).toEqual({ status: 500, body: { message: 'Internal Server Error' } });
    expect(invoked).toBe(0);
  });

  it('answers 502 when the function returns more than 6 MB, and passes a response just under it', async () => {
    const api = signedClient(url, credential);
    // Act
    replyBytes = MAX_LAMBDA_PAYLOAD_BYTES;
    const over = await api.call('GET', '/models');
    replyBytes = MAX_LAMBDA_PAYLOAD_BYTES - 1024;
    const under = await api.call('GET', '/models');
    // Assess
    expect(over).toEqual({ status: 502, body: { message: 'Internal Server Error' } });
    expect(under.status).toBe(200);
    expect(invoked).toBe(2);
  });

  it('refuses two Authorization headers with 403 and the error type API Gateway sends', async () => {
    // Prepare: a request that verifies on its own, and a second header after its Authorization
    let signedHeaders: Record<string, string> = {};
    const capture = signedClient(url, credential);
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (_: unknown, init: RequestInit) => {
      signedHeaders = init.headers as Record<string, string>;
      return new Response('{}');
    }) as typeof fetch;
    try {
      await capture.call('POST', '/models', { name: 'dup' });
    } finally {
      globalThis.fetch = realFetch;
    }
    const { authorization, ...rest } = signedHeaders;
    const body = Buffer.from(JSON.stringify({ name: 'dup' }));
    // Act
    const once = await raw('/models', { ...rest, authorization }, body);
    const twice = await raw(
      '/models',
      { ...rest, authorization: [authorization, 'AWS4-HMAC-SHA256 Credential=x'] },
      body,
    );
    // Assess
    expect(once.status).toBe(200);
    expect(twice).toMatchObject({
      status: 403,
      headers: { 'x-amzn-errortype': 'IncompleteSignatureException' },
      body: { message: 'Authorization header must appear once.' },
    });
  });
});
