/**
 * The local platform's own routes (`/_local/...`: alerts, rules), which exist on `npm start` only
 * and so are not in the API's OpenAPI document the typed client is generated from: signed the
 * same way, through the client's `signingFetch`.
 */
import { signingFetch, toApiError } from '../client';

export interface LocalRoutes {
  get<T>(path: string): Promise<T>;
  post<T>(path: string): Promise<T>;
}

export function localRoutes(
  baseUrl: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
): LocalRoutes {
  // The local API server checks signatures for region us-east-1.
  const send = signingFetch({ region: 'us-east-1', credentials });
  const call = async <T>(method: string, path: string): Promise<T> => {
    const response = await send(new Request(`${baseUrl}${path}`, { method }));
    const text = await response.text();
    const body = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw toApiError(response.status, body);
    return body as T;
  };
  return { get: (path) => call('GET', path), post: (path) => call('POST', path) };
}
