/**
 * The stack's retraining configs from env, apart from the rest of the wiring so that the routes,
 * the tasks and the data-volume check share one cached reader and load only the SSM client for it.
 */
import { ENV } from '../../contracts/env';
import { RetrainingConfig } from '../../contracts/pipeline';
import { ssmModelSettingsFromEnv } from '../shared/model-settings-from-env';
import { fixedRetrainingConfigs, type RetrainingConfigSource } from './domain/ports';

let configs: RetrainingConfigSource | undefined;

/**
 * The configs (one SSM parameter per model under `RETRAINING_CONFIGS_PATH`), one cached reader per
 * container; none when the stack retrains no model.
 */
export function retrainingConfigs(): RetrainingConfigSource {
  configs ??=
    ssmModelSettingsFromEnv(ENV.retrainingConfigsPath, RetrainingConfig) ?? fixedRetrainingConfigs([]);
  return configs;
}
