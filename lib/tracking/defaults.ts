/** Defaults of `ExperimentTracking`, in one place so the props' `@default` docs and the code agree. */
import { Duration } from 'aws-cdk-lib';

export const TRACKING_DEFAULTS = {
  /** Searches read an experiment's runs into memory: 10,000 runs with their params take ~50 MB. */
  memorySize: 1024,
  /** API Gateway answers within 30 s; the function must finish inside it. */
  timeout: Duration.seconds(29),
  /** How long a presigned artifact URL stays valid. */
  artifactUrlTtl: Duration.minutes(15),
} as const;
