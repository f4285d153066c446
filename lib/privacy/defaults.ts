/**
 * Defaults of `Privacy`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';

export const PRIVACY_DEFAULTS = {
  /**
   * An erasure reads every offline file of the views with the entity's join key and every capture
   * file; Lambda's maximum is 15 minutes.
   */
  workerTimeout: Duration.minutes(15),
  /** Parquet files and capture files are decoded in memory, one at a time. */
  workerMemorySize: 2048,
} as const;
