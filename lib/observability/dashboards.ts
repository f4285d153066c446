/**
 * The platform's dashboard and one per model, laid out from the metric factory's metrics (the
 * same series the alarms read). cdk-monitoring-constructs was weighed and not taken: its facade
 * makes its own alarms and naming, where the platform's alarms are made by each capability and
 * routed by `AlarmRouting`, and it would be one more dependency for the few widgets needed here.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { instanceHourlyPrices } from '../../contracts/deployment';
import { MonitoringMetric } from '../../contracts/monitoring-names';
import type { RouteDeclaration } from '../../contracts/route-declaration';
import { Variant } from '../../contracts/serving';
import type { ModelEndpoint } from '../serving/model-endpoint';
import {
  apiMetric,
  endpointCost,
  featureDriftSearch,
  featureFreshness,
  modelMonitoringMetric,
  predictionMetric,
  rolloutChallengerWeight,
  rolloutOutcomes,
  variantInstanceMetric,
} from './metric-factory';

const PERIOD = Duration.minutes(5);
const WIDTH = 12;
const HEIGHT = 6;

const graph = (
  title: string,
  left: cloudwatch.IMetric[],
  right: cloudwatch.IMetric[] = [],
  extra: Partial<cloudwatch.GraphWidgetProps> = {},
) =>
  new cloudwatch.GraphWidget({ title, left, right, width: WIDTH, height: HEIGHT, period: PERIOD, ...extra });

/** What the platform dashboard shows. */
export interface PlatformDashboardProps {
  readonly dashboardName: string;
  readonly apiId: string;
  /** Each route group's function (`registry`, `features`...): its traffic, errors and p99. */
  readonly routeFunctions: Readonly<Record<string, lambda.IFunction>>;
  /** Every platform function, for errors and throttles. */
  readonly functions: readonly lambda.IFunction[];
  readonly stateMachines: readonly sfn.IStateMachine[];
  readonly tables: readonly dynamodb.ITable[];
  readonly outbox: { readonly publisher: lambda.IFunction; readonly deadLetterQueue: sqs.IQueue };
  /**
   * The API's routes, graphed per route (latency and integration latency p99), one widget per
   * route group: the metrics exist where the stage's detailed metrics are on.
   */
  readonly routes: ReadonlyArray<Pick<RouteDeclaration, 'method' | 'path' | 'function'>>;
}

/** API traffic, errors and latency per route group and per route, Lambda health, state machine runs, outbox lag, DynamoDB. */
export function platformDashboard(scope: Construct, id: string, props: PlatformDashboardProps) {
  const groups = Object.entries(props.routeFunctions);
  const label = (fn: lambda.IFunction, what: string) =>
    `${fn.node.path.split('/').slice(-2).join('/')} ${what}`;
  const dashboard = new cloudwatch.Dashboard(scope, id, {
    dashboardName: props.dashboardName,
    defaultInterval: Duration.hours(6),
  });
  dashboard.addWidgets(
    graph(
      'API requests and errors',
      [apiMetric(props.apiId, 'Count', 'Sum', PERIOD)],
      [apiMetric(props.apiId, '4xx', 'Sum', PERIOD), apiMetric(props.apiId, '5xx', 'Sum', PERIOD)],
    ),
    graph('API latency (ms)', [
      apiMetric(props.apiId, 'Latency', 'p50', PERIOD),
      apiMetric(props.apiId, 'Latency', 'p99', PERIOD),
    ]),
  );
  dashboard.addWidgets(
    graph(
      'Requests per route group',
      groups.map(([g, fn]) => fn.metricInvocations({ period: PERIOD, label: g })),
    ),
    graph(
      'Errors per route group',
      groups.map(([g, fn]) => fn.metricErrors({ period: PERIOD, label: g })),
    ),
  );
  dashboard.addWidgets(
    graph(
      'p99 duration per route group (ms)',
      groups.map(([g, fn]) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label: g })),
    ),
    graph(
      'Lambda errors and throttles',
      props.functions.map((fn) => fn.metricErrors({ period: PERIOD, label: label(fn, 'errors') })),
      props.functions.map((fn) => fn.metricThrottles({ period: PERIOD, label: label(fn, 'throttles') })),
    ),
  );
  const byGroup = new Map<string, PlatformDashboardProps['routes'][number][]>();
  for (const route of props.routes)
    byGroup.set(route.function, [...(byGroup.get(route.function) ?? []), route]);
  dashboard.addWidgets(
    ...[...byGroup].map(([group, routes]) =>
      graph(
        `${group}: p99 latency per route (ms; right: integration latency)`,
        routes.map((r) => apiMetric(props.apiId, 'Latency', 'p99', PERIOD, r)),
        routes.map((r) => apiMetric(props.apiId, 'IntegrationLatency', 'p99', PERIOD, r)),
      ),
    ),
  );
  dashboard.addWidgets(
    graph(
      'State machine runs',
      props.stateMachines.map((sm) =>
        sm.metricStarted({ period: PERIOD, label: `${sm.node.scope?.node.id} started` }),
      ),
      props.stateMachines.flatMap((sm) => [
        sm.metricFailed({ period: PERIOD, label: `${sm.node.scope?.node.id} failed` }),
        sm.metricTimedOut({ period: PERIOD, label: `${sm.node.scope?.node.id} timed out` }),
      ]),
    ),
    graph(
      'Outbox lag (ms) and dead letters',
      [
        props.outbox.publisher.metric('IteratorAge', {
          period: PERIOD,
          statistic: 'Maximum',
          label: 'iterator age',
        }),
      ],
      [
        props.outbox.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: PERIOD,
          statistic: 'Maximum',
          label: 'dead letters',
        }),
      ],
    ),
  );
  dashboard.addWidgets(
    graph(
      'DynamoDB consumed read capacity',
      props.tables.map((t) => t.metricConsumedReadCapacityUnits({ period: PERIOD, label: t.node.id })),
    ),
    graph(
      'DynamoDB consumed write capacity',
      props.tables.map((t) => t.metricConsumedWriteCapacityUnits({ period: PERIOD, label: t.node.id })),
    ),
  );
  return dashboard;
}

/** A feature view a model reads, and the age past which its freshness alarm fires. */
export interface ModelFeatureView {
  readonly name: string;
  /** @default - no threshold line */
  readonly expectedIntervalSeconds?: number;
}

/** What a model's dashboard shows beyond its endpoint. */
export interface ModelDashboardOptions {
  /** The views the model reads, graphed by freshness. @default - no freshness graph */
  readonly featureViews?: readonly ModelFeatureView[];
  /**
   * USD per instance-hour by instance type, over the list prices (`mlops:instancePrices`).
   * @default - the list prices of `INSTANCE_HOURLY_PRICE_USD` alone
   */
  readonly instancePricesUsd?: Readonly<Record<string, number>>;
}

/**
 * One model: predictions and latency p50/p95/p99 per variant (the canary's split shows as the
 * champion's and challenger's traffic), the prediction value and output confidence p10/p50/p90
 * per variant, the canary's weight with its rollouts' outcomes, drift share and per-feature
 * drift, quality, the freshness of the views it reads, instances' CPU and GPU, and the estimated
 * cost of its instances.
 */
export function modelDashboard(
  scope: Construct,
  id: string,
  endpoint: ModelEndpoint,
  dashboardName: string,
  options: ModelDashboardOptions = {},
) {
  const variants = [Variant.CHAMPION, Variant.CHALLENGER] as const;
  const model = endpoint.modelName;
  const dashboard = new cloudwatch.Dashboard(scope, id, {
    dashboardName,
    defaultInterval: Duration.hours(6),
  });
  const as = (m: cloudwatch.IMetric, options: cloudwatch.MetricOptions) =>
    m instanceof cloudwatch.Metric ? m.with({ period: PERIOD, ...options }) : m;
  const latency = (statistic: string) =>
    variants.map((v) => as(endpoint.metricLatencyP95(v), { statistic, label: `${v} ${statistic}` }));
  const distribution = (what: 'value' | 'confidence') =>
    ['p10', 'p50', 'p90'].flatMap((stat) =>
      variants.map((v) => predictionMetric(model, v, what, stat, PERIOD)),
    );
  dashboard.addWidgets(
    graph(
      'Predictions per variant (the canary split)',
      variants.map((v) => as(endpoint.metricInvocations(v), { label: `${v} requests` })),
      variants.map((v) => as(endpoint.metricServerErrors(v), { label: `${v} 5XX` })),
    ),
    graph(`Latency p50/p95/p99 per variant (${endpoint.sageMaker ? 'microseconds' : 'seconds'})`, [
      ...latency('p50'),
      ...latency('p95'),
      ...latency('p99'),
    ]),
  );
  dashboard.addWidgets(
    graph('Prediction value p10/p50/p90 per variant (single-output models)', distribution('value')),
    graph(
      'Output confidence p10/p50/p90 per variant (top class probability)',
      distribution('confidence'),
      [],
      {
        leftYAxis: { min: 0, max: 1 },
      },
    ),
  );
  const cost = endpointCost(
    {
      endpointName: endpoint.endpointName,
      backend: endpoint.backend,
      instanceType: endpoint.instanceType,
      minInstanceCount: endpoint.minInstanceCount,
      ...(endpoint.ecs ? { autoScalingGroupName: endpoint.ecs.autoScalingGroup.autoScalingGroupName } : {}),
    },
    PERIOD,
    instanceHourlyPrices(options.instancePricesUsd),
  );
  dashboard.addWidgets(
    graph(
      'Canary: challenger weight (%) and rollout outcomes (right)',
      [rolloutChallengerWeight(model, PERIOD)],
      [rolloutOutcomes(model, 'PROMOTED', PERIOD), rolloutOutcomes(model, 'ROLLED_BACK', PERIOD)],
      { leftYAxis: { min: 0, max: 100 } },
    ),
    graph(
      `Instances and estimated cost (USD/hour, ${endpoint.instanceType})`,
      cost ? [cost.usdPerHour] : [],
      cost ? [cost.instances] : [],
    ),
  );
  dashboard.addWidgets(
    graph('Drift share and drifted dataset', [
      modelMonitoringMetric(model, MonitoringMetric.DRIFT_SHARE, Duration.hours(1)),
      modelMonitoringMetric(model, MonitoringMetric.DATASET_DRIFTED, Duration.hours(1)),
    ]),
    graph('Per-feature drift score', [featureDriftSearch(model, Duration.hours(1))]),
  );
  const instance = endpoint.sageMaker
    ? [
        variantInstanceMetric(endpoint.endpointName, Variant.CHAMPION, 'CPUUtilization', PERIOD),
        variantInstanceMetric(endpoint.endpointName, Variant.CHAMPION, 'GPUUtilization', PERIOD),
        variantInstanceMetric(endpoint.endpointName, Variant.CHAMPION, 'GPUMemoryUtilization', PERIOD),
      ]
    : [];
  dashboard.addWidgets(
    graph('Quality: relative drop from its baseline', [
      modelMonitoringMetric(model, MonitoringMetric.QUALITY_DROP, Duration.hours(1)),
    ]),
    graph('Champion instances: CPU, GPU, GPU memory (%)', instance),
  );
  const views = options.featureViews ?? [];
  if (views.length > 0) {
    dashboard.addWidgets(
      graph(
        'Feature freshness: age of the newest row of each view it reads (s)',
        views.map((v) => featureFreshness(v.name, PERIOD)),
        [],
        {
          width: 24,
          leftAnnotations: views.flatMap((v) =>
            v.expectedIntervalSeconds === undefined
              ? []
              : [{ value: v.expectedIntervalSeconds, label: `${v.name} alarm`, color: '#d62728' }],
          ),
        },
      ),
    );
  }
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown: `### ${model}\nEndpoint \`${endpoint.endpointName}\` (${endpoint.backend}, ${endpoint.instanceType}). Cost is an estimate: instances x the instance type's hourly price (\`INSTANCE_HOURLY_PRICE_USD\`'s on-demand list price unless \`mlops:instancePrices\` sets it), not a bill. Confidence is the top class probability of the answer's first floating-point output (max(p, 1-p) for one probability); prediction value is that output's value when it has one column.`,
      width: 24,
      height: 3,
    }),
  );
  return dashboard;
}
