/**
 * The metrics the platform's alarms and dashboards read, made in one place apart from both (as
 * cdk-monitoring-constructs separates its metric factories from alarms and widgets), so an alarm
 * and the graph beside it always show the same series.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
import type { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { MONITORING_METRICS_NAMESPACE, MonitoringMetric } from '../../contracts/monitoring';
import { RATE_LIMIT_UNAVAILABLE_METRIC, ROUTE_GROUPS } from '../../contracts/rate-limits';
import type { VariantName } from '../../contracts/serving';

/** SageMaker's instance metrics (CPU, memory, GPU) live apart from its invocation metrics. */
export const SAGEMAKER_INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';
export const SAGEMAKER_INVOCATION_NAMESPACE = 'AWS/SageMaker';

/** Errors of a function in percent of its invocations; no invocations gives no datapoint. */
export function lambdaErrorRate(fn: lambda.IFunction, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / invocations',
    usingMetrics: {
      errors: fn.metricErrors({ period, statistic: 'Sum' }),
      invocations: fn.metricInvocations({ period, statistic: 'Sum' }),
    },
    period,
    label: 'errors %',
  });
}

/** Failed, timed-out and aborted executions of a state machine. */
export function stateMachineFailures(sm: sfn.IStateMachine, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    usingMetrics: {
      failed: sm.metricFailed({ period, statistic: 'Sum' }),
      timedOut: sm.metricTimedOut({ period, statistic: 'Sum' }),
      aborted: sm.metricAborted({ period, statistic: 'Sum' }),
    },
    period,
    label: 'failed, timed out or aborted',
  });
}

/** Read and write throttle events of a table. */
export function tableThrottles(table: dynamodb.ITable, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(reads, 0) + FILL(writes, 0)',
    usingMetrics: {
      reads: table.metric('ReadThrottleEvents', { period, statistic: 'Sum' }),
      writes: table.metric('WriteThrottleEvents', { period, statistic: 'Sum' }),
    },
    period,
    label: 'throttled reads + writes',
  });
}

/**
 * An HTTP API's metric on the `$default` stage: the whole API's, or one route's (`Method` and
 * `Resource`, the route's path with its `{parameters}`), which API Gateway writes only where the
 * stage's detailed metrics are on.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
export function apiMetric(
  apiId: string,
  metricName: '4xx' | '5xx' | 'Count' | 'Latency' | 'IntegrationLatency',
  statistic: string,
  period: Duration,
  route?: { readonly method: string; readonly path: string },
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: 'AWS/ApiGateway',
    metricName,
    dimensionsMap: {
      ApiId: apiId,
      Stage: '$default',
      ...(route ? { Method: route.method, Resource: route.path } : {}),
    },
    statistic,
    period,
    ...(route ? { label: `${route.method} ${route.path} ${metricName} ${statistic}` } : {}),
  });
}

/**
 * Requests admitted without a rate-limit check (the bucket table failed and the limiter let them
 * through), summed over every route group: any is a period the per-caller limits were not enforced.
 */
export function rateLimitUnavailable(period: Duration): cloudwatch.MathExpression {
  const usingMetrics = Object.fromEntries(
    ROUTE_GROUPS.map((group) => [
      group,
      new cloudwatch.Metric({
        namespace: RATE_LIMIT_UNAVAILABLE_METRIC.namespace,
        metricName: RATE_LIMIT_UNAVAILABLE_METRIC.name,
        dimensionsMap: { [RATE_LIMIT_UNAVAILABLE_METRIC.dimension]: group },
        statistic: 'Sum',
        period,
      }),
    ]),
  );
  return new cloudwatch.MathExpression({
    expression: ROUTE_GROUPS.map((g) => `FILL(${g}, 0)`).join(' + '),
    usingMetrics,
    period,
    label: 'requests admitted unchecked',
  });
}

/** 5XX answers of an HTTP API in percent of its requests. */
export function apiServerErrorRate(apiId: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: '100 * FILL(errors, 0) / requests',
    usingMetrics: {
      errors: apiMetric(apiId, '5xx', 'Sum', period),
      requests: apiMetric(apiId, 'Count', 'Sum', period),
    },
    period,
    label: '5XX %',
  });
}

/** A SageMaker variant's instance metric: CPUUtilization, MemoryUtilization, GPU(Memory)Utilization. */
export function variantInstanceMetric(
  endpointName: string,
  variant: VariantName,
  metricName: 'CPUUtilization' | 'MemoryUtilization' | 'GPUUtilization' | 'GPUMemoryUtilization',
  period: Duration,
  statistic = 'Average',
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: SAGEMAKER_INSTANCE_NAMESPACE,
    metricName,
    dimensionsMap: { EndpointName: endpointName, VariantName: variant },
    statistic,
    period,
  });
}

/** A SageMaker variant's invocation metric (Invocations, ModelLatency, Invocation5XXErrors...). */
export function variantInvocationMetric(
  endpointName: string,
  variant: VariantName,
  metricName: string,
  statistic: string,
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: SAGEMAKER_INVOCATION_NAMESPACE,
    metricName,
    dimensionsMap: { EndpointName: endpointName, VariantName: variant },
    statistic,
    period,
    label: `${variant} ${metricName} ${statistic}`,
  });
}

/** A monitoring metric of a model (`DriftShare`, `ModelQuality`...), or of one of its features. */
export function modelMonitoringMetric(
  modelName: string,
  metricName: (typeof MonitoringMetric)[keyof typeof MonitoringMetric],
  period: Duration,
  statistic = 'Maximum',
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: MONITORING_METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { ModelName: modelName },
    statistic,
    period,
  });
}

/**
 * All of a model's per-feature drift metrics, whatever features it has: a metrics search, since
 * the features are known only to the reference profile.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-search-expressions.html
 */
export function featureDriftSearch(modelName: string, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: `SEARCH('{${MONITORING_METRICS_NAMESPACE},FeatureName,ModelName} MetricName="${MonitoringMetric.DRIFT_SCORE}" ModelName="${modelName}"', 'Maximum', ${period.toSeconds()})`,
    usingMetrics: {},
    period,
    label: '',
  });
}
