/** Defaults of the retraining pipeline construct, in one place; props spread over them. */
import { Duration } from 'aws-cdk-lib';
import { RETRAINING_DEFAULTS } from '../../contracts/pipeline';

export const PIPELINE_DEFAULTS = {
  /** Retries of a failed training job (a new job each time), then the run ends TrainingFailed. */
  trainingRetries: RETRAINING_DEFAULTS.trainingRetries,
  trainingRetryInterval: Duration.seconds(RETRAINING_DEFAULTS.trainingRetryIntervalSeconds),
  trainingRetryBackoffRate: RETRAINING_DEFAULTS.trainingRetryBackoffRate,
  /** The whole run: training with retries, evaluation and a canary's bakes. */
  timeout: Duration.hours(24),
  taskTimeout: Duration.minutes(5),
  taskMemoryMiB: 1024,
  volumeSizeGb: RETRAINING_DEFAULTS.volumeSizeGb,
  instanceCount: RETRAINING_DEFAULTS.instanceCount,
} as const;

/** The reference trainer's Dockerfile directory, relative to the repository root. */
export const REFERENCE_TRAINER_DIR = 'containers/reference-trainer';

/**
 * The log group SageMaker writes every training job's logs to.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/logging-cloudwatch.html
 */
export const TRAINING_JOBS_LOG_GROUP = '/aws/sagemaker/TrainingJobs';
