/**
 * Per-model settings as SSM Parameter Store String parameters, one per model under one path of the
 * environment (`contracts/parameters.ts`). The functions get the path in their environment and
 * read one model's parameter by name at run time (cached), so the number of models no longer
 * counts against Lambda's 4 KB of environment per function.
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-hierarchies.html
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { modelParameterName, PARAMETER_VALUE_MAX_BYTES } from '../../contracts/parameters';
import { acknowledge } from './nag';

/** Properties of `ModelParameters`. */
export interface ModelParametersProps {
  /** e.g. `/cdk-mlops/dev/monitored-models`: /-separated, no trailing slash. */
  readonly parameterPath: string;
  /**
   * Each model's settings, by model name; written as JSON. Values may hold tokens (an ECS
   * target's ARNs), resolved by CloudFormation at deploy.
   */
  readonly values: Readonly<Record<string, unknown>>;
  /** What the parameters hold, for their descriptions, e.g. `retraining config`. */
  readonly what: string;
}

export class ModelParameters extends Construct {
  public readonly parameterPath: string;
  /** Whether any model has a parameter: without one there is nothing to read nor grant. */
  public readonly hasParameters: boolean;
  /** The parameter of each model, by model name. */
  public readonly parameters: Readonly<Record<string, ssm.StringParameter>>;

  constructor(scope: Construct, id: string, props: ModelParametersProps) {
    super(scope, id);
    const path = props.parameterPath;
    if (!Token.isUnresolved(path) && !/^(\/[A-Za-z0-9_.-]+)+$/.test(path)) {
      throw new Error(
        `parameterPath must be /-separated letters, digits, _ . - with no trailing /, got ${path}`,
      );
    }
    this.parameterPath = path;
    const parameters: Record<string, ssm.StringParameter> = {};
    const stack = Stack.of(this);
    for (const [modelName, settings] of Object.entries(props.values)) {
      // Plain JSON when the settings hold no token; Fn::Join over the resolved values when they do.
      const value = stack.toJsonString(settings);
      // The model name is the construct id: unique, and as stable as the parameter's name.
      parameters[modelName] = new ssm.StringParameter(this, modelName, {
        parameterName: modelParameterName(path, modelName),
        stringValue: value,
        description: `cdk-mlops ${props.what} of ${modelName}`,
        tier: tierOf(value, `${props.what} of ${modelName}`),
        simpleName: false,
      });
    }
    this.parameters = parameters;
    this.hasParameters = Object.keys(parameters).length > 0;
  }

  /**
   * Grants GetParameter on the path's parameters (`<path>/*`), the one call the readers make, and
   * acknowledges that wildcard on the function's policy; no KMS (String parameters are not
   * encrypted with a customer key).
   */
  grantRead(fn: lambda.Function): iam.Grant {
    const parametersArn = Stack.of(this).formatArn({
      service: 'ssm',
      resource: 'parameter',
      resourceName: `${this.parameterPath.replace(/^\//, '')}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    const grant = iam.Grant.addToPrincipal({
      grantee: fn,
      actions: ['ssm:GetParameter'],
      resourceArns: [parametersArn],
    });
    const policy = fn.role?.node.tryFindChild('DefaultPolicy');
    if (policy) {
      acknowledge(
        policy,
        'AwsSolutions-IAM5',
        `One parameter per configured model under ${this.parameterPath}, read by model name; the path is the narrowest scope that holds a model added later.`,
        { arn: parametersArn },
      );
    }
    return grant;
  }
}

/**
 * Standard while the value fits its 4 KB; Advanced (8 KB, charged per parameter and month) only
 * for a value that does not, e.g. a retraining config with hundreds of hyperparameters or ranges.
 * A parameter stays Advanced once it is: SSM cannot turn it back into a Standard one.
 */
function tierOf(value: string, what: string): ssm.ParameterTier {
  // The limits are in bytes: a description or a label may hold non-ASCII characters.
  const bytes = Buffer.byteLength(value, 'utf8');
  if (Token.isUnresolved(value) || bytes <= PARAMETER_VALUE_MAX_BYTES.standard) {
    return ssm.ParameterTier.STANDARD;
  }
  if (bytes <= PARAMETER_VALUE_MAX_BYTES.advanced) return ssm.ParameterTier.ADVANCED;
  throw new Error(
    `the ${what} must be at most ${PARAMETER_VALUE_MAX_BYTES.advanced} bytes as JSON, got ${bytes}`,
  );
}
