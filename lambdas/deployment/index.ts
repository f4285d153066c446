/**
 * Deployment's public surface: the only file of `lambdas/deployment/` other capabilities import
 * (the retraining pipeline plans its canary with the same rollout and targets; an experiment holds
 * the endpoint's challenger variant through the same backends and promotes its winner by a rollout).
 */
export { endpointChallengerFromEnv, rolloutStarterFromEnv } from './deps';
export { EndpointChallenger, type HeldChallenger } from './domain/endpoint-challenger';
export { planRollout } from './domain/rollout';
export type { DeploymentTargetSource } from './domain/targets';
export { deploymentTargets } from './targets-from-env';
