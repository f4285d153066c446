/**
 * Monitoring's public surface: the only file of `lambdas/monitoring/` other capabilities import
 * (the retraining pipeline profiles and scores with the same code monitoring checks with; the
 * experiments' sample-ratio test uses the same chi-square tail the drift checks do).
 */

export { buildProfile } from './domain/profile';
export { LOWER_IS_BETTER, qualityMetrics } from './domain/quality';
export { csvRecords, formatOf, parseTabular } from './domain/tabular';
