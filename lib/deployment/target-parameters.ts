/**
 * The rollout targets as SSM Parameter Store String parameters, one per model under one path, with
 * the ARNs of ECS targets resolved by CloudFormation at deploy. The functions that plan or drive
 * rollouts read the path at run time (cached), so a target's size no longer counts against
 * Lambda's 4 KB environment limit.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-hierarchies.html
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { type DeploymentTargets, deploymentTargetParameterName } from '../../contracts/deployment';

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

/** A Standard parameter's value limit. @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html */
const STANDARD_VALUE_MAX_CHARS = 4096;

export class DeploymentTargetParameters extends Construct implements IDeploymentTargets {
  public readonly parameterPath: string;
  public readonly hasTargets: boolean;
  /** The parameter of each model, by model name. */
  public readonly parameters: Readonly<Record<string, ssm.StringParameter>>;

  constructor(scope: Construct, id: string, props: DeploymentTargetParametersProps) {
    super(scope, id);
    const path = props.parameterPath;
    if (!Token.isUnresolved(path) && !/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) {
      throw new Error(
        `parameterPath must be /-separated letters, digits, _ . - with no trailing /, got ${path}`,
      );
    }
    this.parameterPath = path;
    const stack = Stack.of(this);
    const parameters: Record<string, ssm.StringParameter> = {};
    for (const [modelName, target] of Object.entries(props.targets)) {
      const value = stack.toJsonString(target);
      if (!Token.isUnresolved(value) && value.length > STANDARD_VALUE_MAX_CHARS) {
        throw new Error(
          `deployment target of ${modelName} must be at most ${STANDARD_VALUE_MAX_CHARS} characters, got ${value.length}`,
        );
      }
      // The model name is the construct id: unique, and as stable as the parameter's name.
      parameters[modelName] = new ssm.StringParameter(this, modelName, {
        parameterName: deploymentTargetParameterName(path, modelName),
        stringValue: value,
        description: `cdk-mlops rollout target of ${modelName}`,
        tier: ssm.ParameterTier.STANDARD,
        simpleName: false,
      });
    }
    this.parameters = parameters;
    this.hasTargets = Object.keys(parameters).length > 0;
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
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
