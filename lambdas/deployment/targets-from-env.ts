/**
 * The stack's rollout targets from env, apart from the rest of the deployment wiring so that a
 * capability reading them (the retraining pipeline) loads only the SSM client.
 */
import { SSMClient } from '@aws-sdk/client-ssm';
import { ENV } from '../../contracts/env';
import { withTimeouts } from '../shared/clients';
import { SsmDeploymentTargets } from './adapters/ssm-deployment-targets';
import { type DeploymentTargetSource, fixedTargets } from './domain/targets';

let targets: DeploymentTargetSource | undefined;

/**
 * The stack's rollout targets (SSM parameters under `DEPLOYMENT_TARGETS_PATH`), one cached reader
 * per container; none when the stack declares no endpoint. The retraining tasks read them too.
 */
export function deploymentTargets(): DeploymentTargetSource {
  const path = process.env[ENV.deploymentTargetsPath];
  targets ??= path
    ? new SsmDeploymentTargets({
        client: new SSMClient({ ...withTimeouts(), endpoint: process.env[ENV.ssmEndpoint] || undefined }),
        path,
      })
    : fixedTargets({});
  return targets;
}
