/**
 * Dispatches an HTTP API event to the function declared for its route key, and renders every
 * error in the platform's shape. One Lambda per capability serves all of its routes.
 */
import type { Context } from 'aws-lambda';
import { ROUTES, type RouteId, routeKey } from '../../contracts/routes';
import { NotFoundError, toErrorBody } from './errors';
import { errorResponse, type HttpEvent, type HttpResult } from './http';
import { logger } from './logger';

export type RouteFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Builds a handler from one function per route id; unknown route keys are 404s. */
export function makeRouter(
  routes: Partial<Record<RouteId, RouteFunction>>,
  wrap: (fn: RouteFunction) => RouteFunction = (fn) => fn,
): (event: HttpEvent, context: Context) => Promise<HttpResult> {
  const byKey = new Map<string, RouteFunction>();
  for (const route of ROUTES) {
    const fn = routes[route.id];
    if (fn) byKey.set(routeKey(route), route.method === 'GET' ? fn : wrap(fn));
  }
  return async (event, context) => {
    try {
      const fn = byKey.get(event.routeKey);
      if (!fn) throw new NotFoundError('ROUTE_NOT_FOUND', `no route for ${event.routeKey}`);
      return await fn(event, context);
    } catch (err) {
      const { status, body } = toErrorBody(err);
      if (status >= 500) logger.error('request failed', { routeKey: event.routeKey, error: err as Error });
      return errorResponse(status, body);
    }
  };
}
