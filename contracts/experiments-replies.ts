/**
 * What each experiments route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `experiments-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import {
  ExperimentAwaitingApprovalResponse,
  ExperimentResponse,
  ExperimentResultsResponse,
  OutcomeBatchResponse,
} from './experiments-responses';
import type { EXPERIMENTS_ROUTES } from './experiments-routes';
import { lazySchema } from './lazy-schema';
import { page } from './pages';
import type { RouteReplies } from './route-declaration';

export const EXPERIMENTS_REPLIES = {
  CreateExperiment: { response: ExperimentResponse },
  ListExperiments: { response: lazySchema(() => page(ExperimentResponse)) },
  GetExperiment: { response: ExperimentResponse },
  StartExperiment: { response: ExperimentResponse },
  StopExperiment: { response: ExperimentResponse },
  ConcludeExperiment: { response: ExperimentResponse, accepted: ExperimentAwaitingApprovalResponse },
  RecordOutcomes: { response: OutcomeBatchResponse },
  GetExperimentResults: { response: ExperimentResultsResponse },
  GetExperimentReport: {},
} as const satisfies RouteReplies<typeof EXPERIMENTS_ROUTES>;
