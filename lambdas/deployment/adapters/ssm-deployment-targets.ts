/**
 * Deployment targets from SSM Parameter Store: one String parameter per model under one path, read
 * with Powertools' SSM provider. The whole path is read in one GetParametersByPath (paged by 10)
 * and cached per container, so a rollout or a request for a model without an endpoint costs no
 * call until the cache expires, however many models there are.
 * @see https://docs.aws.amazon.com/powertools/typescript/latest/features/parameters/
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { DeploymentTarget, DeploymentTargets } from '../../../contracts/deployment';
import { type DeploymentTargetSource, targetOf } from '../domain/targets';

/**
 * How long a container keeps the targets: they change only on `cdk deploy`, and a model added by
 * one is answered within this much of the deploy.
 */
export const TARGETS_MAX_AGE_SECONDS = 60;

export interface SsmDeploymentTargetsOptions {
  readonly client: SSMClient;
  /** The parameters' path, no trailing slash (`DEPLOYMENT_TARGETS_PATH`). */
  readonly path: string;
  /** @default TARGETS_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
}

export class SsmDeploymentTargets implements DeploymentTargetSource {
  private readonly provider: SSMProvider;
  private readonly path: string;
  private readonly maxAge: number;

  constructor(options: SsmDeploymentTargetsOptions) {
    this.provider = new SSMProvider({ awsSdkV3Client: options.client });
    this.path = options.path;
    this.maxAge = options.maxAgeSeconds ?? TARGETS_MAX_AGE_SECONDS;
  }

  async get(modelName: string): Promise<DeploymentTarget | undefined> {
    return targetOf(await this.list(), modelName);
  }

  async list(): Promise<Readonly<DeploymentTargets>> {
    // Names come back relative to the path: `<path>/churn` is `churn`. A value that is not JSON
    // fails the read (throwOnTransformError) rather than passing as a missing endpoint.
    const targets = (await this.provider.getMultiple(this.path, {
      maxAge: this.maxAge,
      transform: 'json',
      throwOnTransformError: true,
      recursive: false,
    })) as DeploymentTargets | undefined;
    return targets ?? {};
  }
}
