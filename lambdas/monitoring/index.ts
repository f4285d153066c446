/**
 * Monitoring's public surface: the only file of `lambdas/monitoring/` other capabilities import
 * (the retraining pipeline profiles and scores with the same code monitoring checks with).
 */
export { buildProfile } from './domain/profile';
export { LOWER_IS_BETTER, qualityMetrics } from './domain/quality';
export { formatOf, parseTabular } from './domain/tabular';
