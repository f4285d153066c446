/**
 * The canary rollout as Amazon States Language (JSONPath): lock, add the challenger and wait for
 * it, shift traffic step by step baking on the alarms, then promote or roll back. Every Task runs
 * the one task Lambda with `{ task, state }` and replaces the state with its answer; the Choice
 * states branch on what the task set. Forward tasks catch any error into the rollback path.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/concepts-amazon-states-language.html
 */

import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { type RolloutTaskName, ROLLOUT_STATE_NAMES as S } from '../../contracts/deployment';

const poll = sfn.WaitTime.secondsPath('$.checkIntervalSeconds');
const is = (path: string, value: string) => sfn.Condition.stringEquals(path, value);

/** Builds the definition over the task function. */
export function rolloutDefinition(scope: Construct, fn: lambda.IFunction): sfn.IChainable {
  const invoke = (id: string, task: RolloutTaskName) =>
    new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn,
      payload: sfn.TaskInput.fromObject({ task, 'state.$': '$' }),
      payloadResponseOnly: true,
      comment: `deployment task ${task}`,
    });
  const wait = (id: string) => new sfn.Wait(scope, id, { time: poll });
  // The rollback and the promotion's last task have no path left to fall back on: a failed one
  // would end the execution with the endpoint, the registry and the record disagreeing. Each is
  // safe to run again from its input (it re-reads what it changes), so any error is retried, for
  // about two minutes, before the execution fails.
  const retried = (task: tasks.LambdaInvoke): tasks.LambdaInvoke => {
    task.addRetry({
      errors: [sfn.Errors.ALL],
      interval: Duration.seconds(2),
      maxAttempts: 6,
      backoffRate: 2,
    });
    return task;
  };

  // Rollback: traffic back to the champion at once, let the endpoint settle, restore the
  // pre-rollout config, clean up and report.
  const restoreWeights = retried(invoke(S.restoreWeights, 'restoreWeights'));
  const waitForSettle = wait(S.waitForSettle);
  const checkSettled = retried(invoke(S.checkSettled, 'checkSettled'));
  const restoreConfig = retried(invoke(S.restoreConfig, 'restoreConfig'));
  const waitForRestore = wait(S.waitForRestore);
  const checkRestored = retried(invoke(S.checkRestored, 'checkRestored'));
  const finishRollback = retried(invoke(S.finishRollback, 'finishRollback'));
  restoreWeights.next(waitForSettle);
  waitForSettle.next(checkSettled);
  checkSettled.next(
    new sfn.Choice(scope, 'Settled?')
      .when(is('$.progress.state', 'WAITING'), waitForSettle)
      .otherwise(restoreConfig),
  );
  restoreConfig.next(waitForRestore);
  waitForRestore.next(checkRestored);
  checkRestored.next(
    new sfn.Choice(scope, 'Restored?')
      .when(is('$.progress.state', 'WAITING'), waitForRestore)
      .otherwise(finishRollback),
  );
  finishRollback.next(new sfn.Succeed(scope, S.rolledBack, { comment: 'rolled back; see $.outcome' }));

  const forward = (task: tasks.LambdaInvoke) => task.addCatch(restoreWeights, { resultPath: '$.error' });

  // Promotion.
  const promote = forward(invoke(S.promote, 'promote'));
  const waitForPromotion = wait(S.waitForPromotion);
  const checkPromotion = forward(invoke(S.checkPromotion, 'checkPromotion'));
  const finishPromotion = forward(retried(invoke(S.finishPromotion, 'finishPromotion')));
  promote.next(waitForPromotion);
  waitForPromotion.next(checkPromotion);
  checkPromotion.next(
    new sfn.Choice(scope, 'PromotionReady?')
      .when(is('$.progress.state', 'READY'), finishPromotion)
      .when(is('$.progress.state', 'WAITING'), waitForPromotion)
      .otherwise(restoreWeights),
  );
  finishPromotion.next(new sfn.Succeed(scope, S.promoted, { comment: 'promoted; see $.outcome' }));

  // Canary steps: shift, then bake (wait + alarm read) until the step has had its clean reads.
  const shiftTraffic = forward(invoke(S.shiftTraffic, 'shiftTraffic'));
  const bake = wait(S.bake);
  const checkAlarms = forward(invoke(S.checkAlarms, 'checkAlarms'));
  shiftTraffic.next(bake);
  bake.next(checkAlarms);
  checkAlarms.next(
    new sfn.Choice(scope, 'BakeVerdict?')
      .when(is('$.bake.decision', 'ALARM'), restoreWeights)
      .when(is('$.bake.decision', 'BAKING'), bake)
      .when(is('$.bake.decision', 'NEXT_STEP'), shiftTraffic)
      .when(is('$.bake.decision', 'COMPLETE'), promote)
      .otherwise(restoreWeights),
  );

  // Challenger.
  const createChallenger = forward(invoke(S.createChallenger, 'createChallenger'));
  const waitForChallenger = wait(S.waitForChallenger);
  const checkChallenger = forward(invoke(S.checkChallenger, 'checkChallenger'));
  createChallenger.next(
    new sfn.Choice(scope, 'ChallengerCreated?')
      // Made, but not recorded: the rollback removes it (see `createChallenger`).
      .when(sfn.Condition.isPresent('$.rollback'), restoreWeights)
      .when(sfn.Condition.booleanEquals('$.challenger.created', true), waitForChallenger)
      .otherwise(restoreWeights),
  );
  waitForChallenger.next(checkChallenger);
  checkChallenger.next(
    new sfn.Choice(scope, 'ChallengerReady?')
      .when(is('$.progress.state', 'READY'), shiftTraffic)
      .when(is('$.progress.state', 'WAITING'), waitForChallenger)
      .otherwise(restoreWeights),
  );

  // Lock: one rollout per model; a second one ends here, changing nothing.
  const acquireLock = invoke(S.acquireLock, 'acquireLock');
  return acquireLock.next(
    new sfn.Choice(scope, 'LockAcquired?')
      .when(sfn.Condition.booleanEquals('$.lock.acquired', true), createChallenger)
      .otherwise(
        new sfn.Fail(scope, S.refused, {
          error: 'DeploymentRefused',
          cause: 'another rollout of this model is in progress',
        }),
      ),
  );
}
