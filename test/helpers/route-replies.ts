/**
 * Checks a real reply against the route table: the route's success status, and a body its
 * declared response schema parses to exactly the same value (object schemas drop unknown keys,
 * so a field the document does not declare fails too). Integration tests call it on replies they
 * already produce, so the API document is held to what the handlers send.
 */
import * as z from 'zod';
import { ROUTES, type RouteDeclaration, type RouteId } from '../../contracts/routes';

/** A reply as the harnesses return it (`body` parsed), or the handler's own result. */
export type Reply = { readonly status: number; readonly body: unknown } | HandlerResult;
interface HandlerResult {
  readonly statusCode: number;
  readonly headers?: Record<string, unknown>;
  readonly body?: string;
}

const byId = new Map<string, RouteDeclaration>(ROUTES.map((r) => [r.id, r]));

/** The route declaration of `routeId`. */
export function routeOf(routeId: RouteId): RouteDeclaration {
  const route = byId.get(routeId);
  if (!route) throw new Error(`no route ${routeId}`);
  return route;
}

/** Fails unless `reply` is the route's success status with a body its response schema declares. */
export function expectReplyMatchesRoute(routeId: RouteId, reply: Reply): void {
  const route = routeOf(routeId);
  const { status, body } =
    'statusCode' in reply
      ? { status: reply.statusCode, body: reply.body ? JSON.parse(reply.body) : undefined }
      : reply;
  const declared = route.accepted?.status === status ? route.accepted : route.response;
  expect({ routeId, status }).toEqual({ routeId, status: declared.status });
  if (status === 204) return;
  const { schema, contentType = 'application/json' } = declared;
  if (contentType !== 'application/json') return;
  if (!schema) throw new Error(`${routeId} answers JSON but declares no response schema`);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new Error(`${routeId} replied what its response schema refuses:\n${z.prettifyError(parsed.error)}`);
  }
  // Assess: nothing dropped by the parse, i.e. no field the document leaves out.
  expect({ routeId, body: parsed.data }).toEqual({ routeId, body });
}
