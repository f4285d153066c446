/**
 * Per-model settings from env: the SSM path a function's stack configured, read through
 * `SsmModelSettings`. That module (Powertools' SSM provider and the SSM client) is imported on the
 * first read, so a function whose invocation reads no settings loads no SSM code at cold start.
 */
import type * as z from 'zod';
import { lazyPort } from './lazy-port';

/** A model's settings by name; `undefined` when the stack configures none for it. */
export interface ModelSettingsReader<T> {
  get(modelName: string): Promise<T | undefined>;
}

/**
 * The reader of the settings under the path in env variable `pathVariable`, on the container's SSM
 * client; `undefined` when the variable is unset (the stack configures no model).
 */
export function ssmModelSettingsFromEnv<T>(
  pathVariable: string,
  schema: z.ZodType<T>,
): ModelSettingsReader<T> | undefined {
  const path = process.env[pathVariable];
  if (!path) return undefined;
  return lazyPort<ModelSettingsReader<T>>(
    async () => (await import('./ssm-model-settings')).ssmModelSettings(path, schema),
    {},
  );
}
