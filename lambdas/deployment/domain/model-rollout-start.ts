/**
 * The start of a model rollout of an LLM endpoint, on the rollout machinery a model's and a
 * prompt's use (lock, record, audit, execution): keyed by the endpoint's rollout subject, with the
 * candidate model id in place of a registry version, so nothing is asked of the registry.
 */
import type { Deployment } from '../../../contracts/deployment';
import {
  MODEL_ROLLOUT_BACKEND,
  MODEL_ROLLOUT_VERSION,
  modelRolloutSubject,
  type StartModelRolloutRequest,
} from '../../../contracts/llm-rollouts';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { type DeploymentApiDeps, startRollout } from './api';

/**
 * Starts the rollout of `req.candidate` on LLM endpoint `endpoint`, which the caller checked (a
 * Bedrock endpoint, a declared and priced candidate it does not serve yet). 404 when the stack has
 * no model rollout target for the endpoint, 409 while another rollout of it runs.
 */
export async function startModelRollout(
  deps: DeploymentApiDeps,
  actor: { principal: string; requestId?: string },
  endpoint: string,
  req: StartModelRolloutRequest,
): Promise<Deployment> {
  const subject = modelRolloutSubject(endpoint);
  const target = await deps.targets.get(subject);
  if (target?.backend !== MODEL_ROLLOUT_BACKEND) {
    throw new NotFoundError(
      'MODEL_ROLLOUT_NOT_CONFIGURED',
      `LLM endpoint ${endpoint} has no model rollouts; declare its candidateModels in mlops:llm`,
    );
  }
  try {
    return await startRollout(
      deps,
      actor,
      subject,
      {
        version: MODEL_ROLLOUT_VERSION,
        ...(req.canarySteps ? { canarySteps: req.canarySteps } : {}),
        ...(req.bakeMinutes !== undefined ? { bakeMinutes: req.bakeMinutes } : {}),
      },
      target,
      { deploymentId: deps.newId(), candidateModel: req.candidate },
    );
  } catch (err) {
    if (err instanceof ConflictError && err.code === 'DEPLOYMENT_IN_PROGRESS') {
      // Named for the endpoint, not for the subject the lock is kept under.
      throw new ConflictError(
        'DEPLOYMENT_IN_PROGRESS',
        `a model rollout of LLM endpoint ${endpoint} is in progress`,
        { details: err.details, cause: err },
      );
    }
    throw err;
  }
}

/**
 * What the LLM route function starts and reads model rollouts with: the start above, and a
 * rollout's record (the function may start executions but describes none).
 */
export function modelRollouts(deps: DeploymentApiDeps) {
  return {
    start: (
      actor: { principal: string; requestId?: string },
      endpoint: string,
      req: StartModelRolloutRequest,
    ): Promise<Deployment> => startModelRollout(deps, actor, endpoint, req),
    get: async (endpoint: string, deploymentId: string): Promise<Deployment> => {
      const found = await deps.store.getDeployment(modelRolloutSubject(endpoint), deploymentId);
      if (!found) {
        throw new NotFoundError(
          'DEPLOYMENT_NOT_FOUND',
          `LLM endpoint ${endpoint} has no model rollout ${deploymentId}`,
        );
      }
      return found;
    },
  };
}
