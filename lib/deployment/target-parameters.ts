/**
 * The rollout targets as SSM Parameter Store String parameters, one per model under one path, with
 * the ARNs of ECS targets resolved by CloudFormation at deploy. The functions that plan or drive
 * rollouts read the path at run time (cached), so a target's size no longer counts against
 * Lambda's 4 KB environment limit.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-hierarchies.html
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import type { DeploymentTargets } from '../../contracts/deployment';
import { ModelParameters } from '../shared/model-parameters';

/** Where the rollout targets are and how to read them. */
export interface IDeploymentTargets {
  /** The SSM path (no trailing slash) whose parameters are the targets, named by model. */
  readonly parameterPath: string;
  /** Whether any model has a target: without one there is nothing to read nor grant. */
  readonly hasTargets: boolean;
  /**
   * Grants GetParametersByPath on the path, the one call the readers make; no KMS (String
   * parameters are not encrypted with a customer key).
   */
  grantRead(grantee: iam.IGrantable): iam.Grant;
}

/** Properties of `DeploymentTargetParameters`. */
export interface DeploymentTargetParametersProps {
  /** e.g. `/cdk-mlops/dev/deployment-targets` (see `deploymentTargetsPath`). */
  readonly parameterPath: string;
  /** The targets by model name; values may hold tokens, resolved at deploy. */
  readonly targets: DeploymentTargets;
}

/**
 * The rollout targets as per-model parameters (`ModelParameters`: path, names, tiers and token
 * resolution are the same as every per-model setting's). Only the read differs: the rollout
 * readers list the whole path with GetParametersByPath, so the grant is on the path itself.
 */
export class DeploymentTargetParameters extends ModelParameters implements IDeploymentTargets {
  constructor(scope: Construct, id: string, props: DeploymentTargetParametersProps) {
    super(scope, id, { parameterPath: props.parameterPath, values: props.targets, what: 'rollout target' });
  }

  get hasTargets(): boolean {
    return this.hasParameters;
  }

  override grantRead(grantee: iam.IGrantable): iam.Grant {
    // GetParametersByPath is authorized against the requested path itself, not the parameters
    // it returns: the path's ARN, no wildcard.
    // https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-retrieval-authorization.html
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['ssm:GetParametersByPath'],
      resourceArns: [
        Stack.of(this).formatArn({
          service: 'ssm',
          resource: 'parameter',
          resourceName: this.parameterPath.replace(/^\//, ''),
          arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
        }),
      ],
    });
  }
}
