/**
 * What each features route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `features-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import { GetOnlineFeaturesResponse } from './features';
import {
  FeatureViewFreshnessResponse,
  FeatureViewPageResponse,
  FeatureViewResponse,
  MaterializeResponse,
  PushResponse,
  TrainingSetJobResponse,
} from './features-responses';
import type { FEATURES_ROUTES } from './features-routes';
import type { RouteReplies } from './route-declaration';

export const FEATURES_REPLIES = {
  CreateFeatureView: { response: FeatureViewResponse },
  ListFeatureViews: { response: FeatureViewPageResponse },
  GetFeatureView: { response: FeatureViewResponse },
  UpdateFeatureView: { response: FeatureViewResponse },
  DeleteFeatureView: {},
  GetFeatureViewFreshness: { response: FeatureViewFreshnessResponse },
  PushFeatures: { response: PushResponse },
  GetOnlineFeatures: { response: GetOnlineFeaturesResponse },
  MaterializeFeatureView: { response: MaterializeResponse },
  CreateTrainingSet: { response: TrainingSetJobResponse },
  GetTrainingSet: { response: TrainingSetJobResponse },
} as const satisfies RouteReplies<typeof FEATURES_ROUTES>;
