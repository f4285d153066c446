/** Errors only the privacy capability meets. */
import { NotFoundError } from '../../shared/errors';

/** 404: no erasure has this id. */
export class ErasureNotFoundError extends NotFoundError {
  constructor(erasureId: string) {
    super('ERASURE_NOT_FOUND', `erasure ${erasureId} does not exist`, { details: { erasureId } });
    this.name = 'ErasureNotFoundError';
  }
}
