/**
 * A job's output read through the API: its parts (predictions or dead letters) listed in order,
 * each with a presigned S3 GET, so a caller reads what the job wrote without access to the bucket.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/ShareObjectPreSignedURL.html
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** A part's file name, as the workers write it (`batchPartName`): also the page token. */
export const BatchPartName = lazySchema(() =>
  z.string().regex(/^part-\d{12}\.(jsonl|csv)$/, 'must be a part name (part-<12 digits>.jsonl or .csv)'),
);

/** `GET /batch-predictions/{jobId}/output`. */
export const ListBatchOutputQuery = lazySchema(() =>
  z.strictObject({
    /** The scored rows, or the refused ones with their source and reason. */
    part: z.enum(['predictions', 'dead-letter']).default('predictions'),
    limit: z.coerce.number().int().min(1).max(100).default(100),
    /** The last part of the previous page: the listing goes on after it. */
    nextToken: BatchPartName.optional(),
  }),
);
export type ListBatchOutputQuery = z.infer<typeof ListBatchOutputQuery>;

/** One part of a job's output, with the presigned GET that reads it. */
export const BatchOutputPart = lazySchema(() =>
  z.object({
    name: z.string(),
    uri: z.string(),
    sizeBytes: z.number().int(),
    download: z.object({
      method: z.literal('GET'),
      url: z.string(),
      headers: z.record(z.string(), z.string()),
      expiresAt: z.string(),
    }),
  }),
);
export type BatchOutputPart = z.infer<typeof BatchOutputPart>;
