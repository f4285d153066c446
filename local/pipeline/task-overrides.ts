/**
 * How local mode runs the retraining state machine's non-Lambda Tasks (by state name): SageMaker
 * training as the reference trainer subprocess, the canary as a nested execution of the
 * template's deployment state machine through the local Step Functions API. Every other Task runs
 * the template's Lambda handler, as on AWS.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { RetrainingState } from '../../contracts/pipeline';
import { nestedExecutionViaApi, type StepFunctionsApi } from './nested-execution-task';
import { localTrainingJobTask } from './training-job-task';

export function retrainingTaskOverrides(input: {
  readonly s3: S3Client;
  /** Read at each call: the local Step Functions is built with these overrides. */
  readonly stepFunctions: () => StepFunctionsApi;
}): Record<string, (input: unknown) => Promise<unknown>> {
  return {
    [RetrainingState.TRAIN]: localTrainingJobTask(input.s3),
    [RetrainingState.CANARY]: nestedExecutionViaApi(input.stepFunctions),
  };
}
