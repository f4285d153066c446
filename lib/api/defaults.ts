/**
 * Defaults of `PlatformApi`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export const API_DEFAULTS = {
  /** Steady-state requests per second across all routes of the stage. */
  throttlingRateLimit: 100,
  /** Token-bucket capacity for short bursts. */
  throttlingBurstLimit: 200,
  /** Access logs answer "who called what" for a year of audits. */
  accessLogRetention: logs.RetentionDays.ONE_YEAR,
  /**
   * Route-level metrics (count, 4XX, 5XX, latency, integration latency, data processed of each
   * route), which the platform dashboard graphs per route. Each is a custom metric CloudWatch
   * bills: six per route.
   */
  detailedMetrics: true,
  /** How long a browser may reuse a CORS preflight answer: fewer OPTIONS round trips. */
  corsMaxAge: Duration.hours(1),
} as const;

/**
 * What a browser may send cross-origin: the SigV4 headers (temporary credentials add the
 * security token), the body's type, and the platform's Idempotency-Key.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
 */
export const CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'idempotency-key',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
];

/** Response headers a page may read besides the safelisted ones: a 429's wait and the request id. */
export const CORS_EXPOSE_HEADERS = ['retry-after', 'x-amzn-requestid'];

/**
 * One JSON object per request. Values are `$context` variables of HTTP APIs; `userArn` is the
 * SigV4 caller, which is what IAM auth makes worth logging.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  integrationErrorMessage: '$context.integrationErrorMessage',
  userArn: '$context.identity.userArn',
} as const;
