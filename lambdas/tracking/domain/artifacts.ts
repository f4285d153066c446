/**
 * A run's artifacts, under its artifact URI in the platform bucket: listed one level at a time,
 * written and read through presigned URLs. Paths are relative to the run's URI and may not climb
 * out of it.
 */
import { BadRequestError } from '../../shared/errors';
import { RunNotActiveError } from './errors';
import { storageUri } from './experiments';
import type { TrackingDeps } from './ports';
import { getRunRecord } from './run-writes';

export function artifactPath(path: string | undefined): string {
  const clean = (path ?? '').replace(/^\/+|\/+$/g, '');
  const parts = clean.split('/');
  if (parts.some((p) => p === '..' || p === '.') || /[\0\\]/.test(clean)) {
    throw new BadRequestError('INVALID_VALUE', `Invalid artifact path: '${path}'`);
  }
  return clean;
}

const under = (root: string, path: string) => (path ? `${root}/${path}` : root);

export async function listArtifacts(deps: TrackingDeps, runId: string, path?: string, pageToken?: string) {
  const run = await getRunRecord(deps, runId);
  return listAt(deps, run.artifactUri, path, pageToken);
}

/** Files and directories right under `path` of an artifact root (a run's or a logged model's). */
export async function listAt(deps: TrackingDeps, rootUri: string, path?: string, pageToken?: string) {
  const relative = artifactPath(path);
  const { files, nextPageToken } = await deps.artifacts.list(
    under(storageUri(deps, rootUri), relative),
    pageToken,
  );
  return {
    root_uri: rootUri,
    files: files.map((f) => ({ ...f, path: relative ? `${relative}/${f.path}` : f.path })),
    ...(nextPageToken ? { next_page_token: nextPageToken } : {}),
  };
}

export async function presignedUpload(deps: TrackingDeps, runId: string, path: string) {
  const run = await getRunRecord(deps, runId);
  if (run.lifecycleStage !== 'active') throw new RunNotActiveError(runId);
  const relative = artifactPath(path);
  if (!relative) throw new BadRequestError('INVALID_VALUE', 'path must name a file');
  const { url, headers } = await deps.artifacts.presignUpload(
    under(storageUri(deps, run.artifactUri), relative),
  );
  return { presigned_url: url, headers };
}

export async function presignedDownload(deps: TrackingDeps, runId: string, path: string) {
  const run = await getRunRecord(deps, runId);
  const relative = artifactPath(path);
  if (!relative) throw new BadRequestError('INVALID_VALUE', 'path must name a file');
  const { url, headers } = await deps.artifacts.presignDownload(
    under(storageUri(deps, run.artifactUri), relative),
  );
  return { presigned_url: url, headers };
}
