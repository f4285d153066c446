/**
 * A job's output through the API: its predictions or dead-letter parts, in order, a page at a
 * time, each with a presigned GET. The job names where it wrote, so a caller reads that job's
 * parts and nothing else of the bucket.
 */
import type { BatchOutputPart, ListBatchOutputQuery } from '../../../contracts/batch-outputs';
import { parseS3Uri } from '../../../contracts/batch-predictions';
import type { Page } from '../../../contracts/pages';
import { getJob } from './jobs';
import type { JobDeps, OutputDownloads } from './ports';

export async function listJobOutput(
  deps: Pick<JobDeps, 'jobs'> & { readonly downloads: OutputDownloads },
  jobId: string,
  query: ListBatchOutputQuery,
): Promise<Page<BatchOutputPart>> {
  const job = await getJob(deps, jobId);
  const { bucket, key: prefix } = parseS3Uri(
    query.part === 'predictions' ? job.output.predictions : job.output.deadLetter,
  );
  const listed = await deps.downloads.listParts(
    bucket,
    prefix,
    query.limit,
    query.nextToken === undefined ? undefined : `${prefix}${query.nextToken}`,
  );
  const items = await Promise.all(
    listed.parts.map(async ({ key, sizeBytes }) => ({
      name: key.slice(prefix.length),
      uri: `s3://${bucket}/${key}`,
      sizeBytes,
      download: { method: 'GET' as const, ...(await deps.downloads.presignGet(bucket, key)) },
    })),
  );
  const last = items[items.length - 1];
  return { items, ...(listed.more && last ? { nextToken: last.name } : {}) };
}
