/**
 * Per-model settings from SSM Parameter Store: one String parameter per model under one path
 * (`contracts/parameters.ts`), read by model name with GetParameter through Powertools' SSM
 * provider and cached per container, so a scheduled check or a pipeline task reads its own model's
 * settings only, however many models the stack configures. Monitoring's `MonitoringConfigSource`
 * and the pipeline's `RetrainingConfigSource` are this reader with their schema.
 * @see https://docs.aws.amazon.com/powertools/typescript/latest/features/parameters/
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import type * as z from 'zod';
import { ENV } from '../../contracts/env';
import { modelParameterName } from '../../contracts/parameters';
import { withTimeouts } from './clients';
import { traced } from './tracing';

/**
 * How long a container keeps a model's settings: they change only on `cdk deploy`, and a changed
 * or added model is read within this much of the deploy.
 */
export const SETTINGS_MAX_AGE_SECONDS = 60;

export interface SsmModelSettingsOptions<T> {
  readonly client: SSMClient;
  /** The parameters' path, no trailing slash (e.g. `MONITORED_MODELS_PATH`). */
  readonly path: string;
  /** The settings' schema: a value that does not parse fails the read. */
  readonly schema: z.ZodType<T>;
  /** @default SETTINGS_MAX_AGE_SECONDS */
  readonly maxAgeSeconds?: number;
}

export class SsmModelSettings<T> {
  private readonly provider: SSMProvider;
  private readonly path: string;
  private readonly schema: z.ZodType<T>;
  private readonly maxAge: number;

  constructor(options: SsmModelSettingsOptions<T>) {
    this.provider = new SSMProvider({ awsSdkV3Client: options.client });
    this.path = options.path;
    this.schema = options.schema;
    this.maxAge = options.maxAgeSeconds ?? SETTINGS_MAX_AGE_SECONDS;
  }

  /** The model's settings; `undefined` when the stack configures none for it. */
  async get(modelName: string): Promise<T | undefined> {
    let value: unknown;
    try {
      // A value that is not JSON fails the read (throwOnTransformError) rather than passing as an
      // unconfigured model.
      value = await this.provider.get(modelParameterName(this.path, modelName), {
        maxAge: this.maxAge,
        transform: 'json',
        throwOnTransformError: true,
      });
    } catch (error) {
      if (isParameterNotFound(error)) return undefined;
      throw error;
    }
    return value === undefined ? undefined : this.schema.parse(value);
  }
}

/** Powertools wraps the SDK's error: `ParameterNotFound` is its cause. */
function isParameterNotFound(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof Error && cause.name === 'ParameterNotFound';
}

let client: SSMClient | undefined;

/**
 * The reader of the settings under `path` on the container's SSM client. Functions reach it through
 * `ssmModelSettingsFromEnv` (`model-settings-from-env.ts`), which imports this module on the first read.
 */
export function ssmModelSettings<T>(path: string, schema: z.ZodType<T>): SsmModelSettings<T> {
  client ??= traced(
    new SSMClient({ ...withTimeouts(), endpoint: process.env[ENV.ssmEndpoint] || undefined }),
  );
  return new SsmModelSettings({ client, path, schema });
}
