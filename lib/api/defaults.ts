/**
 * Defaults of `PlatformApi`, in one place so the props' `@default` docs and the code agree.
 */
import * as logs from 'aws-cdk-lib/aws-logs';

export const API_DEFAULTS = {
  /** Steady-state requests per second across all routes of the stage. */
  throttlingRateLimit: 100,
  /** Token-bucket capacity for short bursts. */
  throttlingBurstLimit: 200,
  /** Access logs answer "who called what" for a year of audits. */
  accessLogRetention: logs.RetentionDays.ONE_YEAR,
} as const;

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
