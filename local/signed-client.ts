/** A SigV4-signing HTTP client for the API, as an AWS SDK or `curl --aws-sigv4` caller would be. */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export interface SignedClient {
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
    // biome-ignore lint/suspicious/noExplicitAny: callers read response bodies field by field
  ): Promise<{ status: number; body: any }>;
}

export function signedClient(
  baseUrl: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
): SignedClient {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'us-east-1',
    credentials,
    sha256: Sha256,
  });
  const base = new URL(baseUrl);
  return {
    async call(method, path, body, headers = {}) {
      const url = new URL(path, base);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const query: Record<string, string> = {};
      for (const [k, v] of url.searchParams) query[k] = v;
      const signed = await signer.sign({
        method,
        protocol: 'http:',
        hostname: base.hostname,
        port: Number(base.port),
        path: decodeURIComponent(url.pathname),
        query,
        headers: {
          host: base.host,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(payload ? { body: payload } : {}),
      });
      const res = await fetch(url, { method, headers: signed.headers, body: payload });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    },
  };
}
