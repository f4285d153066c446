/**
 * The rollout's one task list: what each Task state of the definition runs, for every backend.
 * The backend serving the model is chosen once per invocation, from its deployment target, and
 * handed to the task in `deps.backend`; no task asks which backend it holds.
 */
import type { RolloutTaskName } from '../../../contracts/deployment';
import * as outcome from './outcome';
import type { RolloutDeps } from './ports';
import type { RolloutState } from './state';
import * as tasks from './tasks';

/** A task of the rollout: the execution state in, the state updated out. */
export type RolloutTask = (deps: RolloutDeps, state: RolloutState) => Promise<RolloutState>;

export const ROLLOUT_TASKS: Readonly<Record<RolloutTaskName, RolloutTask>> = {
  acquireLock: tasks.acquireLock,
  createChallenger: tasks.createChallenger,
  checkChallenger: (deps, state) => tasks.checkProgress(deps, state, 'challenger'),
  shiftTraffic: tasks.shiftTraffic,
  checkAlarms: tasks.checkAlarms,
  promote: outcome.promote,
  checkPromotion: (deps, state) => tasks.checkProgress(deps, state, 'promotion'),
  finishPromotion: outcome.finishPromotion,
  restoreWeights: outcome.restoreWeights,
  checkSettled: (deps, state) => tasks.checkProgress(deps, state, 'settled'),
  restoreConfig: outcome.restoreConfig,
  checkRestored: (deps, state) => tasks.checkProgress(deps, state, 'restore'),
  finishRollback: outcome.finishRollback,
};
