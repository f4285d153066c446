/**
 * A model's dashboard: prediction value and confidence percentiles per variant, the canary weight
 * with rollout outcomes, the freshness of the views it reads against their alarm, the estimated
 * cost of its instances; and the local page draws them from local metrics.
 */
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { INSTANCE_HOURLY_PRICE_USD, ROLLOUT_METRICS } from '../../contracts/deployment';
import { FRESHNESS_METRIC } from '../../contracts/features';
import { PREDICTION_METRICS } from '../../contracts/serving';
import { modelDashboard } from '../../lib/observability/dashboards';
import { ModelEndpoint } from '../../lib/serving/model-endpoint';
import type { CfnTemplate } from '../../local/cdk-template';
import { MetricStore } from '../../local/cloudwatch/alarms';
import {
  dashboardsFromTemplate,
  renderDashboardPage,
  widgetLines,
} from '../../local/cloudwatch/dashboard-page';
import { SKIP_BUNDLING } from './helpers';

type Widget = {
  type: string;
  properties: Record<string, unknown> & { title?: string; metrics?: unknown[][] };
};

function dashboardOf(
  backend: 'sagemaker' | 'ecs',
  featureViews = [{ name: 'customer', expectedIntervalSeconds: 3600 }],
  options: { instanceType?: string; instancePricesUsd?: Record<string, number> } = {},
) {
  const stack = new Stack(new App({ context: SKIP_BUNDLING }), 'Model', {
    env: { account: '123456789012', region: 'us-east-1' },
  });
  const endpoint = new ModelEndpoint(stack, 'Churn', {
    modelName: 'churn',
    envName: 'dev',
    backend,
    ...(options.instanceType ? { instanceType: options.instanceType } : {}),
    bucket: new s3.Bucket(stack, 'Artifacts'),
    encryptionKey: new kms.Key(stack, 'Key'),
    removalPolicy: RemovalPolicy.DESTROY,
  });
  modelDashboard(endpoint, 'Dashboard', endpoint, 'mlops-dev-churn', {
    featureViews,
    ...(options.instancePricesUsd ? { instancePricesUsd: options.instancePricesUsd } : {}),
  });
  const template = Template.fromStack(stack).toJSON() as CfnTemplate;
  const [dashboard] = dashboardsFromTemplate(template);
  const widget = (title: string) => {
    const found = (dashboard.widgets as unknown as Widget[]).find((w) =>
      w.properties.title?.startsWith(title),
    );
    if (!found) throw new Error(`no widget ${title}`);
    return found;
  };
  return { dashboard, widget };
}

const has = (w: Widget, namespace: string, name: string, ...rest: unknown[]) =>
  (w.properties.metrics ?? []).some(
    (m) =>
      m[0] === namespace &&
      m[1] === name &&
      rest.every((r) => m.includes(r) || JSON.stringify(m.at(-1)).includes(String(r))),
  );

describe('model dashboard', () => {
  const { dashboard, widget } = dashboardOf('sagemaker');

  it('graphs prediction value and confidence p10/p50/p90 for both variants', () => {
    for (const [title, metric] of [
      ['Prediction value', PREDICTION_METRICS.value],
      ['Output confidence', PREDICTION_METRICS.confidence],
    ] as const) {
      const w = widget(title);
      for (const variant of ['champion', 'challenger'])
        for (const stat of ['p10', 'p50', 'p90'])
          expect([
            title,
            variant,
            stat,
            has(w, PREDICTION_METRICS.namespace, metric, 'churn', variant, `"stat":"${stat}"`),
          ]).toEqual([title, variant, stat, true]);
    }
  });

  it('marks rollouts on the canary weight graph: the weight per step and each outcome', () => {
    const w = widget('Canary');
    expect(has(w, ROLLOUT_METRICS.namespace, ROLLOUT_METRICS.challengerWeight, 'churn')).toBe(true);
    expect(has(w, ROLLOUT_METRICS.namespace, ROLLOUT_METRICS.outcome, 'PROMOTED')).toBe(true);
    expect(has(w, ROLLOUT_METRICS.namespace, ROLLOUT_METRICS.outcome, 'ROLLED_BACK')).toBe(true);
  });

  it("graphs the freshness of the views it reads with the alarm's metric and threshold", () => {
    const w = widget('Feature freshness');
    expect(
      has(
        w,
        FRESHNESS_METRIC.namespace,
        FRESHNESS_METRIC.name,
        'FeatureView',
        'customer',
        '"stat":"Maximum"',
      ),
    ).toBe(true);
    expect(w.properties.annotations).toEqual({
      horizontal: [expect.objectContaining({ value: 3600, label: 'customer alarm' })],
    });
    expect(() => dashboardOf('sagemaker', []).widget('Feature freshness')).toThrow('no widget');
  });

  it('estimates the cost of its instances from InvocationsPerInstance and the price table', () => {
    const w = widget('Instances and estimated cost');
    const expressions = (w.properties.metrics ?? [])
      .map((m) => (m.at(-1) as { expression?: string }).expression)
      .filter(Boolean);
    expect(expressions).toEqual([
      `${INSTANCE_HOURLY_PRICE_USD['ml.g5.xlarge']} * instances`,
      'SUM([champion, challenger])',
      'MAX([served, floor])',
      'ci / cipi',
      '0 * cpu + 1',
      'hi / hipi',
    ]);
    expect(has(w, 'AWS/SageMaker', 'InvocationsPerInstance', 'champion')).toBe(true);
    expect(has(w, 'AWS/SageMaker', 'InvocationsPerInstance', 'challenger')).toBe(true);
  });

  it('prices instances at mlops:instancePrices over the list price, in the graph and drawn locally', () => {
    // Prepare: two champion instances in the last minute, as the local SageMaker reports them
    const priced = dashboardOf('sagemaker', [], { instancePricesUsd: { 'ml.g5.xlarge': 2.5 } });
    const w = priced.widget('Instances and estimated cost');
    const now = 10_000_000;
    const store = new MetricStore();
    const dims = [
      { Name: 'EndpointName', Value: 'mlops-dev-churn' },
      { Name: 'VariantName', Value: 'champion' },
    ];
    store.put(
      { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: dims },
      now - 1000,
      [1, 1],
    );
    store.put(
      { Namespace: 'AWS/SageMaker', MetricName: 'InvocationsPerInstance', Dimensions: dims },
      now - 1000,
      [0.5, 0.5],
    );

    // Act
    const cost = widgetLines(w as never, store, { now, windowMs: 60_000, slots: 1 }).find((l) =>
      l.label.startsWith('estimated USD/hour'),
    );

    // Assess
    const usdPerHour = (w.properties.metrics ?? []).map(
      (m) => m.at(-1) as { expression?: string; label?: string },
    )[0];
    expect(usdPerHour).toMatchObject({
      expression: '2.5 * instances',
      label: 'estimated USD/hour (ml.g5.xlarge at $2.5/h)',
    });
    expect(cost?.values).toEqual([5]);
  });

  it('prices a type the list lacks only when mlops:instancePrices gives it', () => {
    // Act
    const unpriced = dashboardOf('sagemaker', [], { instanceType: 'ml.p4d.24xlarge' });
    const priced = dashboardOf('sagemaker', [], {
      instanceType: 'ml.p4d.24xlarge',
      instancePricesUsd: { 'ml.p4d.24xlarge': 37.69 },
    });
    // Assess
    expect(INSTANCE_HOURLY_PRICE_USD['ml.p4d.24xlarge']).toBeUndefined();
    expect(unpriced.widget('Instances and estimated cost').properties.metrics ?? []).toEqual([]);
    expect(JSON.stringify(priced.widget('Instances and estimated cost').properties.metrics)).toContain(
      '37.69 * instances',
    );
  });

  it('prices ECS endpoints by their container instances in service', () => {
    const w = dashboardOf('ecs').widget('Instances and estimated cost');
    expect(has(w, 'AWS/AutoScaling', 'GroupInServiceInstances')).toBe(true);
    expect(JSON.stringify(w.properties.metrics)).toContain('FILL(hosts, 2)');
  });

  it('is drawn locally from local metrics: distributions, weight, cost and the threshold line', () => {
    // Prepare: one slot of a minute, with what the predict path, the rollout and the local SageMaker put.
    const now = 10_000_000;
    const store = new MetricStore();
    const put = (Namespace: string, MetricName: string, dims: Record<string, string>, values: number[]) =>
      store.put(
        { Namespace, MetricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) },
        now - 1000,
        values,
      );
    put(
      PREDICTION_METRICS.namespace,
      PREDICTION_METRICS.confidence,
      { ModelName: 'churn', VariantName: 'champion' },
      [0.6, 0.7, 0.8, 0.9, 0.95],
    );
    put(ROLLOUT_METRICS.namespace, ROLLOUT_METRICS.challengerWeight, { ModelName: 'churn' }, [5]);
    const variant = { EndpointName: 'mlops-dev-churn', VariantName: 'champion' };
    put('AWS/SageMaker', 'Invocations', variant, [1, 1, 1, 1]);
    put('AWS/SageMaker', 'InvocationsPerInstance', variant, [0.5, 0.5, 0.5, 0.5]);
    put(FRESHNESS_METRIC.namespace, FRESHNESS_METRIC.name, { FeatureView: 'customer' }, [120]);
    const options = { now, windowMs: 60_000, slots: 1 };
    const lines = (title: string) =>
      widgetLines(widget(title) as never, store, options).filter((l) => l.values[0] !== undefined);

    // Act
    const html = renderDashboardPage([dashboard], store, options);

    // Assess: nearest-rank percentiles, two instances at $1.408/h, the view's alarm line.
    expect(lines('Output confidence')).toEqual([
      { label: 'champion p10', values: [0.6] },
      { label: 'champion p50', values: [0.8] },
      { label: 'champion p90', values: [0.95] },
    ]);
    expect(lines('Canary')).toEqual([{ label: 'challenger weight %', values: [5] }]);
    const cost = lines('Instances and estimated cost');
    expect(cost.map((l) => [l.label.split(' (')[0], l.values[0]])).toEqual([
      ['estimated USD/hour', 2 * INSTANCE_HOURLY_PRICE_USD['ml.g5.xlarge']],
      ['instances', 2],
    ]);
    expect(html).toContain('class="annotation"');
  });
});
