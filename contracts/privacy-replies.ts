/**
 * What each privacy route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `privacy-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import { ErasureResponse } from './privacy-responses';
import type { PRIVACY_ROUTES } from './privacy-routes';
import type { RouteReplies } from './route-declaration';

export const PRIVACY_REPLIES = {
  CreateErasure: { response: ErasureResponse },
  GetErasure: { response: ErasureResponse },
} as const satisfies RouteReplies<typeof PRIVACY_ROUTES>;
