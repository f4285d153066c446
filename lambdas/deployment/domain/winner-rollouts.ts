/**
 * The rollout as an experiment's conclusion drives it: the same checks, lock, execution and
 * sign-off as the start route, split in the steps a conclusion takes (ask before changing
 * anything, open the approval request where the model asks for one, start once the endpoint is
 * free of the experiment's variant).
 */
import type { ApprovalRequest } from '../../../contracts/approvals';
import { ConflictError } from '../../shared/errors';
import {
  awaitsApproval,
  type DeploymentApiDeps,
  requestRolloutApproval,
  requireRolloutPossible,
  startApprovedRollout,
  startDeployment,
} from './api';

/** What an experiment's promotion of its winner calls (the experiments domain's `Promoter`). */
export function winnerRollouts(deps: DeploymentApiDeps) {
  return {
    check: async (modelName: string, version: number): Promise<void> => {
      await requireRolloutPossible(deps, modelName, version);
    },
    requestApproval: (modelName: string, version: number, principal: string) =>
      requestRolloutApproval(deps, { principal }, modelName, version),
    approval: (modelName: string, id: string): Promise<ApprovalRequest | undefined> =>
      deps.registry.getApproval(modelName, id),
    promote: async (modelName: string, version: number, principal: string) => {
      const started = await startDeployment(deps, { principal }, modelName, { version });
      // A conclusion opens the request itself where the model asks for sign-off, so a start waiting
      // on one is a policy changed in between: the rollout starts when the request is approved.
      if (awaitsApproval(started)) {
        throw new ConflictError(
          'APPROVAL_PENDING',
          `the rollout of ${modelName} version ${version} waits for approval request ${started.approval.id}`,
          { details: { approvalId: started.approval.id } },
        );
      }
      return { deploymentId: started.deploymentId };
    },
    /**
     * The rollout under the request's id, as the approval's event starts it: a second call finds
     * it. A start refused once approved spent the grant (START_FAILED): its refusal is answered.
     */
    promoteApproved: async (modelName: string, approvalId: string) => {
      const outcome = await startApprovedRollout(deps, modelName, approvalId);
      if (!outcome) return undefined;
      if (outcome.started) return { deploymentId: outcome.started.deploymentId };
      const failure = outcome.startFailed.startFailure;
      return {
        refused: failure ? `${failure.code}: ${failure.message}` : 'the approved rollout could not start',
      };
    },
  };
}
