import { ARTIFACTS_PREFIX } from '../../../contracts/storage';

/**
 * Artifact keys are content-addressed: the declared sha256 names the object, so an artifact is
 * stored once however many versions use it, and a key is never written with other bytes.
 */

export const artifactKey = (sha256: string, fileName: string): string =>
  `${ARTIFACTS_PREFIX}sha256/${sha256}/${fileName}`;
