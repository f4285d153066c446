/**
 * What each pipeline route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `pipeline-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import {
  RetrainingRunListResponse,
  RetrainingRunResponse,
  StartRunResponse,
  StopRunResponse,
} from './pipeline-responses';
import type { PIPELINE_ROUTES } from './pipeline-routes';
import type { RouteReplies } from './route-declaration';

export const PIPELINE_REPLIES = {
  StartRetrainingRun: { response: StartRunResponse },
  ListRetrainingRuns: { response: RetrainingRunListResponse },
  GetRetrainingRun: { response: RetrainingRunResponse },
  StopRetrainingRun: { response: StopRunResponse },
} as const satisfies RouteReplies<typeof PIPELINE_ROUTES>;
