/** Defaults of `ModelDeployment`, in one place so the props' `@default` docs and the code agree. */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export const DEPLOYMENT_DEFAULTS = {
  /** Longest rollout: 10 steps of a day's bake fit, with room for the endpoint updates. */
  stateMachineTimeout: Duration.days(12),
  /** The tasks wait on SageMaker's control plane, which answers in seconds. */
  taskTimeout: Duration.seconds(60),
  logRetention: logs.RetentionDays.THREE_MONTHS,
} as const;

/** Task states the rollout runs, in the order they appear; names are the local executor's keys. */
export const STATE_NAMES = {
  acquireLock: 'AcquireLock',
  refused: 'RolloutRefused',
  createChallenger: 'CreateChallenger',
  waitForChallenger: 'WaitForChallenger',
  checkChallenger: 'CheckChallenger',
  shiftTraffic: 'ShiftTraffic',
  bake: 'Bake',
  checkAlarms: 'CheckAlarms',
  promote: 'Promote',
  waitForPromotion: 'WaitForPromotion',
  checkPromotion: 'CheckPromotion',
  finishPromotion: 'FinishPromotion',
  promoted: 'Promoted',
  restoreWeights: 'RestoreWeights',
  waitForSettle: 'WaitForSettle',
  checkSettled: 'CheckSettled',
  restoreConfig: 'RestoreConfig',
  waitForRestore: 'WaitForRestore',
  checkRestored: 'CheckRestored',
  finishRollback: 'FinishRollback',
  rolledBack: 'RolledBack',
} as const;
