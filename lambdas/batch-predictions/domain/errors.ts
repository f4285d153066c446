/**
 * The batch prediction errors, each owning its message and (through the catalogue) its status.
 */
import { ConflictError, NotFoundError } from '../../shared/errors';

export class BatchPredictionNotFoundError extends NotFoundError {
  constructor(jobId: string) {
    super('BATCH_PREDICTION_NOT_FOUND', `no batch prediction ${jobId}`);
  }
}

export class BatchPredictionFinishedError extends ConflictError {
  constructor(jobId: string, status: string) {
    super(
      'BATCH_PREDICTION_FINISHED',
      `batch prediction ${jobId} is ${status}: only a submitted or running job can be cancelled`,
    );
  }
}

export class BatchPredictionNotResumableError extends ConflictError {
  constructor(jobId: string, status: string) {
    super(
      'BATCH_PREDICTION_NOT_RESUMABLE',
      `batch prediction ${jobId} is ${status}: only a failed or cancelled job resumes`,
    );
  }
}
