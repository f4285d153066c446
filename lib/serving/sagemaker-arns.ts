/**
 * The ARNs of one model's SageMaker resources, as IAM statements scope them: its endpoint, and the
 * prefixes of its endpoint configs and models. SageMaker ARNs carry names in lower case.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { endpointConfigName, sagemakerModelName } from '../../contracts/serving';

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
