/**
 * What each serving route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `serving-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */

import {
  InferenceResponseBody,
  ModelMetadataResponse,
  ModelReadyResponse,
  ServerLiveResponse,
  ServerReadyResponse,
} from './inference-protocol';
import type { RouteReplies } from './route-declaration';
import type { SERVING_ROUTES } from './serving-routes';

export const SERVING_REPLIES = {
  Predict: { response: InferenceResponseBody },
  ServerLive: { response: ServerLiveResponse },
  ServerReady: { response: ServerReadyResponse },
  ModelMetadata: { response: ModelMetadataResponse },
  ModelReady: { response: ModelReadyResponse },
} as const satisfies RouteReplies<typeof SERVING_ROUTES>;
