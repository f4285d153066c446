/**
 * The privacy routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { ErasureId, ErasureRequest } from './privacy';
import type { RouteDeclaration } from './routes';

export const PRIVACY_ROUTES = [
  {
    id: 'CreateErasure',
    method: 'POST',
    path: '/privacy/erasures',
    function: 'privacy',
    summary:
      'Erase entities everywhere (online, offline, captured inferences, ground truth) and tombstone them; 202 with the erasure',
    body: ErasureRequest,
    response: { status: 202 },
  },
  {
    id: 'GetErasure',
    method: 'GET',
    path: '/privacy/erasures/{erasureId}',
    function: 'privacy',
    summary: 'An erasure: status, and once COMPLETED what it removed and flagged (the receipt)',
    params: lazySchema(() => z.object({ erasureId: ErasureId })),
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
