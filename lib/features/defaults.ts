/**
 * Defaults of `FeatureStore`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';

export const FEATURE_STORE_DEFAULTS = {
  /** The lookup path is latency-bound: more memory buys a faster CPU for JSON and marshalling. */
  handlerMemorySize: 1024,
  /** Athena queries of a large training set run for minutes; Lambda's maximum is 15. */
  workerTimeout: Duration.minutes(15),
  materializerTimeout: Duration.minutes(5),
  /** A declared view with a freshness expectation but no schedule is checked this often. */
  freshnessCheckEveryMinutes: 15,
  /** Training-set outputs are regenerable from the offline store; keep them a month. */
  trainingSetExpiration: Duration.days(30),
  /** Athena's own result files (DDL, UNLOAD manifests) are only needed while a job runs. */
  athenaResultsExpiration: Duration.days(7),
  /** Tiles reach the online store once a minute; Lambda allows up to 15. */
  streamTumblingWindow: Duration.minutes(1),
  /** Records per invocation: Kinesis' GetRecords page, far below the state's 1 MB. */
  streamBatchSize: 500,
  /** Then the batch is described to the failure queue and the shard moves on. */
  streamMaximumRetryAttempts: 5,
  streamConsumerTimeout: Duration.minutes(2),
  /** A guard against a runaway query: 1 TB scanned. */
  bytesScannedCutoffPerQuery: 1024 ** 4,
} as const;

/** Where the offline bucket's server access logs land in the platform's access-logs bucket. */
export const OFFLINE_BUCKET_ACCESS_LOGS_PREFIX = 'features-bucket/';
