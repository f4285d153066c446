/**
 * The rule that delivers a state machine's executions that ended ABORTED, TIMED_OUT or FAILED to a
 * function: such an execution runs no further state, so what it would have finished (a record,
 * a lock, a model) is finished there. Step Functions puts these status changes on the account's
 * default bus. https://docs.aws.amazon.com/step-functions/latest/dg/cw-events.html
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { EXECUTION_STATUS_CHANGE, STOPPED_STATUSES } from '../../contracts/pipeline';

export function stoppedExecutionRule(
  scope: Construct,
  id: string,
  props: { description: string; stateMachine: sfn.IStateMachine; target: lambda.IFunction },
): events.Rule {
  return new events.Rule(scope, id, {
    description: props.description,
    eventPattern: {
      source: ['aws.states'],
      detailType: [EXECUTION_STATUS_CHANGE],
      detail: { status: [...STOPPED_STATUSES], stateMachineArn: [props.stateMachine.stateMachineArn] },
    },
    // Delivery retried: a lost report would leave the run's lock held until it expires.
    targets: [new targets.LambdaFunction(props.target, { retryAttempts: 8 })],
  });
}
