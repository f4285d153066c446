/**
 * Deployment's public surface: the only file of `lambdas/deployment/` other capabilities import
 * (the retraining pipeline plans its canary with the same rollout and targets).
 */
export { planRollout } from './domain/rollout';
export type { DeploymentTargetSource } from './domain/targets';
export { deploymentTargets } from './targets-from-env';
