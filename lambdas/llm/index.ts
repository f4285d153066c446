/**
 * LLMOps' public surface: the only file of `lambdas/llm/` other capabilities import. The deployment
 * capability's rollout tasks drive an LLM endpoint's model rollout through this backend.
 */
export { endpointModelBackend } from './model-rollouts-from-env';
