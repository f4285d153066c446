/**
 * MLflow's artifact proxy (`MlflowArtifactsService` in mlflow_artifacts.proto), under
 * `/api/2.0/mlflow-artifacts/`: the client reaches an `mlflow-artifacts:/<path>` URI through it,
 * and the bytes are kept at `s3://<bucket>/mlflow/<path>`. A body through API Gateway and Lambda is
 * at most about 4 MB once base64-encoded into the event, so larger files go by MLflow's multipart
 * upload, whose parts are PUT straight to S3 on presigned URLs, and larger downloads are
 * redirected to a presigned GET URL.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';
import { FileInfoResponse } from './tracking-responses';

/** The prefix of MLflow's artifact proxy on the platform's API. */
export const MLFLOW_ARTIFACTS_API_PREFIX = '/api/2.0/mlflow-artifacts';

/**
 * The largest file a download answers inline (base64 in Lambda's 6 MB response); a larger one is
 * a 307 to a presigned S3 URL.
 */
export const INLINE_DOWNLOAD_BYTES = 4 * 1024 * 1024;

/** S3's most parts in one multipart upload. */
const MAX_PARTS = 10_000;

export const ArtifactPathParams = lazySchema(() => z.object({ artifact_path: z.string().min(1).max(1024) }));
export const ProxyListQuery = lazySchema(() => z.object({ path: z.string().max(1024).optional() }));
export const ProxyListResponse = lazySchema(() => z.object({ files: z.array(FileInfoResponse) }));
export const CreateMultipartUploadRequest = lazySchema(() =>
  z.object({
    path: z.string().max(1024).optional(),
    num_parts: z.coerce.number().int().min(1).max(MAX_PARTS),
  }),
);
export const CreateMultipartUploadResponse = lazySchema(() =>
  z.object({
    upload_id: z.string(),
    credentials: z.array(
      z.object({ url: z.string(), part_number: z.number().int(), headers: z.record(z.string(), z.string()) }),
    ),
  }),
);
export const CompleteMultipartUploadRequest = lazySchema(() =>
  z.object({
    path: z.string().max(1024).optional(),
    upload_id: z.string().min(1).max(1024),
    parts: z
      .array(
        z.object({
          part_number: z.coerce.number().int().min(1).max(MAX_PARTS),
          etag: z.string().min(1).max(256),
          url: z.string().max(4096).optional(),
        }),
      )
      .min(1)
      .max(MAX_PARTS),
  }),
);
export const AbortMultipartUploadRequest = lazySchema(() =>
  z.object({
    path: z.string().max(1024).optional(),
    upload_id: z.string().min(1).max(1024),
  }),
);
