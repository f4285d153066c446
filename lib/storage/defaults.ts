/**
 * Defaults of `PlatformStorage`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';

export const STORAGE_DEFAULTS = {
  /** Stateful resources outlive the stack unless the operator says otherwise. */
  removalPolicy: RemovalPolicy.RETAIN,
  /** Server access logs are an audit trail: a year covers most review cycles. */
  accessLogsExpiration: Duration.days(365),
  /**
   * Artifact keys are content-addressed and never overwritten, so noncurrent versions only come
   * from deletes; keeping them a while allows an undo.
   */
  noncurrentVersionExpiration: Duration.days(90),
  /** Presigned uploads that never complete leave parts that cost money and are invisible. */
  abortIncompleteMultipartUploadAfter: Duration.days(7),
  /** The longest window AWS allows: the most time to notice a scheduled key deletion. */
  keyPendingWindow: Duration.days(30),
} as const;

/** Where the artifacts bucket's server access logs land in the access-logs bucket. */
export const SERVER_ACCESS_LOGS_PREFIX = 'artifacts-bucket/';
