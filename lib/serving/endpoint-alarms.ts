/**
 * The canary's alarms, the same for both backends: per variant p95 latency and 5XX error rate
 * (metric math over errors and requests), and the same two over the whole endpoint. Names are
 * stable (`contracts/deployment.ts`), so the rollout watches them without a lookup.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html
 */
import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { AlarmKind, alarmName } from '../../contracts/deployment';
import { Variant } from '../../contracts/serving';

/** The three metrics of one variant an alarm needs. */
export interface VariantMetrics {
  /** p95 latency, in the unit of `latencyThreshold`. */
  readonly latencyP95: cloudwatch.IMetric;
  /** Server-side (5XX) errors, sum per period. */
  readonly errors: cloudwatch.IMetric;
  /** Requests, sum per period. */
  readonly requests: cloudwatch.IMetric;
}

export interface EndpointAlarmsProps {
  readonly endpointName: string;
  readonly variants: Readonly<Record<'champion' | 'challenger', VariantMetrics>>;
  /** In the latency metric's unit (SageMaker: microseconds; ALB: seconds). */
  readonly latencyThreshold: number;
  readonly errorRateThresholdPercent: number;
  readonly period: Duration;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

/** Error rate in percent of one variant; no requests in a period gives no datapoint (not 0/0). */
export function variantErrorRate(
  m: VariantMetrics,
  period: Duration,
  label: string,
): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: { errors: m.errors, requests: m.requests },
    period,
    label,
  });
}

/** Creates the six alarms (2 per variant, 2 for the endpoint), keyed by alarm name. */
export function createEndpointAlarms(
  scope: Construct,
  props: EndpointAlarmsProps,
): Record<string, cloudwatch.Alarm> {
  const alarms: Record<string, cloudwatch.Alarm> = {};
  const common = {
    evaluationPeriods: props.evaluationPeriods,
    datapointsToAlarm: props.datapointsToAlarm,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    // A canary at 5% may see no request in a minute: silence is not a failure.
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  };
  const add = (
    id: string,
    name: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
  ) => {
    alarms[name] = new cloudwatch.Alarm(scope, id, {
      ...common,
      alarmName: name,
      metric,
      threshold,
      alarmDescription: description,
    });
  };
  for (const variant of [Variant.CHAMPION, Variant.CHALLENGER] as const) {
    const m = props.variants[variant];
    const title = variant === Variant.CHAMPION ? 'Champion' : 'Challenger';
    add(
      `${title}LatencyP95Alarm`,
      alarmName(props.endpointName, variant, AlarmKind.LATENCY_P95),
      m.latencyP95,
      props.latencyThreshold,
      `p95 latency of the ${variant} variant of ${props.endpointName} above ${props.latencyThreshold}`,
    );
    add(
      `${title}ErrorRateAlarm`,
      alarmName(props.endpointName, variant, AlarmKind.ERROR_RATE),
      variantErrorRate(m, props.period, `${variant} 5XX %`),
      props.errorRateThresholdPercent,
      `5XX error rate of the ${variant} variant of ${props.endpointName} above ${props.errorRateThresholdPercent}%`,
    );
  }
  const c = props.variants.champion;
  const h = props.variants.challenger;
  add(
    'EndpointLatencyP95Alarm',
    alarmName(props.endpointName, 'endpoint', AlarmKind.LATENCY_P95),
    new cloudwatch.MathExpression({
      expression: 'MAX([championP95, challengerP95])',
      usingMetrics: { championP95: c.latencyP95, challengerP95: h.latencyP95 },
      period: props.period,
      label: 'worst variant p95 latency',
    }),
    props.latencyThreshold,
    `p95 latency of either variant of ${props.endpointName} above ${props.latencyThreshold}`,
  );
  const requests = '(FILL(championRequests, 0) + FILL(challengerRequests, 0))';
  add(
    'EndpointErrorRateAlarm',
    alarmName(props.endpointName, 'endpoint', AlarmKind.ERROR_RATE),
    new cloudwatch.MathExpression({
      expression: `IF(${requests} > 0, 100 * (FILL(championErrors, 0) + FILL(challengerErrors, 0)) / ${requests}, 0)`,
      usingMetrics: {
        championErrors: c.errors,
        challengerErrors: h.errors,
        championRequests: c.requests,
        challengerRequests: h.requests,
      },
      period: props.period,
      label: 'endpoint 5XX %',
    }),
    props.errorRateThresholdPercent,
    `5XX error rate over both variants of ${props.endpointName} above ${props.errorRateThresholdPercent}%`,
  );
  return alarms;
}
