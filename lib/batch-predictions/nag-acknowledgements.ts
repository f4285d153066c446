/**
 * Batch predictions' cdk-nag IAM5 acknowledgements, each on the one policy that holds the
 * wildcard and each with its reason, so a new wildcard anywhere else still fails synthesis.
 * @see https://github.com/cdklabs/cdk-nag/blob/main/RULES.md
 */
import { Fn, Stack } from 'aws-cdk-lib';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import { BATCH_UPLOAD_PREFIX } from '../../contracts/batch-uploads';
import { FEATURE_BUCKET_LAYOUT } from '../../contracts/features';
import { ARTIFACTS_PREFIX } from '../../contracts/storage';
import { acknowledgeFindings, type Finding } from '../shared/nag';
import { entityJoinTableArns } from './entity-join-grants';
import { BATCH_JOB_PREFIX, type JobLocation, jobModelArns, locationObjectArns } from './grants';

/** What the acknowledgements name: the roles and the resources their wildcards reach. */
export interface BatchNagScope {
  readonly scope: Construct;
  readonly handler: lambda.IFunction;
  readonly scheduler: lambda.IFunction;
  readonly tasks: lambda.IFunction;
  readonly worker: lambda.IFunction;
  readonly stateMachine: sfn.StateMachine;
  readonly transformRole: iam.Role;
  readonly locations: readonly JobLocation[];
  readonly artifactsBucket: s3.IBucket;
  /** The feature store's offline bucket, when jobs enrich from it. */
  readonly featureOfflineBucket?: s3.IBucket;
  /** The feature store's Glue database, where the entity joins make their tables. */
  readonly glueDatabase?: glue.CfnDatabase;
}

const XRAY = 'X-Ray PutTraceSegments and PutTelemetryRecords have no resource-level permissions.';
const JOB_OBJECTS =
  "Inputs and outputs are objects the caller names per job; they are held to the configured buckets and, in the platform's bucket, to the batch-predictions/ prefix (the API refuses any other location).";
const EXECUTIONS =
  'Executions of the batch state machine only; their names (<job id>-<attempt>) are made per job.';

/** Acknowledges every IAM5 finding of batch predictions, each on the narrowest policy. */
export function acknowledgeBatchFindings(p: BatchNagScope): void {
  const jobObjects: Array<[Finding, string]> = locationObjectArns(p.locations).map((arn) => [
    { arn },
    JOB_OBJECTS,
  ]);
  // Named as ARNs, so the finding is flattened as cdk-nag prints it whether Region and account
  // are tokens or, with credentials in the CLI's environment, concrete.
  const stack = Stack.of(p.scope);
  const executions = `arn:${stack.partition}:states:${stack.region}:${stack.account}:execution:${Fn.select(
    6,
    Fn.split(':', p.stateMachine.stateMachineArn),
  )}`;

  for (const f of [p.handler, p.scheduler]) {
    acknowledge(f.role, [
      ['Resource::*', XRAY],
      [{ arn: `${executions}:*` }, `StopExecution of a cancelled job. ${EXECUTIONS}`],
      // The API reads an entity list's header to check it against its feature view, and presigns
      // GETs of a job's output parts.
      ...(f === p.handler ? jobObjects : []),
      ...(f === p.handler
        ? [
            [
              { arn: p.artifactsBucket.arnForObjects(`${BATCH_UPLOAD_PREFIX}*`) },
              "The API presigns PUTs of input files the caller names, under the platform bucket's batch-predictions/in/ only (the route refuses any other key).",
            ] as [Finding, string],
          ]
        : []),
    ]);
  }
  const offline: Array<[Finding, string]> = p.featureOfflineBucket
    ? [
        [
          { arn: p.featureOfflineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.offline}*`) },
          "Enrichment reads the offline Parquet of the view a job names, known only per job; reads are held to the feature store's offline prefix.",
        ],
        [
          { arn: p.featureOfflineBucket.arnForObjects(`${FEATURE_BUCKET_LAYOUT.athenaResults}*`) },
          "Athena writes each entity join's query results under the workgroup's enforced results prefix, named per query.",
        ],
        ...(p.glueDatabase
          ? [
              [
                { arn: entityJoinTableArns(stack, p.glueDatabase.ref) },
                "Each entity join makes (and drops) its tables, named per run, and the view's table inside the one feature database.",
              ] as [Finding, string],
            ]
          : []),
      ]
    : [];
  const artifacts: [Finding, string] = [
    { arn: p.artifactsBucket.arnForObjects(`${ARTIFACTS_PREFIX}*`) },
    "Model artifacts are content-addressed under artifacts/sha256/; a worker scores, and the steps package for Triton, the job's version's artifact.",
  ];
  const jobModels: [Finding, string] = [
    { arn: jobModelArns(p.scope) },
    'Batch Transform models are made per job; the mlops-batch- prefix scopes them to the platform.',
  ];
  acknowledge(p.tasks.role, [
    ...jobObjects,
    artifacts,
    ...offline,
    // DeleteModel of a stopped run's model, named for the run.
    jobModels,
    ['Resource::*', XRAY],
  ]);
  acknowledge(p.worker.role, [...jobObjects, artifacts, ['Resource::*', XRAY]]);
  acknowledge(p.transformRole, [
    ...jobObjects,
    ['Resource::*', 'ecr:GetAuthorizationToken has no resource-level permissions.'],
  ]);
  acknowledge(p.stateMachine.role, [
    ...jobObjects,
    [
      { arn: `${p.tasks.functionArn}:*` },
      'The LambdaInvoke integration grants invoking any version of the steps function.',
    ],
    [
      { arn: `${p.worker.functionArn}:*` },
      'The LambdaInvoke integration grants invoking any version of the worker.',
    ],
    // As the grant writes them: the region is a token, or concrete when the CLI sets one.
    jobModels,
    [
      {
        arn: Stack.of(p.scope).formatArn({
          service: 'sagemaker',
          resource: 'transform-job',
          resourceName: `${BATCH_JOB_PREFIX}*`,
        }),
      },
      'Transform jobs are made per job and attempt; the mlops-batch- prefix scopes them to the platform.',
    ],
    [
      'Resource::*',
      'X-Ray segments and CloudWatch Logs delivery have no resource-level permissions (Step Functions logging and tracing).',
    ],
  ]);
  // CDK's Distributed Map policy lets the machine describe and stop its own child executions.
  acknowledgeOn(p.stateMachine.node.tryFindChild('DistributedMapPolicy'), [
    [{ arn: `${executions}:*` }, `Child executions of the Distributed Map. ${EXECUTIONS}`],
    [{ arn: `${executions}/*:*` }, `Child executions of the Distributed Map. ${EXECUTIONS}`],
  ]);
}

function acknowledge(role: iam.IRole | undefined, findings: ReadonlyArray<readonly [Finding, string]>): void {
  const policy = role?.node.tryFindChild('DefaultPolicy');
  if (!policy)
    throw new Error(`${role?.node.path ?? 'a role'} has no default policy to acknowledge findings on`);
  acknowledgeOn(policy, findings);
}

function acknowledgeOn(
  policy: IConstruct | undefined,
  findings: ReadonlyArray<readonly [Finding, string]>,
): void {
  if (policy) acknowledgeFindings(policy, 'AwsSolutions-IAM5', findings);
}
