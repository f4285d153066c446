/**
 * The batch state machine's steps, one Lambda dispatching on `action`: `prepare` (RUNNING, what the
 * Map reads), `finalize` (count every row, finish the job), `prepareTransform` and
 * `finalizeTransform` (Batch Transform's input and output) and `fail` (the Catch of every engine);
 * and, from the rule on the machine's status changes, a stopped run's transform model deleted.
 */
import type { BatchJobInput } from '../../contracts/batch-predictions';
import type { PreparedSource } from './domain/ports';
import { fail, finalize, finalizeTransform, prepare, prepareTransform, type StepDeps } from './domain/steps';
import {
  deleteStoppedRunModel,
  type ExecutionStatusChange,
  isExecutionStatusChange,
} from './domain/stopped-run';
import type { PreparedTransform } from './domain/transform';
import { stepDepsFromEnv } from './worker-deps';

export type TaskEvent =
  | { readonly action: 'prepare'; readonly job: BatchJobInput }
  | {
      readonly action: 'finalize';
      readonly job: BatchJobInput;
      readonly source: unknown;
      readonly mapResult: { readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string } };
    }
  | { readonly action: 'prepareTransform'; readonly job: BatchJobInput; readonly source: PreparedSource }
  | {
      readonly action: 'finalizeTransform';
      readonly job: BatchJobInput;
      readonly transform: PreparedTransform;
    }
  | {
      readonly action: 'fail';
      readonly job: BatchJobInput;
      readonly error: { Error?: string; Cause?: string };
    };

export const makeTasks = (deps: StepDeps) => async (event: TaskEvent | ExecutionStatusChange) => {
  if (isExecutionStatusChange(event)) {
    if (!deps.jobModels) throw new Error('SageMaker model cleanup is not wired in this function');
    return deleteStoppedRunModel(deps.jobModels, event);
  }
  switch (event.action) {
    case 'prepare':
      return prepare(deps, event.job);
    case 'finalize':
      return finalize(deps, event.job, event.mapResult.ResultWriterDetails);
    case 'prepareTransform':
      return prepareTransform(deps, event.job, event.source);
    case 'finalizeTransform':
      return finalizeTransform(deps, event.job, event.transform);
    case 'fail':
      return fail(deps, event.job, event.error);
  }
};

let cached: ReturnType<typeof makeTasks> | undefined;

export const handler = (event: TaskEvent | ExecutionStatusChange) => {
  cached ??= makeTasks(stepDepsFromEnv());
  return cached(event);
};
