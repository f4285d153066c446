/**
 * Severity and threshold of every alarm the platform raises, in one place; `mlops:alerts` tunes
 * them platform-wide (`alarms`) and per model (`models`), and `alarmSettings` merges the three.
 * Thresholds carry their metric's unit in the comment beside them.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html
 */
import { Duration } from 'aws-cdk-lib';
import type { AlarmKindName, AlarmTuning, AlertSeverity, AlertsConfig } from '../../contracts/alerts';

/** What one alarm kind is by default. */
export interface AlarmDefaults {
  readonly severity: AlertSeverity;
  /** In the unit of the kind's metric (see each entry). */
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly period: Duration;
}

const minutes = (n: number) => Duration.minutes(n);

export const ALARM_DEFAULTS: Readonly<Record<AlarmKindName, AlarmDefaults>> = {
  /** Messages in the outbox's dead-letter queue: an event that will never be published. */
  outboxDeadLetters: {
    severity: 'critical',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(5),
  },
  /** Approved rollouts whose start failed for good: people signed off and nothing rolled out. */
  approvedRolloutFailures: {
    severity: 'critical',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(5),
  },
  /** Milliseconds between an audit record and the publisher reading it (events running late). */
  outboxIteratorAge: {
    severity: 'warning',
    threshold: 300_000,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: minutes(5),
  },
  /** Failed, timed-out or aborted executions of a state machine. */
  stateMachineFailed: {
    severity: 'critical',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(5),
  },
  /** Errors of one function, percent of its invocations. */
  lambdaErrors: {
    severity: 'warning',
    threshold: 5,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(5),
  },
  /** Throttled invocations of one function. */
  lambdaThrottles: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(5),
  },
  /** 5XX answers of the HTTP API, percent of requests. */
  apiServerErrorRate: {
    severity: 'critical',
    threshold: 1,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(5),
  },
  /** p99 of the HTTP API's latency, milliseconds. */
  apiLatencyP99: {
    severity: 'warning',
    threshold: 3_000,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(5),
  },
  /** Throttled reads and writes of one table. */
  dynamoDbThrottles: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(5),
  },
  /** The platform's SageMaker training jobs that failed. */
  trainingJobFailed: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(5),
  },
  /**
   * Requests admitted without a rate-limit check because the bucket table failed (the limiter
   * fails open): any means the per-caller limits went unenforced for a while; the stage throttle
   * still held. Warning, not critical: nothing is refused or lost.
   */
  rateLimitUnavailable: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(5),
  },
  /** Seconds since a feature view's newest row; its own `expectedIntervalSeconds` sets it. */
  featureFreshness: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: minutes(15),
  },
  /** Share of drifted features; the model's `driftShareThreshold` sets it. */
  driftShare: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: Duration.hours(1),
  },
  /** Relative quality drop; the model's `maxRelativeDrop` sets it. */
  qualityDrop: {
    severity: 'critical',
    threshold: 0,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    period: Duration.hours(1),
  },
  /** A variant's p95 latency; the endpoint's `latencyThresholdMicroseconds` sets it. */
  variantLatency: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(1),
  },
  /** A variant's 5XX rate; the endpoint's `errorRateThresholdPercent` sets it. */
  variantErrorRate: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(1),
  },
  /** The endpoint's worst p95 latency; the endpoint's `latencyThresholdMicroseconds` sets it. */
  endpointLatency: {
    severity: 'warning',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(1),
  },
  /** The endpoint's 5XX rate; the endpoint's `errorRateThresholdPercent` sets it. */
  endpointErrorRate: {
    severity: 'critical',
    threshold: 0,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    period: minutes(1),
  },
  /**
   * Requests per period below the anomaly band of this many standard deviations (CloudWatch
   * anomaly detection learns the endpoint's weekly and daily pattern: its baseline).
   */
  requestRateLow: {
    severity: 'warning',
    threshold: 2,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: minutes(5),
  },
  /** Champion's CPU, percent summed over the instance's vCPUs (ml.g5.xlarge: 0-400). */
  cpuUtilizationHigh: {
    severity: 'warning',
    threshold: 320,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: minutes(5),
  },
  /** Champion's GPU, percent summed over its GPUs (ml.g5.xlarge: 0-100). */
  gpuUtilizationHigh: {
    severity: 'warning',
    threshold: 90,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: minutes(5),
  },
  /** Champion's GPU memory, percent summed over its GPUs. */
  gpuMemoryUtilizationHigh: {
    severity: 'warning',
    threshold: 90,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    period: minutes(5),
  },
};

/**
 * One alarm kind's settings: the default, then `mlops:alerts.alarms`, then the model's own.
 * @param modelName the model the alarm watches, if any
 */
export function alarmSettings(
  alerts: Pick<AlertsConfig, 'alarms' | 'models'> | undefined,
  kind: AlarmKindName,
  modelName?: string,
): AlarmDefaults {
  const platform: AlarmTuning = alerts?.alarms[kind] ?? {};
  const model: AlarmTuning =
    (modelName && (alerts?.models[modelName] as Partial<Record<string, AlarmTuning>> | undefined)?.[kind]) ||
    {};
  const merged = { ...ALARM_DEFAULTS[kind], ...strip(platform), ...strip(model) };
  // A tuned evaluationPeriods below the default's M would make the alarm unsatisfiable.
  return { ...merged, datapointsToAlarm: Math.min(merged.datapointsToAlarm, merged.evaluationPeriods) };
}

const strip = (t: AlarmTuning) => Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined));
