/**
 * The typed client of the platform API: every path, parameter and body typed from the OpenAPI
 * document (`client/api-types.ts`), each request signed with SigV4, writes given an
 * Idempotency-Key so a retry after a timeout or a 503 has one effect.
 */
import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { IDEMPOTENT_OPERATIONS, type paths } from './api-types';
import { type Connection, type ConnectionOptions, resolveConnection } from './connection';
import { signingFetch } from './signing-fetch';

export type { components, operations, paths } from './api-types';
export type { Connection, ConnectionOptions, LocalCaller } from './connection';
export { resolveConnection } from './connection';
export { signingFetch } from './signing-fetch';

export type PlatformClient = Client<paths>;

/** An answer outside 2xx, with the platform's error code (or MLflow's `error_code`). */
export class PlatformApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'PlatformApiError';
  }
}

export function platformClient(connection: Connection | ConnectionOptions = {}): PlatformClient {
  const resolved = 'baseUrl' in connection ? connection : resolveConnection(connection);
  const client = createClient<paths>({
    baseUrl: resolved.baseUrl,
    fetch: signingFetch({ region: resolved.region, credentials: resolved.credentials }),
  });
  client.use(idempotencyKeys);
  return client;
}

/** Gives every write that takes an Idempotency-Key one, unless the caller chose its own. */
const idempotencyKeys: Middleware = {
  onRequest({ request, schemaPath }) {
    if (request.headers.has('idempotency-key')) return undefined;
    if (!IDEMPOTENT_OPERATIONS.has(`${request.method} ${schemaPath}`)) return undefined;
    request.headers.set('idempotency-key', randomUUID());
    return request;
  },
};

/** The body of a 2xx answer; anything else thrown as a `PlatformApiError`. */
export async function expectOk<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  throw toApiError(response.status, error);
}

export function toApiError(status: number, body: unknown): PlatformApiError {
  const platform = (body as { error?: { code?: string; message?: string; details?: unknown } })?.error;
  if (platform?.code)
    return new PlatformApiError(status, platform.code, platform.message ?? '', platform.details);
  const mlflow = body as { error_code?: string; message?: string };
  if (mlflow?.error_code) return new PlatformApiError(status, mlflow.error_code, mlflow.message ?? '');
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  return new PlatformApiError(status, `HTTP_${status}`, text.slice(0, 200));
}
