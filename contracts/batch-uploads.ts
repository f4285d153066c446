/**
 * Batch input uploads: the platform bucket is private, so a caller puts a job's input there through
 * a presigned S3 PUT the API signs (as MLflow's `artifacts/presigned-upload-url` does for a run's
 * artifacts), under `batch-predictions/in/`, and passes the answered `s3://` URI to submit.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/PresignedUrlUploadObject.html
 */
import * as z from 'zod';
import { BATCH_PREDICTIONS_PREFIX } from './batch-predictions';
import { lazySchema } from './lazy-schema';

/** Where uploaded inputs go in the platform bucket: inside the prefix jobs may read. */
export const BATCH_UPLOAD_PREFIX = `${BATCH_PREDICTIONS_PREFIX}in/`;

/**
 * The largest upload: one PUT, S3's limit for a single request (5 GiB). A larger input is a
 * prefix of several files, which a job reads whole.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/upload-objects.html
 */
export const MAX_BATCH_UPLOAD_BYTES = 5 * 1024 ** 3;

/**
 * A key under `batch-predictions/in/`: `/`-separated segments of letters, digits, `.`, `_` and
 * `-`, none starting with `.` (so no `..` climbs out, and no hidden file), at most 512 characters.
 */
export const BatchUploadName = lazySchema(() =>
  z
    .string()
    .max(512)
    .regex(
      /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/,
      'must be a relative key: segments of letters, digits, ".", "_" and "-", none starting with "."',
    ),
);

/** `POST /batch-predictions/uploads`. */
export const CreateBatchUploadRequest = lazySchema(() =>
  z.strictObject({
    /** The key under `batch-predictions/in/` (`rows.csv`, `daily/2026-01-01/rows.csv`). */
    fileName: BatchUploadName,
    /** The file's size in bytes: signed, so S3 refuses a body of another length. */
    contentLength: z.number().int().min(1).max(MAX_BATCH_UPLOAD_BYTES),
    /** @default - by the name's extension: text/csv, application/x-ndjson, application/vnd.apache.parquet, else application/octet-stream */
    contentType: z
      .string()
      .max(127)
      .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+$/, 'must be a media type (type/subtype)')
      .optional(),
  }),
);
export type CreateBatchUploadRequest = z.infer<typeof CreateBatchUploadRequest>;

/** What the upload route answers: the URI to submit, and the request that puts the bytes there. */
export const BatchUpload = lazySchema(() =>
  z.object({
    /** `s3://<platform bucket>/batch-predictions/in/<fileName>`: a job's `input.uri`. */
    uri: z.string(),
    /** The presigned PUT; send `headers` exactly as given (they are signed). */
    upload: z.object({
      method: z.literal('PUT'),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
  }),
);
export type BatchUpload = z.infer<typeof BatchUpload>;
