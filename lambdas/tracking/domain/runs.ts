/**
 * Runs as MLflow has them: created in an active experiment with an artifact URI of their own,
 * updated (status, end time, name), deleted and restored as marks, searched across experiments.
 */
import type * as z from 'zod';
import type { CreateRunRequest, SearchRunsRequest, UpdateRunRequest } from '../../../contracts/tracking';
import { DEFAULT_SEARCH_RESULTS, MAX_REPLY_BYTES } from '../../../contracts/tracking';
import type { Metric, Run, RunInfo } from '../../../contracts/tracking-responses';
import { BadRequestError } from '../../shared/errors';
import { ExperimentNotActiveError } from './errors';
import { DEFAULT_EXPERIMENT_ID, getExperimentRecord } from './experiments';
import type { TrackingDeps } from './ports';
import { RUN_NAME_TAG, type RunRecord, USER_TAG } from './records';
import { searchRuns as search } from './run-search';
import { getRunRecord, updateRun } from './run-writes';
import { metricView, runInfoView, runView } from './views';

/**
 * Points per history page when the client names no size: MLflow's server answers the whole
 * history then; a page this size (a few MB) stays inside Lambda's 6 MB response.
 */
export const DEFAULT_HISTORY_PAGE = 25_000;

/** `run_id`, or `run_uuid` from clients that send only the older name. */
export function runIdOf(req: { run_id?: string; run_uuid?: string }): string {
  const runId = req.run_id ?? req.run_uuid;
  if (!runId) throw new BadRequestError('INVALID_REQUEST', 'run_id is required');
  return runId;
}

/** MLflow's generated run names are adjective-noun-number; ours are shorter and as unique in practice. */
function generatedRunName(runId: string): string {
  return `run-${runId.slice(0, 8)}`;
}

export async function createRun(deps: TrackingDeps, req: z.output<typeof CreateRunRequest>): Promise<Run> {
  const experiment = await getExperimentRecord(deps, req.experiment_id ?? DEFAULT_EXPERIMENT_ID);
  if (experiment.lifecycleStage !== 'active') throw new ExperimentNotActiveError(experiment.experimentId);
  const runId = deps.newRunId();
  const tags = Object.fromEntries((req.tags ?? []).map((t) => [t.key, t.value]));
  const runName = req.run_name || tags[RUN_NAME_TAG] || generatedRunName(runId);
  const run: RunRecord = {
    runId,
    experimentId: experiment.experimentId,
    runName,
    userId: req.user_id ?? tags[USER_TAG] ?? '',
    status: 'RUNNING',
    startTime: req.start_time ?? deps.now(),
    artifactUri: `${experiment.artifactLocation}/${runId}/artifacts`,
    lifecycleStage: 'active',
    params: {},
    tags: { ...tags, [RUN_NAME_TAG]: runName },
    metrics: {},
    rev: 1,
  };
  await deps.store.createRun(run);
  return runView(run);
}

export const getRun = async (deps: TrackingDeps, runId: string): Promise<Run> =>
  runView(await getRunRecord(deps, runId));

export async function updateRunInfo(
  deps: TrackingDeps,
  req: z.output<typeof UpdateRunRequest>,
): Promise<RunInfo> {
  const run = await updateRun(deps, runIdOf(req), (r) => ({
    ...(req.status ? { status: req.status } : {}),
    ...(req.end_time !== undefined ? { endTime: req.end_time } : {}),
    ...(req.run_name ? { runName: req.run_name, tags: { ...r.tags, [RUN_NAME_TAG]: req.run_name } } : {}),
  }));
  return runInfoView(run);
}

export async function setRunLifecycle(deps: TrackingDeps, runId: string, stage: 'active' | 'deleted') {
  await updateRun(
    deps,
    runId,
    () => ({ lifecycleStage: stage, deletedTime: stage === 'deleted' ? deps.now() : undefined }),
    { allowDeleted: true },
  );
}

export async function deleteRunTag(deps: TrackingDeps, runId: string, key: string): Promise<void> {
  await updateRun(deps, runId, (r) => {
    if (!Object.hasOwn(r.tags, key)) {
      throw new BadRequestError('INVALID_VALUE', `No tag with name: ${key} in run with id ${runId}`);
    }
    const { [key]: _, ...tags } = r.tags;
    return { tags };
  });
}

export async function searchRuns(
  deps: TrackingDeps,
  req: z.output<typeof SearchRunsRequest>,
): Promise<{ runs: Run[]; next_page_token?: string }> {
  const runs: RunRecord[] = [];
  for (const id of new Set(req.experiment_ids)) {
    await getExperimentRecord(deps, id);
    runs.push(...(await deps.store.listRuns(id)));
  }
  const result = search(runs, {
    filter: req.filter,
    orderBy: req.order_by,
    viewType: req.run_view_type,
    maxResults: req.max_results ?? DEFAULT_SEARCH_RESULTS,
    pageToken: req.page_token,
    maxBytes: MAX_REPLY_BYTES,
  });
  return {
    runs: result.items.map(runView),
    ...(result.nextPageToken ? { next_page_token: result.nextPageToken } : {}),
  };
}

/** A page of a run's metric history, by step then timestamp. */
export async function metricHistory(
  deps: TrackingDeps,
  runId: string,
  req: { metric_key: string; max_results?: number; page_token?: string },
): Promise<{ metrics: Metric[]; next_page_token?: string }> {
  await getRunRecord(deps, runId);
  const page = await deps.store.metricHistory(runId, req.metric_key, {
    maxResults: req.max_results ?? DEFAULT_HISTORY_PAGE,
    pageToken: req.page_token,
  });
  return {
    metrics: page.points.map(metricView),
    ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
  };
}
