/**
 * What each batch predictions route answers, by route id: the reply schemas of the API document
 * (`routes.ts` joins them to the routes). Apart from `batch-predictions-routes.ts`, whose schemas the router
 * parses requests with, so a handler's cold start builds no reply schema.
 */
import { BatchOutputPart } from './batch-outputs';
import { BatchPrediction } from './batch-predictions';
import type { BATCH_PREDICTIONS_ROUTES } from './batch-predictions-routes';
import { BatchUpload } from './batch-uploads';
import { lazySchema } from './lazy-schema';
import { page } from './pages';
import type { RouteReplies } from './route-declaration';

export const BATCH_PREDICTIONS_REPLIES = {
  CreateBatchPrediction: { response: BatchPrediction },
  CreateBatchUpload: { response: BatchUpload },
  GetBatchPrediction: { response: BatchPrediction },
  ListBatchPredictionOutput: { response: lazySchema(() => page(BatchOutputPart)) },
  ListModelBatchPredictions: { response: lazySchema(() => page(BatchPrediction)) },
  CancelBatchPrediction: { response: BatchPrediction },
  ResumeBatchPrediction: { response: BatchPrediction },
} as const satisfies RouteReplies<typeof BATCH_PREDICTIONS_ROUTES>;
