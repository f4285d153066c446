/**
 * The retraining state machine's definition (JSONPath only: the local executor mis-runs JSONata):
 * admit > validate > train (SageMaker, .sync, retried) > evaluate > decide > register > sign-off
 * (where the model asks for it: a task token waited on) > canary (the deployment state machine,
 * nested .sync:2) > promoted | rolled back | not approved. Every outcome passes a
 * `Finish<Outcome>` task (run record, audit record and event, lock released) and ends in a
 * terminal state of the same name.
 */
import { type Duration, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { RetrainingState, RetrainingTask, type RunOutcome } from '../../contracts/pipeline';
import { TRAINER_METRIC_DEFINITIONS } from '../../contracts/serving';

export interface RetrainingDefinitionProps {
  readonly tasks: lambda.IFunction;
  readonly trainingRoleArn: string;
  readonly deploymentStateMachine: sfn.IStateMachine;
  readonly trainingRetries: number;
  readonly trainingRetryInterval: Duration;
  readonly trainingRetryBackoffRate: number;
  readonly volumeSizeGb: number;
  readonly instanceCount: number;
}

export function retrainingDefinition(scope: Construct, props: RetrainingDefinitionProps): sfn.IChainable {
  const task = (
    id: string,
    name: RetrainingTask,
    extra: Record<string, unknown> = {},
    state: unknown = '$',
  ) =>
    new tasks.LambdaInvoke(scope, id, {
      stateName: id,
      lambdaFunction: props.tasks,
      payload: sfn.TaskInput.fromObject({
        task: name,
        ...(typeof state === 'string' ? { 'state.$': state } : { state }),
        ...extra,
      }),
      payloadResponseOnly: true,
      // The result replaces the state: ResultPath's default. Not an explicit '$', which
      // aws-local-stepfunctions 3.0.0 mis-runs (it stores the result under a key named "$").
      retryOnServiceExceptions: true,
    });
  const finish = (outcome: RunOutcome, terminal: 'succeed' | 'fail') => {
    const end =
      terminal === 'succeed'
        ? new sfn.Succeed(scope, outcome, { stateName: outcome, comment: `run ended: ${outcome}` })
        : new sfn.Fail(scope, outcome, { stateName: outcome, error: outcome, causePath: '$.outcome.reason' });
    return task(`Finish${outcome}`, RetrainingTask.FINISH, { outcome }).next(end);
  };

  const suppressed = new sfn.Succeed(scope, 'Suppressed', {
    stateName: 'Suppressed',
    comment: 'trigger suppressed',
  });
  const dataInvalid = finish('DataInvalid', 'fail');
  const trainingFailed = finish('TrainingFailed', 'fail');
  const notImproved = finish('NotImproved', 'succeed');
  const governanceRefused = finish('GovernanceRefused', 'succeed');
  const promoted = finish('Promoted', 'succeed');
  const rolledBack = finish('RolledBack', 'succeed');
  const notApproved = finish('NotApproved', 'succeed');

  // The first state's payload carries the raw input and the context; later ones the state only.
  const admit = task(
    RetrainingState.ADMIT,
    RetrainingTask.ADMIT,
    {},
    {
      'input.$': '$',
      execution: { 'name.$': '$$.Execution.Name', 'startTime.$': '$$.Execution.StartTime' },
    },
  );

  const validate = task(RetrainingState.VALIDATE, RetrainingTask.VALIDATE_DATA);
  const partition = Stack.of(scope).partition;
  const train = new sfn.CustomState(scope, RetrainingState.TRAIN, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${partition}:states:::sagemaker:createTrainingJob.sync`,
      Parameters: {
        // A new job per attempt (Parameters are evaluated again on each retry): SageMaker job
        // names are unique forever. Not $$.State.RetryCount: the local executor has no $$.State.
        'TrainingJobName.$':
          "States.Format('{}-{}', $.run.training.jobName, States.ArrayGetItem(States.StringSplit(States.UUID(), '-'), 0))",
        AlgorithmSpecification: {
          'TrainingImage.$': '$.run.training.image',
          TrainingInputMode: 'File',
          MetricDefinitions: TRAINER_METRIC_DEFINITIONS,
        },
        'HyperParameters.$': '$.run.training.hyperparameters',
        RoleArn: props.trainingRoleArn,
        InputDataConfig: [
          channel('train', '$.run.training.trainChannelUri'),
          channel('validation', '$.run.training.holdoutChannelUri'),
        ],
        OutputDataConfig: { 'S3OutputPath.$': '$.run.training.outputUri' },
        ResourceConfig: {
          InstanceCount: props.instanceCount,
          'InstanceType.$': '$.run.training.instanceType',
          VolumeSizeInGB: props.volumeSizeGb,
        },
        StoppingCondition: { 'MaxRuntimeInSeconds.$': '$.run.training.maxRuntimeSeconds' },
      },
      ResultSelector: {
        'jobName.$': '$.TrainingJobName',
        'modelArtifactsUri.$': '$.ModelArtifacts.S3ModelArtifacts',
        'status.$': '$.TrainingJobStatus',
      },
      ResultPath: '$.training',
    },
  });
  train.addRetry({
    errors: ['States.ALL'],
    maxAttempts: props.trainingRetries,
    interval: props.trainingRetryInterval,
    backoffRate: props.trainingRetryBackoffRate,
  });
  train.addCatch(trainingFailed, { errors: ['States.ALL'], resultPath: '$.error' });

  const evaluate = task(RetrainingState.EVALUATE, RetrainingTask.EVALUATE);
  evaluate.addCatch(trainingFailed, { errors: ['States.ALL'], resultPath: '$.error' });
  const decide = task(RetrainingState.DECIDE, RetrainingTask.DECIDE);
  const register = task(RetrainingState.REGISTER, RetrainingTask.REGISTER);

  const canary = new tasks.StepFunctionsStartExecution(scope, RetrainingState.CANARY, {
    stateName: RetrainingState.CANARY,
    stateMachine: props.deploymentStateMachine,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    input: sfn.TaskInput.fromJsonPathAt('$.canary.input'),
    name: sfn.JsonPath.stringAt('$.canary.input.deploymentId'),
    // The whole outcome too: its alarm and reason are optional, and a path to a missing field fails.
    resultSelector: {
      'status.$': '$.Output.outcome.status',
      'outcome.$': '$.Output.outcome',
    },
    resultPath: '$.canary.result',
  });
  canary.addCatch(rolledBack, { errors: ['States.ALL'], resultPath: '$.error' });
  const canaryThenOutcome = canary.next(
    new sfn.Choice(scope, 'Promoted?')
      .when(sfn.Condition.stringEquals('$.canary.result.status', 'PROMOTED'), promoted)
      .otherwise(rolledBack),
  );

  // A model that asks for sign-off: the task opens the approval request with this state's token
  // and the run waits, costing nothing, until the decision or the expiry sends the token its
  // answer: the request's id (which the canary's promotion shows the registry) or a failure
  // (ApprovalRejected, ApprovalExpired), which ends the run cleanly as NotApproved. The wait lasts
  // at most what `register` set from the policy (the request's expiry and a grace); its timeout,
  // States.Timeout, ends the run the same way. No HeartbeatSeconds: nothing beats while people
  // decide, so a heartbeat would only be a shorter timeout.
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html#task-state-fields
  const awaitApproval = new tasks.LambdaInvoke(scope, RetrainingState.AWAIT_APPROVAL, {
    stateName: RetrainingState.AWAIT_APPROVAL,
    lambdaFunction: props.tasks,
    integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({
      task: RetrainingTask.REQUEST_APPROVAL,
      'state.$': '$',
      taskToken: sfn.JsonPath.taskToken,
    }),
    resultPath: '$.canary.input.approvalId',
    taskTimeout: sfn.Timeout.at('$.approval.timeoutSeconds'),
    retryOnServiceExceptions: true,
  });
  awaitApproval.addCatch(notApproved, { errors: ['States.ALL'], resultPath: '$.error' });
  awaitApproval.next(canary);

  return admit.next(
    new sfn.Choice(scope, 'Admitted?')
      .when(sfn.Condition.booleanEquals('$.gate.admitted', false), suppressed)
      .otherwise(
        validate.next(
          new sfn.Choice(scope, 'DataValid?')
            .when(sfn.Condition.booleanEquals('$.validation.valid', false), dataInvalid)
            .otherwise(
              train
                .next(evaluate)
                .next(decide)
                .next(
                  // `register` first: `outcome` is absent when it is true, and a Choice rule on a
                  // missing path fails the execution (States.Runtime), on AWS as locally.
                  new sfn.Choice(scope, 'Register?')
                    .when(
                      sfn.Condition.booleanEquals('$.decision.register', true),
                      register.next(
                        new sfn.Choice(scope, 'SignOff?')
                          .when(sfn.Condition.booleanEquals('$.approval.required', true), awaitApproval)
                          .otherwise(canaryThenOutcome),
                      ),
                    )
                    .when(sfn.Condition.stringEquals('$.decision.outcome', 'NotImproved'), notImproved)
                    .otherwise(governanceRefused),
                ),
            ),
        ),
      ),
  );
}

function channel(name: string, uriPath: string) {
  return {
    ChannelName: name,
    ContentType: 'text/csv',
    DataSource: {
      S3DataSource: { S3DataType: 'S3Prefix', 'S3Uri.$': uriPath, S3DataDistributionType: 'FullyReplicated' },
    },
  };
}
