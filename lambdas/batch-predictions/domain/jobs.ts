/**
 * Batch prediction jobs: submit (resolve the version, choose the engine, validate completely
 * before the one write), read, list, cancel, resume, and the status changes the state machine
 * makes. Every status change is conditioned on the status it replaces and carries its audit record
 * (the event outbox) in the same transaction.
 */
import {
  BATCH_ENGINE_DEFAULTS,
  type BatchCounts,
  type BatchEngine,
  type BatchJobInput,
  type BatchPrediction,
  type BatchPredictionStatus,
  batchLayout,
  type CreateBatchPredictionRequest,
  parseS3Uri,
} from '../../../contracts/batch-predictions';
import {
  type AuditRecord,
  BatchPredictionEvent,
  type BatchPredictionEventType,
} from '../../../contracts/events';
import type { Page } from '../../../contracts/pages';
import {
  AliasNotFoundError,
  BadRequestError,
  ModelNotFoundError,
  UnprocessableError,
  VersionNotFoundError,
} from '../../shared/errors';
import {
  BatchPredictionFinishedError,
  BatchPredictionNotFoundError,
  BatchPredictionNotResumableError,
} from './errors';
import type { JobDeps, JobLauncher, StoredJob } from './ports';

export interface Actor {
  readonly principal: string;
  readonly requestId?: string;
}

/** The reply: the stored job without its artifact location. */
export function publicJob(job: StoredJob): BatchPrediction {
  const { artifact: _artifact, ...reply } = job;
  return reply;
}

/** The engine a job runs on: the caller's, else Batch Transform for large artifacts. */
export function chooseEngine(sizeBytes: number, requested: BatchEngine | undefined): BatchEngine {
  if (requested) return requested;
  return sizeBytes > BATCH_ENGINE_DEFAULTS.transformAboveBytes ? 'transform' : 'map';
}

function checkLocation(deps: JobDeps, uri: string, field: string): void {
  const { bucket, key } = parseS3Uri(uri);
  if (!deps.locations.some((l) => l.bucket === bucket && key.startsWith(l.prefix))) {
    const allowed = deps.locations.map((l) => `s3://${l.bucket}/${l.prefix}`);
    throw new BadRequestError(
      'BUCKET_NOT_ALLOWED',
      `${field}: ${uri} is not under a location batch predictions may use (${allowed.join(', ')})`,
      { details: { field, bucket } },
    );
  }
}

function audit(
  deps: JobDeps,
  actor: Actor,
  action: BatchPredictionEventType,
  job: StoredJob,
  before?: BatchPredictionStatus,
): AuditRecord {
  return {
    id: deps.newId(),
    at: deps.now().toISOString(),
    actor: actor.principal,
    action,
    modelName: job.modelName,
    version: job.version,
    ...(before ? { before: { status: before } } : {}),
    after: {
      jobId: job.jobId,
      status: job.status,
      engine: job.engine,
      attempt: job.attempt,
      counts: job.counts,
      output: job.output,
      ...(job.statusReason ? { statusReason: job.statusReason } : {}),
      ...(job.countsCheck ? { countsCheck: job.countsCheck } : {}),
    },
    ...(actor.requestId ? { requestId: actor.requestId } : {}),
  };
}

/** What the state machine is started with. */
export function jobInput(job: StoredJob): BatchJobInput {
  const out = parseS3Uri(job.output.uri);
  return {
    jobId: job.jobId,
    attempt: job.attempt,
    modelName: job.modelName,
    version: job.version,
    engine: job.engine,
    artifact: { bucket: job.artifact.bucket, key: job.artifact.key },
    keyColumn: job.keyColumn,
    input: job.input,
    toleratedFailurePercent: job.toleratedFailurePercent,
    output: { bucket: out.bucket, prefix: out.key, format: job.output.format },
  };
}

/** Validates the request against the registry and the allowed buckets, then records the job. */
export async function submitJob(
  deps: JobDeps,
  actor: Actor,
  request: CreateBatchPredictionRequest,
): Promise<StoredJob> {
  const { model } = request;
  const at = deps.now().toISOString();
  checkLocation(deps, request.output.uri, 'output.uri');
  let input = request.input;
  if ('uri' in input) checkLocation(deps, input.uri, 'input');
  else {
    if (!deps.checkEntities)
      throw new BadRequestError(
        'ENRICHMENT_UNAVAILABLE',
        'input: this platform has no offline feature store to enrich entity rows from; give an s3:// input of feature rows',
        { details: { field: 'input.featureView' } },
      );
    checkLocation(deps, input.entities, 'input.entities');
    await deps.checkEntities(input.featureView, parseS3Uri(input.entities));
    // Fixed at submit, so every attempt (a resume included) joins as of the same instant.
    input = { ...input, asOf: input.asOf ?? at };
  }
  if (!(await deps.registry.getModel(model))) throw new ModelNotFoundError(model);
  let version = request.version;
  if (version === undefined) {
    const alias = request.alias ?? 'champion';
    version = await deps.registry.aliasVersion(model, alias);
    if (version === undefined) throw new AliasNotFoundError(model, alias);
  }
  const found = await deps.registry.getVersion(model, version);
  if (!found) throw new VersionNotFoundError(model, version);
  if (found.status !== 'READY')
    throw new UnprocessableError('VERSION_NOT_READY', `model ${model} version ${version} is ${found.status}`);
  const engine = chooseEngine(found.artifact.sizeBytes, request.engine);

  const jobId = deps.newId();
  const out = parseS3Uri(request.output.uri);
  const layout = batchLayout(out.key, jobId);
  const job: StoredJob = {
    jobId,
    modelName: model,
    version,
    ...(request.version === undefined ? { alias: request.alias ?? 'champion' } : {}),
    engine,
    status: 'SUBMITTED',
    input,
    keyColumn: request.keyColumn,
    toleratedFailurePercent: request.toleratedFailurePercent,
    output: {
      uri: request.output.uri,
      format: request.output.format,
      predictions: `s3://${out.bucket}/${layout.predictions}`,
      deadLetter: `s3://${out.bucket}/${layout.deadLetter}`,
    },
    counts: { read: 0, predicted: 0, failed: 0 },
    progress: 0,
    attempt: 1,
    createdAt: at,
    createdBy: actor.principal,
    artifact: { bucket: found.artifact.bucket, key: found.artifact.key, sizeBytes: found.artifact.sizeBytes },
  };
  await deps.jobs.create(job, audit(deps, actor, BatchPredictionEvent.BATCH_PREDICTION_SUBMITTED, job));
  return job;
}

export async function getJob(deps: Pick<JobDeps, 'jobs'>, jobId: string): Promise<StoredJob> {
  const job = await deps.jobs.get(jobId);
  if (!job) throw new BatchPredictionNotFoundError(jobId);
  return job;
}

export async function listJobs(
  deps: Pick<JobDeps, 'jobs' | 'registry'>,
  modelName: string,
  limit: number,
  nextToken?: string,
): Promise<Page<BatchPrediction>> {
  if (!(await deps.registry.getModel(modelName))) throw new ModelNotFoundError(modelName);
  const page = await deps.jobs.listByModel(modelName, limit, nextToken);
  return { items: page.items.map(publicJob), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

/** SUBMITTED or RUNNING -> CANCELLED, then the execution is stopped; what it wrote stays. */
export async function cancelJob(
  deps: JobDeps & { launcher: JobLauncher },
  actor: Actor,
  jobId: string,
): Promise<StoredJob> {
  const job = await getJob(deps, jobId);
  if (job.status === 'CANCELLED') return job;
  if (job.status !== 'SUBMITTED' && job.status !== 'RUNNING')
    throw new BatchPredictionFinishedError(jobId, job.status);
  const cancelled: StoredJob = {
    ...job,
    status: 'CANCELLED',
    statusReason: `cancelled by ${actor.principal}`,
    finishedAt: deps.now().toISOString(),
  };
  await deps.jobs.transition(
    cancelled,
    [job.status],
    job.attempt,
    audit(deps, actor, BatchPredictionEvent.BATCH_PREDICTION_CANCELLED, cancelled, job.status),
  );
  await deps.launcher.stop(jobId, job.attempt);
  return cancelled;
}

/** FAILED or CANCELLED -> SUBMITTED at the next attempt, then started: only batches without output run. */
export async function resumeJob(
  deps: JobDeps & { launcher: JobLauncher },
  actor: Actor,
  jobId: string,
): Promise<StoredJob> {
  const job = await getJob(deps, jobId);
  if (job.status !== 'FAILED' && job.status !== 'CANCELLED')
    throw new BatchPredictionNotResumableError(jobId, job.status);
  const { statusReason: _r, finishedAt: _f, countsCheck: _c, ...rest } = job;
  const resumed: StoredJob = { ...rest, status: 'SUBMITTED', attempt: job.attempt + 1 };
  await deps.jobs.transition(
    resumed,
    [job.status],
    job.attempt,
    audit(deps, actor, BatchPredictionEvent.BATCH_PREDICTION_SUBMITTED, resumed, job.status),
  );
  await deps.launcher.start(jobInput(resumed));
  return resumed;
}

/** The state machine's first step: SUBMITTED -> RUNNING for this attempt. */
export async function markRunning(deps: JobDeps, input: BatchJobInput): Promise<StoredJob> {
  const job = await getJob(deps, input.jobId);
  const running: StoredJob = {
    ...job,
    status: 'RUNNING',
    startedAt: job.startedAt ?? deps.now().toISOString(),
  };
  await deps.jobs.transition(running, ['SUBMITTED'], input.attempt);
  return running;
}

/** How a run ended, as the finalize step counted it. */
export interface RunOutcome {
  readonly counts: BatchCounts;
  /** Items the engine handed out (rows, or row-group rows), independent of the workers' counts. */
  readonly itemsRead: number;
}

/**
 * RUNNING -> SUCCEEDED, or FAILED when the refused share passes the job's threshold or the counts
 * do not add up. A job cancelled meanwhile stays cancelled (the condition refuses the change).
 */
export async function finishJob(
  deps: JobDeps,
  input: BatchJobInput,
  outcome: RunOutcome,
): Promise<StoredJob> {
  const job = await getJob(deps, input.jobId);
  const { counts, itemsRead } = outcome;
  const matched = counts.read === counts.predicted + counts.failed && counts.read === itemsRead;
  const failedPercent = counts.read === 0 ? 0 : (100 * counts.failed) / counts.read;
  const reason = !matched
    ? `counts do not add up: ${itemsRead} rows handed out, ${counts.read} read, ${counts.predicted} predicted, ${counts.failed} failed`
    : failedPercent > job.toleratedFailurePercent
      ? `${counts.failed} of ${counts.read} rows refused (${failedPercent.toFixed(2)}%), above the tolerated ${job.toleratedFailurePercent}%`
      : undefined;
  const finished: StoredJob = {
    ...job,
    status: reason ? 'FAILED' : 'SUCCEEDED',
    ...(reason ? { statusReason: reason } : {}),
    counts,
    progress: 1,
    countsCheck: matched ? 'MATCHED' : 'MISMATCHED',
    finishedAt: deps.now().toISOString(),
  };
  const action = reason
    ? BatchPredictionEvent.BATCH_PREDICTION_FAILED
    : BatchPredictionEvent.BATCH_PREDICTION_SUCCEEDED;
  await deps.jobs.transition(
    finished,
    ['RUNNING'],
    input.attempt,
    audit(deps, STATE_MACHINE, action, finished, 'RUNNING'),
  );
  return finished;
}

/** RUNNING (or SUBMITTED) -> FAILED with the engine's error, keeping what was counted. */
export async function failJob(
  deps: JobDeps,
  input: BatchJobInput,
  error: string,
  cause: string,
): Promise<StoredJob> {
  const job = await getJob(deps, input.jobId);
  const failed: StoredJob = {
    ...job,
    status: 'FAILED',
    statusReason: `${error}: ${cause}`.slice(0, 1000),
    finishedAt: deps.now().toISOString(),
  };
  await deps.jobs.transition(
    failed,
    ['SUBMITTED', 'RUNNING'],
    input.attempt,
    audit(deps, STATE_MACHINE, BatchPredictionEvent.BATCH_PREDICTION_FAILED, failed, job.status),
  );
  return failed;
}

/** The state machine acts for the platform, not a caller. */
const STATE_MACHINE: Actor = { principal: 'cdk-mlops:batch-predictions' };
