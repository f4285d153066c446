/**
 * What each approval route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `approval-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import { ApprovalRequestResponse } from './approval-responses';
import type { APPROVAL_ROUTES } from './approval-routes';
import { lazySchema } from './lazy-schema';
import { page } from './pages';
import type { RouteReplies } from './route-declaration';

export const APPROVAL_REPLIES = {
  ListApprovals: { response: lazySchema(() => page(ApprovalRequestResponse)) },
  GetApproval: { response: ApprovalRequestResponse },
  DecideApproval: { response: ApprovalRequestResponse },
} as const satisfies RouteReplies<typeof APPROVAL_ROUTES>;
