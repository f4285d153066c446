/**
 * IAM of the rollout's task function, least privilege: SageMaker only on the target endpoints (model
 * endpoints and LMI LLM endpoints with candidates), their configs and models; PassRole only of their
 * model roles, only to SageMaker; ECS and the load
 * balancer only on the ECS targets' services and listeners, PassRole of their task roles only to
 * ECS tasks; DescribeAlarms only on their alarms; S3 only on artifacts (read) and packages.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 */
import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { DeploymentTargets } from '../../contracts/deployment';
import { MODEL_PACKAGES_PREFIX, Variant } from '../../contracts/serving';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { modelRoleArn, sageMakerArns } from '../serving/sagemaker-arns';
import { grantServiceScaling, grantVariantScaling } from '../serving/scaling-permissions';
import { acknowledge } from '../shared/nag';
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
  // ECS-served targets get no SageMaker access (see `grantEcsRolloutAccess`), only their alarms.
  const onSageMaker = targets.filter((t) => t.endpoint.sageMaker);
  if (onSageMaker.length > 0) {
    grantSageMakerRollouts(
      fn,
      onSageMaker.map((t) => t.endpoint.endpointName),
      MODEL_ENDPOINT_ROLLOUT,
    );
  }
  passModelRoles(
    fn,
    'PassModelRole',
    targets.flatMap((t) => (t.endpoint.sageMaker ? [t.endpoint.sageMaker.roleArn] : [])),
  );
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
  // A promotion registers the variants' autoscaling (an endpoint the first rollout created has none).
  grantVariantScaling(
    fn,
    onSageMaker.map((t) => t.endpoint.endpointName),
  );
  const policy = fn.role!;
  for (const t of targets) {
    const arn = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: `${t.endpoint.endpointName}-*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    acknowledge(policy, 'AwsSolutions-IAM5', 'The canary alarms of one endpoint share its name as prefix.', {
      arn,
    });
  }
}

/**
 * SageMaker calls of model rollouts on LMI LLM endpoints (targets with `lmi`), and only those: the
 * rollout adds the candidate as the challenger variant (CreateModel like the champion's model, a
 * config with both variants), moves the weights, then promotes (a config of the champion alone on
 * the candidate's model) or restores the pre-rollout config, deleting what it made; PassRole of the
 * endpoint's LMI role alone (CreateModel passes the champion's role). The endpoint custom resource
 * creates and deletes the endpoint, so the rollout may do neither. Its alarms are read by name
 * (`ReadModelRolloutAlarms`).
 */
export function grantLmiRolloutAccess(fn: PlatformFunction, targets: Readonly<DeploymentTargets>): void {
  const endpoints = Object.values(targets).flatMap((t) => (t.lmi ? [t.lmi.sageMakerEndpointName] : []));
  if (endpoints.length === 0) return;
  grantSageMakerRollouts(fn, endpoints, LMI_ENDPOINT_ROLLOUT);
  passModelRoles(
    fn,
    'PassLmiRole',
    endpoints.map((e) => modelRoleArn(fn, e)),
  );
}

/** What a rollout may do to its endpoints, and the statement ids it does it under. */
interface SageMakerRolloutActions {
  readonly sidPrefix: string;
  readonly endpointActions: readonly string[];
}

const MODEL_ENDPOINT_ROLLOUT: SageMakerRolloutActions = {
  sidPrefix: 'Rollout',
  endpointActions: [
    'sagemaker:DescribeEndpoint',
    'sagemaker:UpdateEndpoint',
    'sagemaker:UpdateEndpointWeightsAndCapacities',
    // A first rollout creates a missing endpoint from the initial config; its rollback deletes it.
    'sagemaker:CreateEndpoint',
    'sagemaker:DeleteEndpoint',
  ],
};

const LMI_ENDPOINT_ROLLOUT: SageMakerRolloutActions = {
  sidPrefix: 'LmiRollout',
  endpointActions: [
    'sagemaker:DescribeEndpoint',
    'sagemaker:UpdateEndpoint',
    'sagemaker:UpdateEndpointWeightsAndCapacities',
  ],
};

/**
 * SageMaker calls on the given endpoints, their configs and their models (`sageMakerArns`: names
 * under `<endpoint>-`), with the acknowledgement of those two name prefixes.
 */
function grantSageMakerRollouts(
  fn: PlatformFunction,
  endpointNames: readonly string[],
  { sidPrefix, endpointActions }: SageMakerRolloutActions,
): void {
  const arns = endpointNames.map((e) => sageMakerArns(fn, e, e));
  const configs = arns.map((a) => a.configs);
  const models = arns.map((a) => a.models);
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `${sidPrefix}Endpoints`,
      actions: [...endpointActions],
      resources: arns.map((a) => a.endpoint),
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `${sidPrefix}Configs`,
      actions: [
        'sagemaker:DescribeEndpointConfig',
        'sagemaker:CreateEndpointConfig',
        'sagemaker:DeleteEndpointConfig',
        // Creating or updating an endpoint is authorized on the config it moves to as well (as
        // Step Functions' own SageMaker tasks grant it).
        ...endpointActions.filter(
          (a) => a === 'sagemaker:CreateEndpoint' || a === 'sagemaker:UpdateEndpoint',
        ),
      ],
      resources: configs,
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: `${sidPrefix}Models`,
      actions: ['sagemaker:DescribeModel', 'sagemaker:CreateModel', 'sagemaker:DeleteModel'],
      resources: models,
    }),
  );
  // On the role, not its default policy: past IAM's inline size limit CDK moves statements into
  // managed `OverflowPolicyN` policies, which the role's acknowledgements cover too.
  for (const arn of [...configs, ...models]) {
    acknowledge(
      fn.role!,
      'AwsSolutions-IAM5',
      'Each rollout makes its own immutable endpoint configs and a model per version, all under the endpoint name prefix.',
      { arn },
    );
  }
}

/** PassRole of `roles`, only to SageMaker (CreateModel passes the model's execution role). */
function passModelRoles(fn: PlatformFunction, sid: string, roles: readonly string[]): void {
  if (roles.length === 0) return;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid,
      actions: ['iam:PassRole'],
      resources: [...roles],
      conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
    }),
  );
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
  const policy = fn.role!;
  for (const arn of [artifacts, packages]) {
    acknowledge(
      policy,
      'AwsSolutions-IAM5',
      'Artifacts are content-addressed and packages per model version: the prefix, and nothing outside it.',
      { arn },
    );
  }
}

/**
 * ECS and load balancer calls of rollouts on endpoints served by ECS: UpdateService and
 * DescribeServices on their variants' services only, ModifyListener on their listeners only,
 * PassRole of their task and execution roles only, to ECS tasks only (RegisterTaskDefinition
 * passes both roles of the copied task definition).
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
 */
export function grantEcsRolloutAccess(fn: PlatformFunction, targets: readonly DeploymentTargetProps[]): void {
  const backends = targets.flatMap((t) => (t.endpoint.ecs ? [t.endpoint.ecs] : []));
  if (backends.length === 0) return;
  const variants = [Variant.CHAMPION, Variant.CHALLENGER] as const;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RolloutServices',
      actions: ['ecs:DescribeServices', 'ecs:UpdateService'],
      resources: backends.flatMap((b) => variants.map((v) => b.services[v].serviceArn)),
    }),
  );
  // The challenger scales while it runs tasks: the rollout registers and deregisters it.
  for (const b of backends)
    grantServiceScaling(
      fn,
      b.cluster.clusterName,
      variants.map((v) => b.services[v].serviceName),
    );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'RolloutListeners',
      actions: ['elasticloadbalancing:ModifyListener'],
      resources: backends.map((b) => b.listener.listenerArn),
    }),
  );
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid: 'PassTaskRoles',
      actions: ['iam:PassRole'],
      resources: backends.flatMap((b) =>
        variants.flatMap((v) => {
          const td = b.taskDefinitions[v];
          return [td.taskRole.roleArn, ...(td.executionRole ? [td.executionRole.roleArn] : [])];
        }),
      ),
      conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
    }),
  );
  // These four actions have no resource-level permissions: a policy of their own, so that its
  // acknowledgement covers them and nothing else.
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html
  // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html
  const unscoped = new iam.Policy(fn, 'EcsRolloutUnscopedPolicy', {
    statements: [
      new iam.PolicyStatement({
        sid: 'TaskDefinitionRevisions',
        actions: ['ecs:DescribeTaskDefinition', 'ecs:RegisterTaskDefinition', 'ecs:DeregisterTaskDefinition'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadListenerWeights',
        actions: ['elasticloadbalancing:DescribeListeners'],
        resources: ['*'],
      }),
    ],
  });
  fn.role!.attachInlinePolicy(unscoped);
  acknowledge(
    unscoped,
    'AwsSolutions-IAM5',
    'ecs:Describe/Register/DeregisterTaskDefinition and elasticloadbalancing:DescribeListeners support no resource-level permissions; the services and listeners they act on are scoped in the role policy.',
    'Resource::*',
  );
}
