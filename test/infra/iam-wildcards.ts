/**
 * The IAM statements allowed `Resource: "*"`: actions the Service Authorization Reference lists
 * with no resource type (so "*" is the only resource a policy can name), actions CDK scopes by a
 * condition key instead, and the few CDK-generated grants left as they are, each with its reason.
 * Any other action on "*" is an unexplained wildcard.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
const REFERENCE = 'https://docs.aws.amazon.com/service-authorization/latest/reference';

/** Actions with no resource-level permissions, by the Service Authorization Reference page saying so. */
export const NO_RESOURCE_LEVEL: Readonly<Record<string, string>> = {
  // Lambda and Step Functions active tracing.
  'xray:PutTraceSegments': `${REFERENCE}/list_awsx-ray.html`,
  'xray:PutTelemetryRecords': `${REFERENCE}/list_awsx-ray.html`,
  'xray:GetSamplingRules': `${REFERENCE}/list_awsx-ray.html`,
  'xray:GetSamplingTargets': `${REFERENCE}/list_awsx-ray.html`,
  // SageMaker model role (metrics limited by namespace condition) and ECS instances.
  'cloudwatch:PutMetricData': `${REFERENCE}/list_amazoncloudwatch.html`,
  'ecr:GetAuthorizationToken': `${REFERENCE}/list_amazonelasticcontainerregistry.html`,
  'ecs:DiscoverPollEndpoint': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  // ECS rollouts: task definition revisions, listener weights.
  'ecs:RegisterTaskDefinition': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:DescribeTaskDefinition': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:DeregisterTaskDefinition': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'elasticloadbalancing:DescribeListeners': `${REFERENCE}/list_awselasticloadbalancingv2.html`,
  // The outbox's stream event source mapping.
  'dynamodb:ListStreams': `${REFERENCE}/list_amazondynamodb.html`,
  // CDK's ECS instance-drain hook.
  'ec2:DescribeHosts': `${REFERENCE}/list_amazonec2.html`,
  'ec2:DescribeInstanceAttribute': `${REFERENCE}/list_amazonec2.html`,
  'ec2:DescribeInstanceStatus': `${REFERENCE}/list_amazonec2.html`,
  'ec2:DescribeInstances': `${REFERENCE}/list_amazonec2.html`,
  // Step Functions logging to CloudWatch Logs (vended log delivery).
  // https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
  'logs:CreateLogDelivery': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:GetLogDelivery': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:UpdateLogDelivery': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:DeleteLogDelivery': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:ListLogDeliveries': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:PutResourcePolicy': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:DescribeResourcePolicies': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
  'logs:DescribeLogGroups': `${REFERENCE}/list_amazoncloudwatchlogs.html`,
};

/**
 * Actions that have resource types but that CDK's ECS capacity grants on "*" with an
 * `ArnEquals ecs:cluster` condition: allowed only in a statement carrying a condition.
 */
export const CONDITIONED: Readonly<Record<string, string>> = {
  'ecs:Poll': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:StartTelemetrySession': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:DescribeContainerInstances': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:DescribeTasks': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:ListTasks': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
  'ecs:UpdateContainerInstancesState': `${REFERENCE}/list_amazonelasticcontainerservice.html`,
};

/**
 * Scopable actions left on "*", with why: each is a grant CDK writes itself with no option to
 * narrow it. Keep this list short; anything new here needs a reason as good.
 */
export const KNOWN_UNSCOPED: Readonly<Record<string, string>> = {
  'logs:CreateLogStream':
    "CDK's ECS instance-role statement (AsgCapacityProvider); the GPU instances' containers log through the task execution role, scoped to their log group.",
  'logs:PutLogEvents':
    "CDK's ECS instance-role statement (AsgCapacityProvider); the GPU instances' containers log through the task execution role, scoped to their log group.",
};

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

/** One `Resource: "*"` statement's actions that nothing above explains. */
export interface UnexplainedWildcard {
  readonly template: string;
  readonly resource: string;
  readonly actions: string[];
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Every Allow statement on "*" in the templates' IAM policies and roles, less the explained actions. */
export function unexplainedWildcards(
  templates: ReadonlyArray<{
    name: string;
    template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
  }>,
): UnexplainedWildcard[] {
  const found: UnexplainedWildcard[] = [];
  for (const { name, template } of templates) {
    for (const [id, r] of Object.entries(template.Resources ?? {})) {
      const docs: Array<{ Statement?: Statement[] }> = [];
      const p = r.Properties ?? {};
      if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(r.Type))
        docs.push(p.PolicyDocument as never);
      if (r.Type === 'AWS::IAM::Role') {
        for (const inline of list(p.Policies as Array<{ PolicyDocument: never }> | undefined))
          docs.push(inline.PolicyDocument);
      }
      for (const doc of docs) {
        for (const s of list(doc?.Statement)) {
          if (s.Effect !== 'Allow' || !list(s.Resource).includes('*')) continue;
          const actions = list(s.Action).filter(
            (a) =>
              !NO_RESOURCE_LEVEL[a] && !KNOWN_UNSCOPED[a] && !(CONDITIONED[a] && s.Condition !== undefined),
          );
          if (actions.length > 0) found.push({ template: name, resource: id, actions });
        }
      }
    }
  }
  return found;
}
