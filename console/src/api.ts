/**
 * The console's API client: the typed client's paths and operations (generated from the OpenAPI
 * document into `client/api-types.ts`), each request signed with SigV4 by the client's own signing
 * fetch. Pages call it through `read`, which turns an answer outside 2xx into an `ApiError` with
 * the platform's code, shown on the page as one line.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { operations, paths } from '../../client/api-types';

export type ConsoleClient = Client<paths>;

/** The body of an operation's 200 answer. */
export type Ok<K extends keyof operations> = operations[K]['responses'] extends {
  200: { content: { 'application/json': infer T } };
}
  ? T
  : never;

/**
 * Items per page: the list routes' largest `limit`, so a page is one request whatever the total
 * (10,000 versions are 100 pages, and the console fetches the one it shows).
 */
export const PAGE_SIZE = 100;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function consoleClient(
  baseUrl: string,
  fetch: (request: Request) => Promise<Response>,
): ConsoleClient {
  return createClient<paths>({ baseUrl: baseUrl.replace(/\/+$/, ''), fetch });
}

/** The body of a 2xx answer; anything else thrown as an `ApiError`. */
export async function read<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const body = error as {
    error?: { code?: string; message?: string };
    error_code?: string;
    message?: string;
  };
  const code = body?.error?.code ?? body?.error_code ?? `HTTP_${response.status}`;
  const message = body?.error?.message ?? body?.message ?? response.statusText;
  throw new ApiError(response.status, code, message);
}

/** The body, or `undefined` for a 404 (a model without aliases, a draft without results). */
export async function readOptional<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T | undefined> {
  try {
    return await read(call);
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 409)) return undefined;
    throw err;
  }
}
