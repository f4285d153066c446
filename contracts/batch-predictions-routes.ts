/**
 * The batch prediction routes with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { ListBatchOutputQuery } from './batch-outputs';
import {
  BatchPredictionId,
  CreateBatchPredictionRequest,
  ListBatchPredictionsQuery,
} from './batch-predictions';
import { CreateBatchUploadRequest } from './batch-uploads';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import type { RouteDeclaration } from './routes';

export const BATCH_PREDICTIONS_ROUTES = [
  {
    id: 'CreateBatchPrediction',
    method: 'POST',
    path: '/batch-predictions',
    function: 'batch',
    summary:
      'Score every row of an S3 input (CSV, JSON Lines, Parquet, or entity rows enriched from a feature view) with a model version; 202 with the job',
    body: CreateBatchPredictionRequest,
    response: { status: 202 },
  },
  {
    id: 'CreateBatchUpload',
    method: 'POST',
    path: '/batch-predictions/uploads',
    function: 'batch',
    summary:
      "A presigned S3 PUT for a job's input under the platform bucket's batch-predictions/in/, with the s3:// URI to submit",
    body: CreateBatchUploadRequest,
    response: { status: 200 },
  },
  {
    id: 'GetBatchPrediction',
    method: 'GET',
    path: '/batch-predictions/{jobId}',
    function: 'batch',
    summary:
      'A batch prediction job: status, rows read, predicted and failed, progress, output and dead-letter locations',
    params: lazySchema(() => z.object({ jobId: BatchPredictionId })),
    response: { status: 200 },
  },
  {
    id: 'ListBatchPredictionOutput',
    method: 'GET',
    path: '/batch-predictions/{jobId}/output',
    function: 'batch',
    summary:
      "A job's output parts (predictions, or dead letters with their source and reason) in order, each with a presigned S3 GET",
    params: lazySchema(() => z.object({ jobId: BatchPredictionId })),
    query: ListBatchOutputQuery,
    response: { status: 200 },
  },
  {
    id: 'ListModelBatchPredictions',
    method: 'GET',
    path: '/models/{name}/batch-predictions',
    function: 'batch',
    summary: "A model's batch prediction jobs, newest first",
    params: lazySchema(() => z.object({ name: ModelName })),
    query: ListBatchPredictionsQuery,
    response: { status: 200 },
  },
  {
    id: 'CancelBatchPrediction',
    method: 'POST',
    path: '/batch-predictions/{jobId}/cancel',
    function: 'batch',
    summary: 'Stop a submitted or running job; what it wrote stays, and a resume completes it',
    params: lazySchema(() => z.object({ jobId: BatchPredictionId })),
    body: false,
    response: { status: 202 },
  },
  {
    id: 'ResumeBatchPrediction',
    method: 'POST',
    path: '/batch-predictions/{jobId}/resume',
    function: 'batch',
    summary: 'Run a failed or cancelled job again: only the batches without output run',
    params: lazySchema(() => z.object({ jobId: BatchPredictionId })),
    body: false,
    response: { status: 202 },
  },
] as const satisfies readonly RouteDeclaration[];
