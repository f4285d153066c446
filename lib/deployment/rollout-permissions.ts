/**
 * IAM of the rollout's task function, least privilege: SageMaker only on the target endpoints,
 * their configs and models; PassRole only of their model roles, only to SageMaker; DescribeAlarms
 * only on their alarms; S3 only on artifacts (read) and packages (read, write).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference';
import { endpointConfigName, MODEL_PACKAGES_PREFIX, sagemakerModelName } from '../../contracts/serving';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import type { PlatformFunction } from '../shared/platform-function';
import type { DeploymentStorage, DeploymentTargetProps } from './model-deployment';

/**
 * SageMaker calls on the targets' endpoints, configs and models only; PassRole of their model
 * roles only, to SageMaker only; DescribeAlarms on their alarms only.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
export function grantRolloutAccess(fn: PlatformFunction, targets: readonly DeploymentTargetProps[]): void {
  if (targets.length === 0) return;
  const stack = Stack.of(fn);
  const sm = (resource: string, resourceName: string) =>
    stack.formatArn({
      service: 'sagemaker',
      resource,
      resourceName,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
  // SageMaker ARNs carry names in lower case.
  const lower = (s: string) => s.toLowerCase();
  const endpoints = targets.map((t) => sm('endpoint', lower(t.endpoint.endpointName)));
  const configs = targets.map((t) =>
    sm('endpoint-config', `${lower(endpointConfigName(t.endpoint.modelName, ''))}*`),
  );
  const models = targets.map((t) =>
    sm('model', `${lower(sagemakerModelName(t.endpoint.modelName, 1).replace(/-v1$/, ''))}-*`),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RolloutEndpoints',
      actions: [
        'sagemaker:DescribeEndpoint',
        'sagemaker:UpdateEndpoint',
        'sagemaker:UpdateEndpointWeightsAndCapacities',
        // A first rollout creates a missing endpoint from the initial config; its rollback deletes it.
        'sagemaker:CreateEndpoint',
        'sagemaker:DeleteEndpoint',
      ],
      resources: endpoints,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RolloutConfigs',
      actions: [
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DeleteEndpointConfig',
      ],
      resources: configs,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RolloutModels',
      actions: ['sagemaker:DescribeModel', 'sagemaker:CreateModel', 'sagemaker:DeleteModel'],
      resources: models,
    }),
  );
  const roles = targets.flatMap((t) => (t.endpoint.sageMaker ? [t.endpoint.sageMaker.role.roleArn] : []));
  if (roles.length > 0) {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'PassModelRole',
        actions: ['iam:PassRole'],
        resources: roles,
        conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      }),
    );
  }
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ReadAlarms',
      actions: ['cloudwatch:DescribeAlarms'],
      resources: targets.map((t) =>
        stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: `${t.endpoint.endpointName}-*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ),
    }),
  );
  const policy = fn.role!.node.findChild('DefaultPolicy');
  for (const arn of [...configs, ...models]) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`,
      reason:
        'Each rollout makes its own immutable endpoint configs and a model per version, all under the endpoint name prefix.',
    });
  }
  for (const t of targets) {
    const arn = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${t.endpoint.endpointName}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`,
      reason: 'The canary alarms of one endpoint share its name as prefix.',
    });
  }
}

/**
 * A rollout packages the version's ONNX artifact for SageMaker first: read `artifacts/`, write
 * `serving/packages/` (HeadObject needs ListBucket to tell a missing package, 404, from 403).
 */
export function grantPackaging(fn: PlatformFunction, storage: DeploymentStorage): void {
  const artifacts = storage.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`);
  const packages = storage.artifactsBucket.arnForObjects(`${MODEL_PACKAGES_PREFIX}*`);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ReadArtifacts',
      actions: ['s3:GetObject'],
      resources: [artifacts, packages],
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({ sid: 'WritePackages', actions: ['s3:PutObject'], resources: [packages] }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'ListArtifacts',
      actions: ['s3:ListBucket'],
      resources: [storage.artifactsBucket.bucketArn],
    }),
  );
  storage.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
  const stack = Stack.of(fn);
  const policy = fn.role!.node.findChild('DefaultPolicy');
  for (const arn of [artifacts, packages]) {
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${flattenCfnReference(stack.resolve(arn))}]`,
      reason:
        'Artifacts are content-addressed and packages per model version: the prefix, and nothing outside it.',
    });
  }
}
