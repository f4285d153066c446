/**
 * MLflow's artifact proxy over the platform bucket: a proxy path `<p>` is `<root>/<p>`, checked
 * not to climb out of the tracking root. Small files go through the function; a larger download is
 * a redirect to a presigned URL, and large uploads use MLflow's multipart flow with presigned part
 * URLs, so no large body passes API Gateway or Lambda.
 */
import { INLINE_DOWNLOAD_BYTES } from '../../../contracts/tracking-artifacts';
import type { FileInfo } from '../../../contracts/tracking-responses';
import { BadRequestError, NotFoundError } from '../../shared/errors';
import { artifactPath } from './artifacts';
import type { TrackingDeps } from './ports';

/** The `s3://` URI of a proxy path; a path naming nothing (the root) is refused unless `allowRoot`. */
function storedAt(deps: TrackingDeps, path: string | undefined, allowRoot = false): string {
  const relative = artifactPath(path);
  if (!relative && !allowRoot)
    throw new BadRequestError('INVALID_VALUE', 'the artifact path must name a file');
  return relative ? `${deps.artifacts.root}/${relative}` : deps.artifacts.root;
}

export type Download = { readonly bytes: Uint8Array } | { readonly redirect: string };

export async function download(deps: TrackingDeps, path: string): Promise<Download> {
  const uri = storedAt(deps, path);
  const size = await deps.artifacts.size(uri);
  if (size === undefined) throw new NotFoundError('ARTIFACT_NOT_FOUND', `No artifact at ${path}`);
  if (size > INLINE_DOWNLOAD_BYTES) return { redirect: (await deps.artifacts.presignDownload(uri)).url };
  const bytes = await deps.artifacts.read(uri);
  if (!bytes) throw new NotFoundError('ARTIFACT_NOT_FOUND', `No artifact at ${path}`);
  return { bytes };
}

export async function upload(deps: TrackingDeps, path: string, bytes: Uint8Array): Promise<void> {
  await deps.artifacts.write(storedAt(deps, path), bytes);
}

/** The entries right under `path`, by name (the client joins them to `path`), every page. */
export async function list(deps: TrackingDeps, path: string | undefined): Promise<{ files: FileInfo[] }> {
  const uri = storedAt(deps, path, true);
  const files: FileInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await deps.artifacts.list(uri, pageToken);
    files.push(...page.files);
    pageToken = page.nextPageToken;
  } while (pageToken);
  return { files };
}

export async function createMultipart(deps: TrackingDeps, path: string, parts: number) {
  const { uploadId, urls } = await deps.artifacts.createMultipart(storedAt(deps, path), parts);
  return {
    upload_id: uploadId,
    credentials: urls.map((url, i) => ({ url, part_number: i + 1, headers: {} })),
  };
}

export async function completeMultipart(
  deps: TrackingDeps,
  path: string,
  uploadId: string,
  parts: readonly { part_number: number; etag: string }[],
): Promise<void> {
  const ordered = [...parts].sort((a, b) => a.part_number - b.part_number);
  await deps.artifacts.completeMultipart(
    storedAt(deps, path),
    uploadId,
    ordered.map((p) => ({ partNumber: p.part_number, etag: p.etag })),
  );
}

export async function abortMultipart(deps: TrackingDeps, path: string, uploadId: string): Promise<void> {
  await deps.artifacts.abortMultipart(storedAt(deps, path), uploadId);
}

/**
 * MLflow's artifact proxy delete: the file at `path`, or everything under it when it names a
 * directory; nothing there is a success, as MLflow's S3 repository answers. The tracking root
 * itself is refused, as every other proxy write is.
 */
export async function remove(deps: TrackingDeps, path: string): Promise<void> {
  await deps.artifacts.deleteTree(storedAt(deps, path));
}
