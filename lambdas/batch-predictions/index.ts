/**
 * The batch predictions capability's public surface: what another capability may use of it.
 */
export { publicJob } from './domain/jobs';
export type { StoredJob } from './domain/ports';
export { type ScoredBatch, scoreRows } from './domain/score-rows';
