/**
 * The experiments capability's public surface: what another capability may use of it. The predict
 * path assigns units to arms with the same function outcomes are attributed with, and records the
 * predictions it serves inside an experiment; monitoring feeds the ground truth it receives for
 * them into the experiment's ground-truth metrics.
 */
export { assign, bucketOf } from './domain/assignment';
export type { ExposureLog, GroundTruthLabel, IngestResult } from './domain/ports';
export { exposureLogFromEnv, type GroundTruthFeed, groundTruthFeedFromEnv } from './ground-truth-deps';
