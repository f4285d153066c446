/**
 * Per-model alarms beyond the canary's: traffic below its learned baseline (CloudWatch anomaly
 * detection over the endpoint's requests, which models the daily and weekly pattern) and the
 * champion's CPU, GPU and GPU memory high (SageMaker; an ECS endpoint reports no GPU metrics
 * without the CloudWatch agent). They live beside the endpoint, in its nested stack.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Anomaly_Detection.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html#cloudwatch-metrics-jobs
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { AlertsConfig } from '../../contracts/alerts';
import { AlarmKind } from '../../contracts/deployment';
import { Variant } from '../../contracts/serving';
import type { ModelEndpoint } from '../serving/model-endpoint';
import { setAlarmSeverity } from './alarm-routing';
import { alarmSettings } from './defaults';
import { variantInstanceMetric } from './metric-factory';
import { kindAlarm } from './platform-alarms';

/** Requests of both variants per period: the endpoint's traffic whatever the canary weights. */
export function endpointRequests(endpoint: ModelEndpoint, period: cloudwatch.MathExpressionProps['period']) {
  return new cloudwatch.MathExpression({
    expression: 'FILL(champion, 0) + FILL(challenger, 0)',
    usingMetrics: {
      champion: endpoint.metricInvocations(Variant.CHAMPION),
      challenger: endpoint.metricInvocations(Variant.CHALLENGER),
    },
    period,
    label: 'requests',
  });
}

/** Marks the canary alarms' severities and adds the endpoint's own alarms, keyed by alarm name. */
export function createModelAlarms(
  endpoint: ModelEndpoint,
  alerts: AlertsConfig | undefined,
): Record<string, cloudwatch.Alarm> {
  const model = endpoint.modelName;
  for (const scope of [Variant.CHAMPION, Variant.CHALLENGER, 'endpoint'] as const) {
    const variant = scope !== 'endpoint';
    setAlarmSeverity(
      endpoint.alarm(scope, AlarmKind.LATENCY_P95),
      alarmSettings(alerts, variant ? 'variantLatency' : 'endpointLatency', model).severity,
    );
    setAlarmSeverity(
      endpoint.alarm(scope, AlarmKind.ERROR_RATE),
      alarmSettings(alerts, variant ? 'variantErrorRate' : 'endpointErrorRate', model).severity,
    );
  }

  const alarms: Record<string, cloudwatch.Alarm> = {};
  const low = alarmSettings(alerts, 'requestRateLow', model);
  if (low.threshold <= 0) {
    throw new Error(
      `mlops:alerts requestRateLow threshold (standard deviations) must be > 0 for ${model}, got ${low.threshold}`,
    );
  }
  const lowName = `${endpoint.endpointName}-request-rate-low`;
  const requestRate = new cloudwatch.AnomalyDetectionAlarm(endpoint, 'RequestRateLowAlarm', {
    alarmName: lowName,
    alarmDescription: `Requests to ${endpoint.endpointName} below the band of ${low.threshold} standard deviations under its learned baseline`,
    metric: endpointRequests(endpoint, low.period),
    stdDevs: low.threshold,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_LOWER_THRESHOLD,
    evaluationPeriods: low.evaluationPeriods,
    datapointsToAlarm: low.datapointsToAlarm,
    // No requests at all is the lowest rate there is.
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  setAlarmSeverity(requestRate, low.severity);
  alarms[lowName] = requestRate as unknown as cloudwatch.Alarm;

  if (endpoint.sageMaker) {
    const instance = [
      ['cpuUtilizationHigh', 'CPUUtilization', 'Cpu', 'cpu-high'],
      ['gpuUtilizationHigh', 'GPUUtilization', 'Gpu', 'gpu-high'],
      ['gpuMemoryUtilizationHigh', 'GPUMemoryUtilization', 'GpuMemory', 'gpu-memory-high'],
    ] as const;
    for (const [kind, metricName, id, suffix] of instance) {
      const s = alarmSettings(alerts, kind, model);
      const name = `${endpoint.endpointName}-${Variant.CHAMPION}-${suffix}`;
      alarms[name] = kindAlarm(endpoint, `Champion${id}HighAlarm`, kind, alerts, {
        alarmName: name,
        modelName: model,
        metric: variantInstanceMetric(endpoint.endpointName, Variant.CHAMPION, metricName, s.period),
        description: `${metricName} of the champion of ${endpoint.endpointName} above ${s.threshold}% (summed over its devices)`,
      });
    }
  }
  return alarms;
}
