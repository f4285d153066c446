/**
 * A function for the local runtime's tests, built as the platform's are (its router and logger):
 * `POST /waits/{ms}` logs, waits that long, logs again. Concurrent requests in one worker
 * interleave their lines, each of which must carry its own request's `correlation_id`.
 */
import * as z from 'zod';
import type { RouteDeclaration } from '../../contracts/routes';
import { ok } from '../../lambdas/shared/http';
import { logger } from '../../lambdas/shared/logger';
import { makeRouter } from '../../lambdas/shared/router';

const ROUTES = [
  {
    id: 'Wait',
    method: 'POST',
    path: '/waits/{ms}',
    function: 'registry',
    summary: 'Logs, waits, logs',
    params: z.object({ ms: z.coerce.number().int().min(0).max(5_000) }),
    body: false,
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];

export const handler = makeRouter(ROUTES, {
  Wait: async ({ params }) => {
    logger.warn('waiting', { ms: params.ms });
    await new Promise((resolve) => setTimeout(resolve, params.ms));
    logger.warn('waited', { ms: params.ms });
    return ok({ correlationId: logger.getCorrelationId() });
  },
});
