/** Errors only the privacy capability meets. */
import { ConflictError, NotFoundError } from '../../shared/errors';

/** 404: no erasure has this id. */
export class ErasureNotFoundError extends NotFoundError {
  constructor(erasureId: string) {
    super('ERASURE_NOT_FOUND', `erasure ${erasureId} does not exist`, { details: { erasureId } });
    this.name = 'ErasureNotFoundError';
  }
}

/** Another erasure held the lock for longer than a run waits; the invocation is retried. */
export class ErasureBusyError extends Error {
  constructor(erasureId: string) {
    super(`erasure ${erasureId} waited too long for another erasure to finish; it will be retried`);
    this.name = 'ErasureBusyError';
  }
}

/**
 * Another invocation of the same erasure saved its progress first (a retried invocation racing a
 * hand-over): that one owns the run, this one stops without marking it FAILED.
 */
export class ErasureMovedOnError extends ConflictError {
  constructor(erasureId: string, options?: { cause?: unknown }) {
    super('CONCURRENT_MODIFICATION', `erasure ${erasureId} moved on in another run`, options);
    this.name = 'ErasureMovedOnError';
  }
}
