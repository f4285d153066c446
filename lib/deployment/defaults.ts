/** Defaults of `ModelDeployment`, in one place so the props' `@default` docs and the code agree. */
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export const DEPLOYMENT_DEFAULTS = {
  /** Longest rollout: 10 steps of a day's bake fit, with room for the endpoint updates. */
  stateMachineTimeout: Duration.days(12),
  /** The tasks wait on SageMaker's control plane, which answers in seconds. */
  taskTimeout: Duration.seconds(60),
  logRetention: logs.RetentionDays.THREE_MONTHS,
} as const;
