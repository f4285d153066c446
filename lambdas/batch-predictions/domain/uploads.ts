/**
 * A job's input, uploaded by the caller through a presigned PUT under `batch-predictions/in/` of
 * the platform bucket: the name and size are checked by the route's schema, the key can only be
 * under the prefix jobs may read, and the answer is the `s3://` URI to submit.
 */
import {
  BATCH_UPLOAD_PREFIX,
  type BatchUpload,
  type CreateBatchUploadRequest,
} from '../../../contracts/batch-uploads';
import type { InputUploads } from './ports';

/** Media types by extension, so S3 serves the object back as what it is. */
const CONTENT_TYPES: Record<string, string> = {
  csv: 'text/csv',
  jsonl: 'application/x-ndjson',
  parquet: 'application/vnd.apache.parquet',
};

export async function presignInputUpload(
  uploads: InputUploads,
  request: CreateBatchUploadRequest,
): Promise<BatchUpload> {
  const key = `${BATCH_UPLOAD_PREFIX}${request.fileName}`;
  const extension = /\.([a-z]+)$/i.exec(request.fileName)?.[1]?.toLowerCase() ?? '';
  const contentType = request.contentType ?? CONTENT_TYPES[extension] ?? 'application/octet-stream';
  const signed = await uploads.presignPut({ key, contentLength: request.contentLength, contentType });
  return { uri: `s3://${uploads.bucket}/${key}`, upload: { method: 'PUT', ...signed } };
}
