/**
 * The client's `fetch`: signs each request with SigV4 (service `execute-api`, as API Gateway's IAM
 * auth checks) and retries what is safe to retry. A read is always safe; a write only when it
 * carries an Idempotency-Key, whose retries the platform answers with the first attempt's result.
 * A keyed write answered 409 `IDEMPOTENCY_IN_PROGRESS` (its first attempt still running, or cut off
 * by a crash, which holds the key until the function's timeout: 30 s, the LLM API's 60 s) is sent
 * again until it has an answer, for up to 70 s.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export interface SigningFetchOptions {
  readonly region: string;
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Attempts in all, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** The first retry's base delay; each next one doubles, with full jitter. @default 200 */
  readonly baseDelayMs?: number;
  /** What the retries wait with (tests pass a clock of their own). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /**
   * How long a keyed write answered `IDEMPOTENCY_IN_PROGRESS` is sent again, in waits summed.
   * @default 70_000 (past the 60 s the slowest API function, the LLM one, holds a crashed request's key)
   */
  readonly inProgressForMs?: number;
  readonly fetch?: (request: Request) => Promise<Response>;
}

/** Statuses a retry can cure: throttling, and a gateway or dependency not answering. */
const RETRYABLE_STATUS = new Set([429, 502, 503, 504]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Retry-After above this is not waited out: the caller sees the answer and decides. */
const MAX_RETRY_AFTER_MS = 20_000;
/** The wait between tries of a keyed write whose first attempt is still in progress. */
const IN_PROGRESS_WAIT_MS = 1_000;

/** The platform's answer to a keyed write while an attempt of the same key is in progress. */
async function inProgress(response: Response | undefined): Promise<boolean> {
  if (response?.status !== 409) return false;
  try {
    const body = (await response.clone().json()) as { error?: { code?: unknown } };
    return body.error?.code === 'IDEMPOTENCY_IN_PROGRESS';
  } catch {
    return false;
  }
}

export function signingFetch(options: SigningFetchOptions): (request: Request) => Promise<Response> {
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials: options.credentials,
    sha256: Sha256,
  });
  const send = options.fetch ?? ((request: Request) => fetch(request));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const inProgressForMs = options.inProgressForMs ?? 70_000;

  return async (request: Request): Promise<Response> => {
    const body = request.body === null ? undefined : await request.text();
    const keyed = request.headers.has('idempotency-key');
    const retryable = SAFE_METHODS.has(request.method) || keyed;
    let waitedInProgress = 0;
    for (let attempt = 1; ; attempt++) {
      // Signed anew each attempt: a signature is valid for 15 minutes from its own date.
      const signed = await sign(signer, request, body);
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await send(signed);
      } catch (err) {
        failure = err;
      }
      if (keyed && waitedInProgress < inProgressForMs && (await inProgress(response))) {
        await response?.body?.cancel();
        await sleep(IN_PROGRESS_WAIT_MS);
        waitedInProgress += IN_PROGRESS_WAIT_MS;
        attempt--; // not a failure: the attempts left for those stay as they were
        continue;
      }
      const again =
        retryable &&
        attempt < maxAttempts &&
        (failure !== undefined || RETRYABLE_STATUS.has(response!.status));
      if (!again) {
        if (failure !== undefined) throw failure;
        return response!;
      }
      const wait = retryAfterMs(response) ?? Math.random() * baseDelayMs * 2 ** (attempt - 1);
      if (wait > MAX_RETRY_AFTER_MS) return response!;
      await response?.body?.cancel();
      await sleep(wait);
    }
  };
}

async function sign(signer: SignatureV4, request: Request, body: string | undefined): Promise<Request> {
  const url = new URL(request.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const seen = query[k];
    query[k] = seen === undefined ? v : [seen].flat().concat(v);
  }
  const headers: Record<string, string> = { host: url.host };
  request.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    // The signer escapes the path itself, as API Gateway canonicalizes it.
    path: decodeURIComponent(url.pathname),
    query,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  // `host` is the URL's; fetch refuses to be told it.
  const { host: _host, ...sent } = signed.headers;
  return new Request(url, { method: request.method, headers: sent, body });
}

/** A 429's or 503's Retry-After (seconds, or an HTTP date), in milliseconds. */
function retryAfterMs(response: Response | undefined): number | undefined {
  const value = response?.headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
