/**
 * Deployment's public surface: the only file of `lambdas/deployment/` other capabilities import
 * (the retraining pipeline plans its canary with the same rollout and targets; a promotion that
 * starts a rollout goes through `startDeployment`, so a model that asks for sign-off waits for it).
 */
export { awaitsApproval, type StartOutcome, startDeployment } from './domain/api';
export { planRollout } from './domain/rollout';
export type { DeploymentTargetSource } from './domain/targets';
export { deploymentTargets } from './targets-from-env';
