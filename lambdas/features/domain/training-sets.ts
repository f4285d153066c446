/**
 * Training sets as jobs: the request is checked up front (unknown features, bad entity rows are
 * 4xx before any job exists), stored, and run elsewhere by a worker that builds the Parquet with
 * the configured engine and records the outcome. A worker invoked twice for one job runs it
 * once: it must first move the job from QUEUED to RUNNING.
 */
import { EVENT_TIMESTAMP_FIELD, FieldName, parseFeatureRef } from '../../../contracts/feature-names';
import type { FeatureView, TrainingSetJob, TrainingSetRequest } from '../../../contracts/features';
import {
  FeatureStoreError,
  FeatureViewNotFoundError,
  type RowProblem,
  ValidationFailedError,
} from './errors';
import { type OnlineView, resolveFeatureRefs } from './online';
import { toEntityRows } from './point-in-time';
import type {
  FeatureStoreDeps,
  StoredTrainingSetRequest,
  TrainingSetEngine,
  TrainingSetJobStore,
  TrainingSetLauncher,
} from './ports';

type Deps = Pick<FeatureStoreDeps, 'views' | 'now' | 'newId'>;

/** 404: no job with this id. */
export class TrainingSetJobNotFoundError extends FeatureStoreError {
  public constructor(jobId: string) {
    super('TRAINING_SET_NOT_FOUND', `Training set job ${jobId} does not exist`, { details: { jobId } });
    this.name = 'TrainingSetJobNotFoundError';
  }
}

/** 422: a request the platform understands but cannot serve (e.g. entity rows given by URI). */
export class TrainingSetNotSupportedError extends FeatureStoreError {
  public constructor(message: string) {
    super('NOT_SUPPORTED', message);
    this.name = 'TrainingSetNotSupportedError';
  }
}

/** Loads the views a feature list names and resolves it (as the online lookup does). */
export async function resolveTrainingFeatures(
  deps: Pick<Deps, 'views'>,
  refs: readonly string[],
  fullFeatureNames: boolean,
) {
  const names = [...new Set(refs.map((r) => parseFeatureRef(r).view))];
  const loaded = await Promise.all(names.map((n) => deps.views.get(n)));
  const views = new Map<string, FeatureView>();
  loaded.forEach((v, i) => {
    if (!v) throw new FeatureViewNotFoundError(names[i]);
    views.set(v.name, v);
  });
  const features = resolveFeatureRefs(views as Map<string, OnlineView>, refs, fullFeatureNames);
  return { views, features };
}

/**
 * Checks and records a training-set job, then launches it.
 * @throws FeatureViewNotFoundError, FeatureNotFoundError, ValidationFailedError (bad entity rows
 *   or column names the engines cannot carry)
 */
export async function createTrainingSet(
  deps: Deps & { jobs: TrainingSetJobStore; launcher: TrainingSetLauncher },
  request: TrainingSetRequest,
): Promise<TrainingSetJob> {
  if (request.entityRows === undefined) {
    throw new TrainingSetNotSupportedError('entityRowsUri is not supported yet: give entityRows inline');
  }
  const { features } = await resolveTrainingFeatures(deps, request.features, request.fullFeatureNames);
  toEntityRows(features, request.entityRows);
  checkColumnNames(request.entityRows, new Set(features.map((f) => f.outputName)));
  const at = deps.now().toISOString();
  const job: TrainingSetJob = {
    jobId: deps.newId(),
    status: 'QUEUED',
    features: request.features,
    createdAt: at,
    updatedAt: at,
  };
  const stored: StoredTrainingSetRequest = {
    features: request.features,
    fullFeatureNames: request.fullFeatureNames,
    entityRows: request.entityRows,
  };
  await deps.jobs.createJob(job, stored);
  await deps.launcher.launch(job.jobId);
  return job;
}

/**
 * The worker: runs a QUEUED job to SUCCEEDED or FAILED. A job not QUEUED (a duplicate
 * invocation, or already done) is left alone.
 */
export async function runTrainingSet(
  deps: Deps & { jobs: TrainingSetJobStore; engine: TrainingSetEngine },
  jobId: string,
): Promise<TrainingSetJob | undefined> {
  if (!(await deps.jobs.transitionJob(jobId, 'QUEUED', 'RUNNING'))) return deps.jobs.getJob(jobId);
  try {
    const request = await deps.jobs.getRequest(jobId);
    if (!request) throw new Error(`the request of job ${jobId} is missing`);
    const { views, features } = await resolveTrainingFeatures(
      deps,
      request.features,
      request.fullFeatureNames,
    );
    const output = await deps.engine.build({
      jobId,
      views: [...views.values()],
      features: features.map((f) => ({ view: f.view.name, feature: f.feature, outputName: f.outputName })),
      entityRows: request.entityRows,
    });
    await deps.jobs.transitionJob(jobId, 'RUNNING', 'SUCCEEDED', output);
  } catch (err) {
    // The message is the caller's to read: engine errors name a query or a file, never a secret.
    const error = err instanceof Error ? err.message.slice(0, 1000) : String(err);
    await deps.jobs.transitionJob(jobId, 'RUNNING', 'FAILED', { error });
  }
  return deps.jobs.getJob(jobId);
}

/**
 * Entity-row columns become Parquet and Glue columns: they must be lowercase identifiers (Athena
 * folds case) and must not clash with an output feature name.
 */
function checkColumnNames(rows: ReadonlyArray<Record<string, unknown>>, outputs: ReadonlySet<string>): void {
  const problems: RowProblem[] = [];
  const seen = new Set<string>();
  rows.forEach((row, index) => {
    for (const name of Object.keys(row)) {
      if (seen.has(name)) continue;
      seen.add(name);
      if (name !== EVENT_TIMESTAMP_FIELD && !FieldName.safeParse(name).success) {
        problems.push({
          row: index,
          field: name,
          rule: 'TYPE',
          reason: 'column names must be lowercase identifiers',
        });
      } else if (outputs.has(name)) {
        problems.push({
          row: index,
          field: name,
          rule: 'UNKNOWN_FIELD',
          reason: 'clashes with a requested feature',
        });
      }
    }
  });
  if (problems.length > 0) throw new ValidationFailedError('Training set', problems);
}
