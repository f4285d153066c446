/**
 * The batch state machine's steps, one Lambda dispatching on `action`: `prepare` (RUNNING, what the
 * Map reads), `finalize` (count every row, finish the job), the Batch Transform engine's
 * `prepareTransform`, `transformInput` and `finalizeTransform` and its two maps' children (a batch of
 * rows written as a request shard; a shard's output collected), and `fail` (the Catch of every engine);
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
import { type MapResult, transformHasInput } from './domain/transform';
import {
  type CollectShardEvent,
  collectTransformShard,
  type TransformShardEvent,
  writeTransformShard,
} from './domain/transform-shards';
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
  | { readonly action: 'transformInput'; readonly job: BatchJobInput }
  | ({ readonly action: 'collectTransformShard' } & CollectShardEvent)
  | {
      readonly action: 'finalizeTransform';
      readonly job: BatchJobInput;
      readonly shards: MapResult;
      readonly collected: MapResult;
    }
  | {
      readonly action: 'fail';
      readonly job: BatchJobInput;
      readonly error: { Error?: string; Cause?: string };
    };

/** A child of the transform engine's input map: its batch of rows, the action in its BatchInput. */
type ShardEvent = TransformShardEvent & { readonly BatchInput: { readonly action: 'writeTransformShard' } };

export const makeTasks =
  (deps: StepDeps) => async (event: TaskEvent | ShardEvent | ExecutionStatusChange) => {
    if (isExecutionStatusChange(event)) {
      if (!deps.jobModels) throw new Error('SageMaker model cleanup is not wired in this function');
      return deleteStoppedRunModel(deps.jobModels, event);
    }
    if ('BatchInput' in event) return writeTransformShard(deps.files, event);
    switch (event.action) {
      case 'prepare':
        return prepare(deps, event.job);
      case 'finalize':
        return finalize(deps, event.job, event.mapResult.ResultWriterDetails);
      case 'prepareTransform':
        return prepareTransform(deps, event.job, event.source);
      case 'transformInput':
        return transformHasInput(deps.files, event.job);
      case 'collectTransformShard':
        return collectTransformShard(deps.files, event);
      case 'finalizeTransform':
        return finalizeTransform(deps, event.job, event);
      case 'fail':
        return fail(deps, event.job, event.error);
    }
  };

let cached: ReturnType<typeof makeTasks> | undefined;

export const handler = (event: TaskEvent | ShardEvent | ExecutionStatusChange) => {
  cached ??= makeTasks(stepDepsFromEnv());
  return cached(event);
};
