/** Defaults of the experiments construct, in one place. */
import { Duration } from 'aws-cdk-lib';

export const EXPERIMENTS_DEFAULTS = {
  /** How often running experiments are checked for mismatches, guardrails and alarms. */
  guardrailInterval: Duration.minutes(5),
  guardrailTimeout: Duration.minutes(2),
} as const;
