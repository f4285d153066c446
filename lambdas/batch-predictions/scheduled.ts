/**
 * The scheduled rule's target: submits the configured job over the tick's dated input, as a
 * caller of `POST /batch-predictions` would (same validation, record, audit and start). The job
 * id is derived from the schedule and the tick, so EventBridge's retried delivery of one tick
 * submits one job.
 */
import { createHash } from 'node:crypto';
import type { BatchPrediction, ScheduledBatchEvent } from '../../contracts/batch-predictions';
import { CreateBatchPredictionRequest } from '../../contracts/batch-predictions';
import { type LaunchingDeps, launchingDepsFromEnv } from './deps';
import { getJob, jobInput, publicJob, submitJob } from './domain/jobs';

/** The tick's UTC day in the schedule's `{date}`. */
export const datedUri = (uri: string, time: string) => uri.replaceAll('{date}', time.slice(0, 10));

/** A UUID-shaped id from the schedule and the tick: the same tick gives the same id. */
export function tickJobId(event: ScheduledBatchEvent): string {
  const h = createHash('sha256')
    .update(JSON.stringify([event.schedule, event.time]))
    .digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export const makeScheduled =
  (deps: LaunchingDeps) =>
  async (event: ScheduledBatchEvent): Promise<BatchPrediction> => {
    const { schedule, time } = event;
    const jobId = tickJobId(event);
    const existing = await deps.jobs.get(jobId);
    if (existing) return publicJob(existing);
    const request = CreateBatchPredictionRequest.parse({
      model: schedule.modelName,
      ...(schedule.alias ? { alias: schedule.alias } : {}),
      input: { uri: datedUri(schedule.input.uri, time), format: schedule.input.format },
      keyColumn: schedule.keyColumn,
      output: { uri: datedUri(schedule.output.uri, time), format: schedule.output.format },
      ...(schedule.engine ? { engine: schedule.engine } : {}),
      toleratedFailurePercent: schedule.toleratedFailurePercent,
    });
    const job = await submitJob(
      { ...deps, newId: oneIdThen(jobId, deps.newId) },
      { principal: 'cdk-mlops:schedule' },
      request,
    );
    await deps.launcher.start(jobInput(job));
    return publicJob(await getJob(deps, jobId));
  };

/** The first id is the job's; audit ids after it are fresh. */
function oneIdThen(first: string, next: () => string): () => string {
  let used = false;
  return () => {
    if (used) return next();
    used = true;
    return first;
  };
}

let cached: ReturnType<typeof makeScheduled> | undefined;

export const handler = (event: ScheduledBatchEvent): Promise<BatchPrediction> => {
  cached ??= makeScheduled(launchingDepsFromEnv());
  return cached(event);
};
