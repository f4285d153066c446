/**
 * The data-volume check: the target of each watched model's EventBridge schedule rule, whose
 * constant input is `{"modelName": ...}`. Counts the rows the model's feature view gained offline
 * since it last trained and, at the threshold, puts `TrainingDataAccumulated` on the platform bus
 * (see `domain/data-volume-check.ts`). A plain Lambda handler, so the local rule runner invokes it
 * exactly as EventBridge does.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-rule-schedule.html
 */
import { DataVolumeCheckInput } from '../../contracts/pipeline';
import { logger } from '../shared/logger';
import { dataVolumeCheckDeps } from './data-volume-deps';
import {
  type DataVolumeCheckDeps,
  type DataVolumeCheckOutcome,
  runDataVolumeCheck,
} from './domain/data-volume-check';

/** Builds the handler over the given ports. */
export const makeHandler =
  (deps: DataVolumeCheckDeps) =>
  async (event: unknown): Promise<DataVolumeCheckOutcome> => {
    const { modelName } = DataVolumeCheckInput.parse(event);
    const outcome = await runDataVolumeCheck(deps, modelName);
    logger.info('data-volume check', { ...outcome });
    return outcome;
  };

let cached: ReturnType<typeof makeHandler> | undefined;

/** The Lambda entry point. */
export const handler = (event: unknown): Promise<DataVolumeCheckOutcome> => {
  cached ??= makeHandler(dataVolumeCheckDeps());
  return cached(event);
};
