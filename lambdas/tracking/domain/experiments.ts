/**
 * Experiments as MLflow has them: unique names (a deleted experiment keeps its name until
 * restored or renamed), the Default experiment `0` that clients log to when none is set, delete
 * and restore as marks that carry the experiment's runs with them.
 */
import type * as z from 'zod';
import {
  type CreateExperimentRequest,
  DEFAULT_SEARCH_RESULTS,
  MAX_REPLY_BYTES,
  MLFLOW_ARTIFACTS_SCHEME,
  type SearchExperimentsRequest,
} from '../../../contracts/tracking';
import type { Experiment } from '../../../contracts/tracking-responses';
import { BadRequestError, ConflictError } from '../../shared/errors';
import { ExperimentExistsError, ExperimentNotFoundError } from './errors';
import type { TrackingDeps } from './ports';
import type { ExperimentRecord } from './records';
import { searchExperiments as search } from './run-search';
import { updateRun } from './run-writes';
import { experimentView } from './views';

export const DEFAULT_EXPERIMENT_ID = '0';
export const DEFAULT_EXPERIMENT_NAME = 'Default';
const MAX_ATTEMPTS = 5;

/**
 * Where an experiment's artifacts go: `mlflow-artifacts:/<id>` (served by the artifact proxy), or
 * a place the request names under the tracking root of the platform bucket, as an
 * `mlflow-artifacts:` or `s3://` URI (the only prefix the function may read and presign).
 */
function artifactLocation(deps: TrackingDeps, experimentId: string, requested?: string): string {
  if (requested === undefined || requested === '') return `${MLFLOW_ARTIFACTS_SCHEME}/${experimentId}`;
  const location = requested.replace(/\/+$/, '');
  if (!isUnderRoot(deps, location)) {
    throw new BadRequestError(
      'INVALID_URI',
      `artifact_location must be under ${MLFLOW_ARTIFACTS_SCHEME}/ or ${deps.artifacts.root}/ in the platform bucket, got '${requested}'`,
    );
  }
  return location;
}

/**
 * The `s3://` URI in the platform bucket of an artifact URI: `mlflow-artifacts:/<path>` (also
 * `mlflow-artifacts:<path>` and `mlflow-artifacts://<host>/<path>`, as the client accepts them) is
 * `<root>/<path>`; any other URI is returned as it is.
 */
export function storageUri(deps: TrackingDeps, uri: string): string {
  if (!uri.startsWith(MLFLOW_ARTIFACTS_SCHEME)) return uri;
  const rest = uri.slice(MLFLOW_ARTIFACTS_SCHEME.length);
  const path = rest.startsWith('//') ? rest.slice(2).replace(/^[^/]*/, '') : rest;
  const clean = path.replace(/^\/+/, '');
  return clean ? `${deps.artifacts.root}/${clean}` : deps.artifacts.root;
}

/** Whether an artifact URI names something strictly under the tracking root, without climbing out. */
export function isUnderRoot(deps: TrackingDeps, uri: string): boolean {
  const stored = storageUri(deps, uri);
  const rest = stored.startsWith(`${deps.artifacts.root}/`)
    ? stored.slice(deps.artifacts.root.length + 1)
    : '';
  return rest !== '' && !rest.split('/').some((part) => part === '' || part === '.' || part === '..');
}

/** The Default experiment, created on first use as MLflow's server creates it at start. */
async function ensureDefault(deps: TrackingDeps): Promise<ExperimentRecord> {
  const existing = await deps.store.getExperiment(DEFAULT_EXPERIMENT_ID);
  if (existing) return existing;
  const now = deps.now();
  const record: ExperimentRecord = {
    experimentId: DEFAULT_EXPERIMENT_ID,
    name: DEFAULT_EXPERIMENT_NAME,
    artifactLocation: artifactLocation(deps, DEFAULT_EXPERIMENT_ID),
    lifecycleStage: 'active',
    creationTime: now,
    lastUpdateTime: now,
    tags: {},
    rev: 1,
  };
  // Another request may create it at the same moment: either way it now exists.
  await deps.store.createExperiment(record);
  return (await deps.store.getExperiment(DEFAULT_EXPERIMENT_ID)) ?? record;
}

export async function createExperiment(
  deps: TrackingDeps,
  req: z.output<typeof CreateExperimentRequest>,
): Promise<string> {
  await ensureDefault(deps);
  await refuseTakenName(deps, req.name);
  const experimentId = await deps.store.nextExperimentId();
  const now = deps.now();
  const created = await deps.store.createExperiment({
    experimentId,
    name: req.name,
    artifactLocation: artifactLocation(deps, experimentId, req.artifact_location),
    lifecycleStage: 'active',
    creationTime: now,
    lastUpdateTime: now,
    tags: Object.fromEntries((req.tags ?? []).map((t) => [t.key, t.value])),
    rev: 1,
  });
  if (!created) await refuseTakenName(deps, req.name, true);
  return experimentId;
}

async function refuseTakenName(deps: TrackingDeps, name: string, taken = false): Promise<void> {
  const id = await deps.store.experimentIdByName(name);
  if (id === undefined && !taken) return;
  const existing = id === undefined ? undefined : await deps.store.getExperiment(id);
  throw new ExperimentExistsError(name, existing?.lifecycleStage === 'deleted');
}

export async function getExperimentRecord(
  deps: TrackingDeps,
  experimentId: string,
): Promise<ExperimentRecord> {
  const found =
    experimentId === DEFAULT_EXPERIMENT_ID
      ? await ensureDefault(deps)
      : await deps.store.getExperiment(experimentId);
  if (!found) throw new ExperimentNotFoundError(`ID ${experimentId}`);
  return found;
}

export const getExperiment = async (deps: TrackingDeps, experimentId: string): Promise<Experiment> =>
  experimentView(await getExperimentRecord(deps, experimentId));

export async function getExperimentByName(deps: TrackingDeps, name: string): Promise<Experiment> {
  if (name === DEFAULT_EXPERIMENT_NAME) await ensureDefault(deps);
  const id = await deps.store.experimentIdByName(name);
  const found = id === undefined ? undefined : await deps.store.getExperiment(id);
  if (!found) throw new ExperimentNotFoundError(`name '${name}'`);
  return experimentView(found);
}

export async function searchExperiments(
  deps: TrackingDeps,
  req: z.output<typeof SearchExperimentsRequest>,
): Promise<{ experiments: Experiment[]; next_page_token?: string }> {
  await ensureDefault(deps);
  const result = search(await deps.store.listExperiments(), {
    filter: req.filter,
    orderBy: req.order_by,
    viewType: req.view_type,
    maxResults: req.max_results ?? DEFAULT_SEARCH_RESULTS,
    pageToken: req.page_token,
    maxBytes: MAX_REPLY_BYTES,
  });
  return {
    experiments: result.items.map(experimentView),
    ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
  };
}

/** Applies `change` to the experiment, conditioned on what it read; retried when raced. */
async function updateExperiment(
  deps: TrackingDeps,
  experimentId: string,
  change: (e: ExperimentRecord) => Partial<ExperimentRecord>,
): Promise<ExperimentRecord> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await getExperimentRecord(deps, experimentId);
    const next = { ...current, ...change(current), lastUpdateTime: deps.now(), rev: current.rev + 1 };
    if (next.name !== current.name) await refuseTakenName(deps, next.name);
    const previousName = next.name !== current.name ? current.name : undefined;
    if (await deps.store.putExperiment(next, current.rev, previousName)) return next;
  }
  throw new ConflictError('CONCURRENT_MODIFICATION', `experiment ${experimentId} kept changing; retry`);
}

export async function renameExperiment(
  deps: TrackingDeps,
  experimentId: string,
  newName: string,
): Promise<void> {
  await updateExperiment(deps, experimentId, () => ({ name: newName }));
}

export async function setExperimentTag(deps: TrackingDeps, experimentId: string, key: string, value: string) {
  await updateExperiment(deps, experimentId, (e) => ({ tags: { ...e.tags, [key]: value } }));
}

export async function deleteExperimentTag(deps: TrackingDeps, experimentId: string, key: string) {
  await updateExperiment(deps, experimentId, (e) => {
    const { [key]: _, ...tags } = e.tags;
    return { tags };
  });
}

/**
 * Marks the experiment and its active runs deleted (or, on restore, the experiment and its deleted
 * runs active), as MLflow's SQL store does. The Default experiment cannot be deleted.
 */
export async function setExperimentLifecycle(
  deps: TrackingDeps,
  experimentId: string,
  stage: 'active' | 'deleted',
): Promise<void> {
  if (stage === 'deleted' && experimentId === DEFAULT_EXPERIMENT_ID) {
    throw new BadRequestError('INVALID_VALUE', 'Cannot delete the default experiment 0');
  }
  await updateExperiment(deps, experimentId, () => ({ lifecycleStage: stage }));
  const from = stage === 'deleted' ? 'active' : 'deleted';
  for (const run of await deps.store.listRuns(experimentId)) {
    if (run.lifecycleStage !== from) continue;
    await updateRun(
      deps,
      run.runId,
      () => ({
        lifecycleStage: stage,
        deletedTime: stage === 'deleted' ? deps.now() : undefined,
      }),
      { allowDeleted: true },
    );
  }
}
