/**
 * The stack's rollout targets from env, apart from the rest of the deployment wiring so that a
 * capability reading them (the retraining pipeline) loads only the SSM client.
 */
import { ENV } from '../../contracts/env';
import { lazyPort } from '../shared/lazy-port';
import { type DeploymentTargetSource, fixedTargets } from './domain/targets';

let targets: DeploymentTargetSource | undefined;

/**
 * The stack's rollout targets (SSM parameters under `DEPLOYMENT_TARGETS_PATH`), one cached reader
 * per container; none when the stack declares no endpoint. The retraining tasks read them too.
 */
export function deploymentTargets(): DeploymentTargetSource {
  const path = process.env[ENV.deploymentTargetsPath];
  targets ??= path
    ? // SSM is imported by the first read.
      lazyPort<DeploymentTargetSource>(
        async () => (await import('./on-demand')).ssmDeploymentTargets(path),
        {},
      )
    : fixedTargets({});
  return targets;
}
