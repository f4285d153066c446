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
import { INSTANCE_HOURLY_PRICE_USD, ROLLOUT_METRICS } from '../../contracts/deployment';
import { FRESHNESS_METRIC } from '../../contracts/features';
import { MONITORING_METRICS_NAMESPACE, MonitoringMetric } from '../../contracts/monitoring-names';
import { RATE_LIMIT_UNAVAILABLE_METRIC, ROUTE_GROUPS } from '../../contracts/rate-limits';
import { EndpointMetric, PREDICTION_METRICS, type VariantName } from '../../contracts/serving';

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

/** A distribution the predict path reports of a variant's answers: its value or its confidence. */
export function predictionMetric(
  modelName: string,
  variant: VariantName,
  what: 'value' | 'confidence',
  statistic: string,
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: PREDICTION_METRICS.namespace,
    metricName: PREDICTION_METRICS[what],
    dimensionsMap: {
      [PREDICTION_METRICS.modelDimension]: modelName,
      [PREDICTION_METRICS.variantDimension]: variant,
    },
    statistic,
    period,
    label: `${variant} ${statistic}`,
  });
}

/** The challenger's traffic percent as the rollout tasks set it, step by step. */
export function rolloutChallengerWeight(modelName: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ROLLOUT_METRICS.namespace,
    metricName: ROLLOUT_METRICS.challengerWeight,
    dimensionsMap: { [ROLLOUT_METRICS.modelDimension]: modelName },
    statistic: 'Maximum',
    period,
    label: 'challenger weight %',
  });
}

/** Rollouts of a model that ended `PROMOTED` or `ROLLED_BACK`: a 1 at each end, the markers. */
export function rolloutOutcomes(
  modelName: string,
  outcome: 'PROMOTED' | 'ROLLED_BACK',
  period: Duration,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: ROLLOUT_METRICS.namespace,
    metricName: ROLLOUT_METRICS.outcome,
    dimensionsMap: {
      [ROLLOUT_METRICS.modelDimension]: modelName,
      [ROLLOUT_METRICS.outcomeDimension]: outcome,
    },
    statistic: 'Sum',
    period,
    label: outcome === 'PROMOTED' ? 'promoted' : 'rolled back',
  });
}

/** Age in seconds of a feature view's newest row: the series its freshness alarm reads. */
export function featureFreshness(featureView: string, period: Duration): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: FRESHNESS_METRIC.namespace,
    metricName: FRESHNESS_METRIC.name,
    dimensionsMap: { FeatureView: featureView },
    statistic: 'Maximum',
    period,
    label: featureView,
  });
}

/** What the cost estimate of an endpoint reads. */
export interface EndpointCostSource {
  readonly endpointName: string;
  readonly backend: 'sagemaker' | 'ecs';
  readonly instanceType: string;
  /** A variant's fewest instances: the champion's count in a period without traffic. */
  readonly minInstanceCount: number;
  /** The ECS container instances' group (backend `ecs`). */
  readonly autoScalingGroupName?: string;
}

/**
 * The endpoint's instances and their estimated cost in USD per hour (instances x the instance
 * type's price in `prices`); `undefined` for an instance type without a price.
 * SageMaker publishes no instance count, but each invocation adds 1/instances to a variant's
 * `InvocationsPerInstance`, so `Invocations / InvocationsPerInstance` is the count in a period with
 * traffic; without traffic the champion is taken at its floor (while its instances report CPU)
 * and the challenger at none. ECS:
 * the container instances in service (`GroupInServiceInstances`), both variants' hosts.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ScalingPolicyMetric.html
 */
export function endpointCost(
  source: EndpointCostSource,
  period: Duration,
  prices: Readonly<Record<string, number>> = INSTANCE_HOURLY_PRICE_USD,
):
  | { readonly instances: cloudwatch.MathExpression; readonly usdPerHour: cloudwatch.MathExpression }
  | undefined {
  const price = prices[source.instanceType];
  if (price === undefined) return undefined;
  const sum = (variant: VariantName, metricName: string) =>
    variantInvocationMetric(source.endpointName, variant, metricName, 'Sum', period);
  const math = (expression: string, usingMetrics: Record<string, cloudwatch.IMetric>) =>
    new cloudwatch.MathExpression({ expression, usingMetrics, period, label: '' });
  // Arrays take the series present at each time: the challenger exists only during a rollout,
  // and without traffic the champion's floor comes from its instances' CPU datapoints, which
  // SageMaker writes every minute whatever the traffic.
  const sageMaker = () =>
    math('SUM([champion, challenger])', {
      champion: math('MAX([served, floor])', {
        served: math('ci / cipi', {
          ci: sum('champion', EndpointMetric.INVOCATIONS.name),
          cipi: sum('champion', EndpointMetric.INVOCATIONS_PER_INSTANCE.name),
        }),
        floor: math(`0 * cpu + ${source.minInstanceCount}`, {
          cpu: variantInstanceMetric(
            source.endpointName,
            'champion',
            'CPUUtilization',
            period,
            'SampleCount',
          ),
        }),
      }),
      challenger: math('hi / hipi', {
        hi: sum('challenger', EndpointMetric.INVOCATIONS.name),
        hipi: sum('challenger', EndpointMetric.INVOCATIONS_PER_INSTANCE.name),
      }),
    });
  const ecs = () =>
    math(`FILL(hosts, ${2 * source.minInstanceCount})`, {
      hosts: new cloudwatch.Metric({
        namespace: 'AWS/AutoScaling',
        metricName: 'GroupInServiceInstances',
        dimensionsMap: { AutoScalingGroupName: source.autoScalingGroupName ?? 'none' },
        statistic: 'Average',
        period,
      }),
    });
  const count = source.backend === 'sagemaker' ? sageMaker() : ecs();
  const instances = count.with({ label: 'instances' });
  return {
    instances,
    usdPerHour: math(`${price} * instances`, { instances }).with({
      label: `estimated USD/hour (${source.instanceType} at $${price}/h)`,
    }),
  };
}
