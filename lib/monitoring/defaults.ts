/**
 * Defaults of `ModelMonitoring`, in one place so the props' `@default` docs and the code agree.
 */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export const MONITORING_DEFAULTS = {
  /** Function logs are for debugging; reports in S3 are the durable record. */
  logRetention: logs.RetentionDays.THREE_MONTHS,
  /** A check reads and sorts up to `maxFilesPerLambda` capture files: give it room and time. */
  checkMemorySize: 2048,
  checkTimeout: Duration.minutes(5),
  apiMemorySize: 1024,
  /** API Gateway answers within 30 s; the API function must finish inside it. */
  apiTimeout: Duration.seconds(29),
  /** Distributed Map child executions at once; S3 and Lambda absorb far more. */
  maxConcurrency: 100,
  /** Iterations that may fail (an unreadable file) before the whole fan-out fails. */
  toleratedFailurePercentage: 0,
  /** The fan-out's own deadline: a stuck run must not hold its window for ever. */
  stateMachineTimeout: Duration.hours(2),
  /** Alarm evaluation: one period of the schedule's granularity. */
  alarmPeriod: Duration.hours(1),
} as const;

/**
 * Lambda errors to retry inside the state machine (throttling and service faults), as the AWS
 * guidance for Lambda tasks recommends.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/bp-lambda-serviceexception.html
 */
export const LAMBDA_RETRY_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];
