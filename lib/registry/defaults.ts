/**
 * Defaults of `ModelRegistry`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';

export { ARTIFACTS_PREFIX } from '../../contracts/storage';

export const REGISTRY_DEFAULTS = {
  /** Long enough to upload a large ONNX file, short enough that a leaked URL soon dies. */
  uploadUrlTtl: Duration.minutes(15),
  /** Function logs are for debugging; the audit table is the durable history. */
  logRetention: logs.RetentionDays.THREE_MONTHS,
  /** A DLQ message is kept as long as SQS allows, so a failed publish can still be replayed. */
  deadLetterRetention: Duration.days(14),
  /** Requests expire in hours (`expiresAfterHours`); a quarter hour late at most is close enough. */
  approvalSweepSchedule: events.Schedule.rate(Duration.minutes(15)),
} as const;

/**
 * Presigned URLs signed with the function's temporary credentials stop working when those do,
 * and a role session lasts at most 12 hours: a longer TTL would only be a promise not kept.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-presigned-url.html
 */
export const UPLOAD_URL_TTL_RANGE = { min: Duration.minutes(1), max: Duration.hours(12) } as const;

/**
 * Runtime settings shared by the registry's functions. nodejs22.x on Graviton on purpose: the
 * platform targets it (see DESIGN.md), and arm64 costs less per GB-second.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  memorySize: 512,
  timeout: Duration.seconds(30),
  tracing: lambda.Tracing.ACTIVE,
  handler: 'handler',
} as const;

/** Outbox stream consumption: ordered batches, failures isolated by bisection, then parked. */
export const OUTBOX_DEFAULTS = {
  batchSize: 100,
  /** Bisection halves a failing batch each retry: 10 attempts isolate one bad record of 100. */
  retryAttempts: 10,
} as const;
