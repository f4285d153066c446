import { execFile, execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { generateLocalCredentials, type SignedRequest, verifySigV4 } from '../../../local/sigv4';

const CREDENTIAL = {
  accessKeyId: 'AKIALOCALTEST0000001',
  secretAccessKey: 'local-secret-for-tests-only-0123456789ab',
  principalArn: 'arn:aws:iam::000000000000:user/tester',
};
const NOW = new Date('2026-11-24T10:00:00Z');
const HOST = '127.0.0.1:3000';

/** Signs like an SDK client would and returns what a node server would hand to the verifier. */
async function signedRequest(
  input: {
    method?: string;
    path?: string;
    rawQuery?: string;
    body?: string;
    secret?: string;
    at?: Date;
    applyChecksum?: boolean;
  } = {},
): Promise<SignedRequest> {
  const {
    method = 'POST',
    path = '/models/churn/versions',
    rawQuery = '',
    body = '{"stage":"None"}',
  } = input;
  const query = parseQuery(rawQuery);
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'us-east-1',
    credentials: {
      accessKeyId: CREDENTIAL.accessKeyId,
      secretAccessKey: input.secret ?? CREDENTIAL.secretAccessKey,
    },
    sha256: Sha256,
    applyChecksum: input.applyChecksum ?? true,
  });
  const signed = await signer.sign(
    {
      method,
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 3000,
      path,
      query: { ...query },
      headers: { host: HOST, 'content-type': 'application/json' },
      body,
    },
    { signingDate: input.at ?? NOW },
  );
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, path, query, headers, body: Buffer.from(body) };
}

/** Parses a raw query as a server does, keeping the order of the wire. */
function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    const prior = query[key];
    query[key] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [prior]), value];
  }
  return query;
}

const options = { credentials: [CREDENTIAL], now: NOW };

describe('verifySigV4', () => {
  it('accepts a request signed by @smithy/signature-v4 and names the principal', async () => {
    // Prepare
    const request = await signedRequest();

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toEqual({
      ok: true,
      principalArn: CREDENTIAL.principalArn,
      accessKeyId: CREDENTIAL.accessKeyId,
    });
  });

  it('accepts query parameters that arrive out of order, and repeated keys', async () => {
    // Prepare
    const request = await signedRequest({ method: 'GET', body: '', rawQuery: 'z=last&a=first&m=1&m=0' });
    expect(Object.keys(request.query)).toEqual(['z', 'a', 'm']);

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['as curl does (path encoded once)', '/models/a b'],
    ['as the SDKs do (path encoded twice)', '/models/a%20b'],
  ])('accepts a path with characters that need encoding, signed %s', async (_, signedPath) => {
    // Prepare: the server hands over the decoded path either way
    const request = {
      ...(await signedRequest({ method: 'GET', body: '', path: signedPath })),
      path: '/models/a b',
    };

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result.ok).toBe(true);
  });

  it.each([
    ['with x-amz-content-sha256 (SDK default)', true, "'x-amz-content-sha256' header does not match"],
    ['without x-amz-content-sha256 (as curl)', false, 'signature we calculated does not match'],
  ])('fails a request whose body was changed after signing, %s', async (_, applyChecksum, reason) => {
    // Prepare
    const request = {
      ...(await signedRequest({ applyChecksum })),
      body: Buffer.from('{"stage":"Production"}'),
    };

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining(reason),
      errorType: 'InvalidSignatureException',
    });
  });

  it('fails a request whose path was changed after signing', async () => {
    // Prepare
    const request = { ...(await signedRequest()), path: '/models/other/versions' };

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('signature we calculated does not match'),
      errorType: 'InvalidSignatureException',
    });
  });

  it('fails a request signed with the wrong secret', async () => {
    // Prepare
    const request = await signedRequest({ secret: 'not-the-secret' });

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('signature we calculated does not match'),
      errorType: 'InvalidSignatureException',
    });
  });

  it('fails an unknown access key', async () => {
    // Prepare
    const request = await signedRequest();

    // Act
    const result = await verifySigV4(request, { ...options, credentials: [generateLocalCredentials()] });

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: 'The security token included in the request is invalid.',
      errorType: 'UnrecognizedClientException',
    });
  });

  it.each([14, -14])('accepts a clock %i minutes off, within the 15 minutes AWS allows', async (minutes) => {
    // Prepare
    const request = await signedRequest({ at: new Date(NOW.getTime() - minutes * 60_000) });

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result.ok).toBe(true);
  });

  it('fails a signature older than the allowed skew, in the words of AWS', async () => {
    // Prepare
    const request = await signedRequest({ at: new Date(NOW.getTime() - 16 * 60_000) });

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason:
        'Signature expired: 20261124T094400Z is now earlier than 20261124T094500Z (20261124T100000Z - 15 min.)',
      errorType: 'InvalidSignatureException',
    });
  });

  it('fails a signature from further in the future than the allowed skew', async () => {
    // Prepare
    const request = await signedRequest({ at: new Date(NOW.getTime() + 16 * 60_000) });

    // Act
    const result = await verifySigV4(request, options);

    // Assess
    expect(result).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^Signature not yet current: 20261124T101600Z is still later than/),
    });
  });

  it('fails two Authorization headers, even when the first one is valid', async () => {
    // Prepare: Node hands repeated headers as an array when asked for them all
    const request = await signedRequest();
    const forged = (await signedRequest({ secret: 'not-the-secret' })).headers.authorization as string;
    const headers = { ...request.headers, authorization: [request.headers.authorization as string, forged] };

    // Act
    const result = await verifySigV4({ ...request, headers }, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: 'Authorization header must appear once.',
      errorType: 'IncompleteSignatureException',
    });
  });

  it('fails a session token the credential does not have, signed or not', async () => {
    // Prepare: the local credentials are long-term keys; no token was ever issued for them
    const signer = new SignatureV4({
      service: 'execute-api',
      region: 'us-east-1',
      credentials: { ...CREDENTIAL, sessionToken: 'invented' },
      sha256: Sha256,
    });
    const signed = await signer.sign(
      {
        method: 'GET',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: 3000,
        path: '/models',
        query: {},
        headers: { host: HOST },
      },
      { signingDate: NOW },
    );
    const headers = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
    const request = { method: 'GET', path: '/models', query: {}, headers, body: '' };

    // Act
    const refused = await verifySigV4(request, options);
    const issued = await verifySigV4(request, {
      ...options,
      credentials: [{ ...CREDENTIAL, sessionToken: 'invented' }],
    });

    // Assess
    expect(headers['x-amz-security-token']).toBe('invented');
    expect(refused).toEqual({
      ok: false,
      reason: 'The security token included in the request is invalid.',
      errorType: 'UnrecognizedClientException',
    });
    expect(issued.ok).toBe(true);
  });

  it('fails a request without Authorization as API Gateway does', async () => {
    // Prepare
    const { authorization: _, ...headers } = (await signedRequest()).headers;

    // Act
    const result = await verifySigV4({ ...(await signedRequest()), headers }, options);

    // Assess
    expect(result).toEqual({
      ok: false,
      reason: 'Missing Authentication Token',
      errorType: 'MissingAuthenticationTokenException',
    });
  });

  it.each([
    ['region', { region: 'eu-west-1' }, /scoped to a valid region/],
    ['service', { service: 'lambda' }, /scoped to correct service: 'lambda'/],
  ])('fails a credential scoped to another %s', async (_, override, reason) => {
    // Prepare
    const request = await signedRequest();

    // Act
    const result = await verifySigV4(request, { ...options, ...override });

    // Assess
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('generates distinct AKIALOCAL credentials of AWS shape', () => {
    // Act
    const [a, b] = [generateLocalCredentials(), generateLocalCredentials()];

    // Assess
    expect(a.accessKeyId).toMatch(/^AKIALOCAL[A-Z2-7]{11}$/);
    expect(a.secretAccessKey).toHaveLength(40);
    expect(a.accessKeyId).not.toBe(b.accessKeyId);
    expect(a.secretAccessKey).not.toBe(b.secretAccessKey);
  });
});

describe('verifySigV4 with curl --aws-sigv4', () => {
  const curlSigns = curlSupportsSigV4();
  let server: Server;
  let port: number;
  let verified: Promise<unknown>;

  beforeAll(async () => {
    if (!curlSigns) return;
    // A tiny server that hands the request to the verifier as the local API server will.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://placeholder');
        verified = verifySigV4(
          {
            method: req.method ?? 'GET',
            path: decodeURIComponent(url.pathname),
            query: parseQuery(url.search),
            headers: req.headers,
            body: Buffer.concat(chunks),
          },
          { credentials: [CREDENTIAL] },
        );
        verified.then((result) => res.end(JSON.stringify(result)));
      });
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    if (server) await new Promise((res) => server.close(res));
  });

  const title = 'accepts a POST with a query signed by real curl';
  (curlSigns ? it : it.skip)(
    curlSigns ? title : `${title} (SKIPPED: this curl lacks --aws-sigv4)`,
    async () => {
      // Prepare: curl 7.88 signs the query as sent, so send it sorted as SigV4 wants
      const url = `http://127.0.0.1:${port}/models/churn/versions?maxResults=1&prefix=ch`;
      const { accessKeyId, secretAccessKey } = CREDENTIAL;

      // Act
      const { stdout } = await promisify(execFile)('curl', [
        '--silent',
        '--show-error',
        '--aws-sigv4',
        'aws:amz:us-east-1:execute-api',
        '--user',
        `${accessKeyId}:${secretAccessKey}`,
        '-H',
        'content-type: application/json',
        '--data-binary',
        '{"artifactUri":"s3://artifacts/churn/1/model.onnx"}',
        url,
      ]);

      // Assess
      expect(JSON.parse(stdout)).toEqual({ ok: true, principalArn: CREDENTIAL.principalArn, accessKeyId });
    },
  );
});

function curlSupportsSigV4(): boolean {
  try {
    return execFileSync('curl', ['--help', 'all'], { encoding: 'utf8' }).includes('--aws-sigv4');
  } catch {
    return false;
  }
}
