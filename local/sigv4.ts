import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

/** A credential the local API accepts, and the IAM principal it stands for. */
export interface LocalCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** What a handler sees as the caller, as API Gateway's `requestContext.identity.userArn`. */
  readonly principalArn: string;
  /**
   * The session token of temporary credentials (STS), which a request must then send, signed, as
   * `x-amz-security-token`. A request sending a token its credential does not have is refused.
   * @default - long-term credentials: no token, and a request carrying one is refused
   */
  readonly sessionToken?: string;
}

/** An HTTP request as the local server received it. */
export interface SignedRequest {
  readonly method: string;
  /** The path, percent-decoded once (`/models/a b`, not `/models/a%20b`), without the query. */
  readonly path: string;
  /** Decoded query parameters; a repeated key holds an array. */
  readonly query: Readonly<Record<string, string | string[]>>;
  /** Headers with lower-case names, as `http.IncomingMessage.headers` gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer | string;
}

/** Options for {@link verifySigV4}. */
export interface VerifySigV4Options {
  readonly credentials: readonly LocalCredential[];
  /**
   * Region the credential scope must name.
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * Service the credential scope must name.
   * @default 'execute-api'
   */
  readonly service?: string;
  /**
   * The server's clock, for the skew check.
   * @default - new Date()
   */
  readonly now?: Date;
  /**
   * Largest accepted difference between `x-amz-date` and `now`, either way.
   * @default 900_000 (15 minutes, as AWS services accept)
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-troubleshooting.html
   */
  readonly maxSkewMs?: number;
}

/**
 * What API Gateway puts in the `x-amzn-errortype` header of a 403 from IAM authorization.
 * @see https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden
 */
export type SigV4ErrorType =
  | 'MissingAuthenticationTokenException'
  | 'IncompleteSignatureException'
  | 'InvalidSignatureException'
  | 'UnrecognizedClientException';

/** Outcome of {@link verifySigV4}: the caller, or why the request is refused (answer 403). */
export type SigV4Verification =
  | { readonly ok: true; readonly principalArn: string; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: string; readonly errorType: SigV4ErrorType };

type SignableRequest = Parameters<SignatureV4['presign']>[0];

const ALGORITHM = 'AWS4-HMAC-SHA256';
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method.';

/**
 * Verifies an AWS Signature Version 4 `Authorization` header the way API Gateway's IAM
 * authorization does, for the local API server. Accepts what the AWS SDKs (`@smithy/signature-v4`,
 * `aws4`) and `curl --aws-sigv4 "aws:amz:<region>:execute-api"` send.
 *
 * The request is rebuilt from the headers named in `SignedHeaders` only (`host` with its port),
 * the path (encoded once as curl signs it, or twice as the SDKs do) and the query (the signer
 * sorts it, so the order on the wire does not matter), then signed again with the caller's secret
 * at the `x-amz-date` instant; the two signatures are compared in constant time. A signed
 * `x-amz-content-sha256` must be the SHA-256 of the body. The result is a promise because the
 * signer's hashing is asynchronous.
 *
 * curl 7.88 signs the query in wire order rather than sorted, so a curl request verifies only
 * when its query is sent sorted. Refusals use API Gateway's wording where it has one. Presigned
 * (query-string) requests are not accepted: the local API has no use for them.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
export async function verifySigV4(
  request: SignedRequest,
  options: VerifySigV4Options,
): Promise<SigV4Verification> {
  const refuse = (
    reason: string,
    errorType: SigV4ErrorType = 'IncompleteSignatureException',
  ): SigV4Verification => ({
    ok: false,
    reason,
    errorType,
  });
  const region = options.region ?? 'us-east-1';
  const service = options.service ?? 'execute-api';

  const authorizations = request.headers.authorization;
  // Node keeps only the first of repeated Authorization headers; the server passes them all
  // (`headersDistinct`), and a request carrying two is ambiguous, so refused rather than guessed.
  if (Array.isArray(authorizations) && authorizations.length > 1) {
    return refuse('Authorization header must appear once.');
  }
  const authorization = single(authorizations);
  if (!authorization) return refuse('Missing Authentication Token', 'MissingAuthenticationTokenException');
  const auth = parseAuthorization(authorization);
  if (typeof auth === 'string') return refuse(auth);

  const scope = auth.credential.split('/');
  const [accessKeyId, scopeDate, scopeRegion, scopeService, terminator] = scope;
  if (scope.length !== 5 || !accessKeyId || !scopeDate || terminator !== 'aws4_request') {
    return refuse(
      `Authorization header requires Credential in the form AKID/date/region/service/aws4_request.`,
    );
  }
  if (scopeRegion !== region) {
    return refuse(
      `Credential should be scoped to a valid region. Expected '${region}', got '${scopeRegion}'.`,
    );
  }
  if (scopeService !== service) {
    return refuse(`Credential should be scoped to correct service: '${service}'.`);
  }
  const credential = options.credentials.find((c) => c.accessKeyId === accessKeyId);
  if (!credential) return refuse(INVALID_TOKEN, 'UnrecognizedClientException');
  // A session token only temporary credentials have: one the platform never issued, or one
  // missing or left unsigned, is refused as IAM does.
  const sessionToken = single(request.headers['x-amz-security-token']);
  if (sessionToken !== credential.sessionToken) return refuse(INVALID_TOKEN, 'UnrecognizedClientException');
  if (sessionToken !== undefined && !auth.signedHeaders.includes('x-amz-security-token')) {
    return refuse("'X-Amz-Security-Token' must be a signed header.");
  }

  if (!auth.signedHeaders.includes('host')) return refuse("'Host' must be a signed header.");
  if (!auth.signedHeaders.includes('x-amz-date')) return refuse("'X-Amz-Date' must be a signed header.");
  const amzDate = single(request.headers['x-amz-date']) ?? '';
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) return refuse(`X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z', got '${amzDate}'.`);
  if (amzDate.slice(0, 8) !== scopeDate) {
    return refuse(
      `Credential should be scoped to a valid date: '${amzDate.slice(0, 8)}', got '${scopeDate}'.`,
    );
  }
  const now = options.now ?? new Date();
  const maxSkewMs = options.maxSkewMs ?? 900_000;
  const minutes = `${Math.round(maxSkewMs / 60_000)} min.`;
  if (signingDate.getTime() < now.getTime() - maxSkewMs) {
    const earliest = formatAmzDate(new Date(now.getTime() - maxSkewMs));
    return refuse(
      `Signature expired: ${amzDate} is now earlier than ${earliest} (${formatAmzDate(now)} - ${minutes})`,
      'InvalidSignatureException',
    );
  }
  if (signingDate.getTime() > now.getTime() + maxSkewMs) {
    const latest = formatAmzDate(new Date(now.getTime() + maxSkewMs));
    return refuse(
      `Signature not yet current: ${amzDate} is still later than ${latest} (${formatAmzDate(now)} + ${minutes})`,
      'InvalidSignatureException',
    );
  }

  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = request.headers[name];
    if (value === undefined) return refuse(`Signed header '${name}' is missing from the request.`);
    // Repeated headers are signed as one comma-separated value.
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // The signer would trust this header for the payload hash; make sure it is the body's.
  const contentSha256 = headers['x-amz-content-sha256'];
  if (contentSha256 !== undefined && contentSha256 !== sha256Hex(request.body)) {
    return refuse(
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
      'InvalidSignatureException',
    );
  }

  const [hostname, port] = splitHost(headers.host);
  const signer = new SignatureV4({
    service,
    region,
    credentials: { accessKeyId, secretAccessKey: credential.secretAccessKey },
    sha256: Sha256,
    // Add no x-amz-content-sha256 the client did not sign.
    applyChecksum: false,
  });
  // The signer encodes the path it is given once more. SigV4 wants the wire path (encoded once)
  // encoded again, which is what the SDKs do; curl 7.88 encodes only once. Given the decoded path
  // the signer matches curl, given it re-encoded it matches the SDKs; both differ only for paths
  // with characters that need encoding.
  const encodedPath = request.path.split('/').map(escapeUri).join('/');
  const paths = encodedPath === request.path ? [request.path] : [request.path, encodedPath];
  const given = Buffer.from(auth.signature);
  for (const path of paths) {
    const toSign: SignableRequest = {
      method: request.method.toUpperCase(),
      protocol: 'http:',
      hostname,
      port,
      path,
      query: { ...request.query },
      headers,
      body: request.body,
    };
    const signed = await signer.sign(toSign, {
      signingDate,
      // Sign exactly what the client signed, even headers the signer skips by default (user-agent).
      signableHeaders: new Set(auth.signedHeaders),
    });
    const expected = Buffer.from(
      /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '',
    );
    if (given.length === expected.length && timingSafeEqual(given, expected)) {
      return { ok: true, principalArn: credential.principalArn, accessKeyId };
    }
  }
  return refuse(MISMATCH, 'InvalidSignatureException');
}

/**
 * Makes a random credential for the local API: an access key id starting `AKIALOCAL`, 20
 * characters like AWS's, and a 40-character secret. The local server prints one at start unless
 * `MLOPS_ACCESS_KEY_ID` and `MLOPS_SECRET_ACCESS_KEY` are set.
 *
 * @param principalArn the caller the credential stands for.
 * @default principalArn 'arn:aws:iam::000000000000:user/local'
 */
export function generateLocalCredentials(
  principalArn = 'arn:aws:iam::000000000000:user/local',
): LocalCredential {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let suffix = '';
  for (let i = 0; i < 11; i++) suffix += alphabet[randomInt(alphabet.length)];
  // base64url keeps the secret free of '/' and '+', which need quoting in shells and config files.
  const secretAccessKey = randomBytes(30).toString('base64url');
  return { accessKeyId: `AKIALOCAL${suffix}`, secretAccessKey, principalArn };
}

interface ParsedAuthorization {
  credential: string;
  signedHeaders: string[];
  signature: string;
}

/** Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=a;b, Signature=hex`; a string is an error. */
function parseAuthorization(header: string): ParsedAuthorization | string {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) {
    return `Authorization header must use ${ALGORITHM}, got '${trimmed.split(' ')[0]}'.`;
  }
  const fields = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [
    credential ? '' : 'Credential',
    signedHeaders ? '' : 'SignedHeaders',
    signature ? '' : 'Signature',
  ].filter(Boolean);
  if (missing.length > 0) {
    return `Authorization header requires ${missing.map((m) => `'${m}'`).join(', ')} parameter(s).`;
  }
  return {
    credential: credential!,
    signedHeaders: signedHeaders!.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature!,
  };
}

function parseAmzDate(value: string): Date | undefined {
  const m = AMZ_DATE.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

function splitHost(host: string): [string, number | undefined] {
  // `[::1]:3000` keeps its brackets in the hostname; the signer only needs the header anyway.
  const m = /^(.*?)(?::(\d+))?$/.exec(host)!;
  return [m[1], m[2] ? Number(m[2]) : undefined];
}

/** RFC 3986 encoding as the SDKs apply to path segments (encodeURIComponent leaves `!'()*`). */
function escapeUri(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sha256Hex(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}
