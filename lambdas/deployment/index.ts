/**
 * Deployment's public surface: the only file of `lambdas/deployment/` other capabilities import
 * (the retraining pipeline plans its canary with the same rollout and targets; an experiment holds
 * the endpoint's challenger variant through the same backends and promotes its winner by a rollout;
 * a promotion that starts a rollout goes through `startDeployment`, so a model that asks for
 * sign-off waits for it).
 */
export type { SageMakerRolloutNaming } from './adapters/sagemaker-variant-backend';
export {
  endpointChallengerFromEnv,
  modelRolloutsFromEnv,
  promptRolloutStarterFromEnv,
  rolloutStarterFromEnv,
  sageMakerVariantsOnDemand,
} from './deps';
export { awaitsApproval, type StartOutcome, startDeployment } from './domain/api';
export { EndpointChallenger, type HeldChallenger } from './domain/endpoint-challenger';
export { startModelRollout } from './domain/model-rollout-start';
export type { EndpointControl } from './domain/ports';
export { type PromptAliases, PromptVariantBackend } from './domain/prompt-variant-backend';
export { planRollout } from './domain/rollout';
export type { RolloutState } from './domain/state';
export type { DeploymentTargetSource } from './domain/targets';
export type {
  ChallengerResources,
  ProgressCheck,
  ProgressReport,
  VariantBackend,
} from './domain/variant-backend';
export { winnerRollouts } from './domain/winner-rollouts';
export { deploymentTargets } from './targets-from-env';
