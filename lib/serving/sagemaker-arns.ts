/**
 * The ARNs of one model's SageMaker resources, as IAM statements scope them: its endpoint, and the
 * prefixes of its endpoint configs and models. SageMaker ARNs carry names in lower case.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { createHash } from 'node:crypto';
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { endpointConfigName, sagemakerModelName } from '../../contracts/serving';
import { platformStackName } from '../shared/capability-stack';

export function sageMakerArns(
  scope: IConstruct,
  _modelName: string,
  endpointName: string,
): { endpoint: string; configs: string; models: string } {
  const stack = Stack.of(scope);
  const arn = (resource: string, resourceName: string) =>
    stack.formatArn({
      service: 'sagemaker',
      resource,
      resourceName: resourceName.toLowerCase(),
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  return {
    endpoint: arn('endpoint', endpointName),
    configs: arn('endpoint-config', `${endpointConfigName(endpointName, '')}*`),
    models: arn('model', `${sagemakerModelName(endpointName, 1).replace(/-v1$/, '')}-*`),
  };
}

/**
 * `<platform stack>-<endpoint name>`, unique per environment and endpoint; past IAM's 64 characters
 * cut, with a hash of the whole name.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export function modelRoleName(stackName: string, endpointName: string): string {
  const name = `${stackName}-${endpointName}`;
  if (name.length <= 64) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, 55)}-${hash}`;
}

/**
 * The ARN of an endpoint's model role from its name alone (`modelRoleName`), with no reference to
 * the role: a rollout in another (nested) stack passes it without a stack parameter per endpoint.
 */
export function modelRoleArn(scope: IConstruct, endpointName: string): string {
  return Stack.of(scope).formatArn({
    service: 'iam',
    region: '',
    resource: 'role',
    resourceName: modelRoleName(platformStackName(scope), endpointName),
  });
}
