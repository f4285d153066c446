/**
 * The retraining pipeline's cdk-nag IAM5 acknowledgements, each on the one policy that holds the
 * wildcard and each with its reason, so a new wildcard anywhere else in the pipeline still fails
 * synthesis. Finding ids are computed from the resolved ARNs with cdk-nag's own flattening
 * (`lib/shared/nag.ts`), so they match whether the stack's Region and account are tokens (tests)
 * or concrete (the CLI sets `CDK_DEFAULT_REGION`).
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
import { Arn, ArnFormat, Fn, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { PIPELINE_PREFIX } from '../../contracts/pipeline';
import { acknowledgeFindings, type Finding } from '../shared/nag';

/** What the acknowledgements name: the pipeline's roles and the resources their wildcards reach. */
export interface PipelineNagScope {
  readonly scope: Construct;
  readonly trainingRole: iam.IRole;
  readonly trainingJobArns: string;
  readonly trainingLogStreamArns: string;
  readonly tasks: lambda.IFunction;
  /** The retraining routes' function. */
  readonly handler: lambda.IFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly deploymentStateMachine: sfn.IStateMachine;
  readonly artifactsBucket: s3.IBucket;
  readonly registryTable: dynamodb.ITable;
}

const CDK_BUCKET_GRANT = 'CDK bucket grant action groups (object reads, listing, multipart aborts).';
const CDK_KEY_GRANT = 'CDK key grant for the platform key: data keys and re-encryption under that key only.';
const XRAY = 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.';

/** Acknowledges every IAM5 finding of the pipeline, each on the narrowest policy. */
export function acknowledgePipelineFindings(p: PipelineNagScope): void {
  const s3Actions: Array<[Finding, string]> = [
    ['Action::s3:GetObject*', CDK_BUCKET_GRANT],
    ['Action::s3:GetBucket*', CDK_BUCKET_GRANT],
    ['Action::s3:List*', CDK_BUCKET_GRANT],
    ['Action::s3:Abort*', CDK_BUCKET_GRANT],
  ];
  const kmsActions: Array<[Finding, string]> = [
    ['Action::kms:ReEncrypt*', CDK_KEY_GRANT],
    ['Action::kms:GenerateDataKey*', CDK_KEY_GRANT],
  ];

  acknowledge(p.trainingRole, [
    ...s3Actions,
    ...kmsActions,
    [
      { arn: p.artifactsBucket.arnForObjects(`${PIPELINE_PREFIX}*`) },
      'Training jobs read their channels and write model.tar.gz under the pipeline prefix; run ids are made at run time.',
    ],
    [
      { arn: p.trainingLogStreamArns },
      "SageMaker names each job's log streams <job name>/algo-N-<time>; the job name prefix scopes them to the platform's jobs.",
    ],
    [
      'Resource::*',
      'ecr:GetAuthorizationToken and cloudwatch:PutMetricData have no resource-level permissions; PutMetricData is limited to the /aws/sagemaker/* namespaces by condition.',
    ],
  ]);

  acknowledge(p.tasks.role, [
    ...s3Actions,
    ...kmsActions,
    ['Action::s3:DeleteObject*', 'CDK bucket read-write grant; the tasks overwrite their own run objects.'],
    [
      { arn: p.artifactsBucket.arnForObjects('*') },
      'The tasks read training data anywhere in the platform bucket and write channels, content-addressed artifacts, serving packages and drift profiles under their own prefixes.',
    ],
    [
      { arn: `${p.registryTable.tableArn}/index/*` },
      "The registry domain the tasks register versions through queries the registry table's indexes.",
    ],
    ['Resource::*', XRAY],
  ]);
  // The same ARN `grantExecution` builds: executions of the retraining state machine.
  const runExecutions = Stack.of(p.scope).formatArn({
    service: 'states',
    resource: 'execution',
    resourceName: `${Arn.split(p.stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName}:*`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
  acknowledge(p.handler.role, [
    ['Resource::*', XRAY],
    // The idempotency records of keyed starts live in a table encrypted with the platform key.
    ...kmsActions,
    [
      { arn: runExecutions },
      'Runs are named by run id (a keyed start by its key); the routes read and stop any execution of this one state machine.',
    ],
    [
      { arn: `${p.registryTable.tableArn}/index/*` },
      "The table read grant covers the registry table's indexes; the approval relay reads requests by key.",
    ],
  ]);

  // The state machine's role: task invocations, training jobs and the nested rollout.
  const deploymentExecutions = `arn:${Stack.of(p.scope).partition}:states:${Stack.of(p.scope).region}:${
    Stack.of(p.scope).account
  }:execution:${Fn.select(6, Fn.split(':', p.deploymentStateMachine.stateMachineArn))}*`;
  acknowledge(p.stateMachine.role, [
    [
      { arn: `${p.tasks.functionArn}:*` },
      'The LambdaInvoke integration grants invoking any version of the task function.',
    ],
    [
      { arn: p.trainingJobArns },
      'Training job names are made per run and attempt; the mlops-<envName>-t- prefix scopes them to the environment.',
    ],
    [
      { arn: deploymentExecutions },
      'The nested rollout (.sync:2) describes and stops only executions of the deployment state machine, whose names are made per run.',
    ],
    [
      'Resource::*',
      'X-Ray segments and CloudWatch Logs delivery have no resource-level permissions (Step Functions logging and tracing).',
    ],
  ]);
}

function acknowledge(role: iam.IRole | undefined, findings: ReadonlyArray<readonly [Finding, string]>): void {
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (!policy)
    throw new Error(`${role?.node.path ?? 'a role'} has no default policy to acknowledge findings on`);
  acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}
