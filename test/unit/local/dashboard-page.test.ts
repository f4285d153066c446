/**
 * The local dashboard page: a dashboard body as CDK synthesizes it, drawn from the local metrics
 * (a metric, metric math over hidden metrics, a metrics search), with "no data locally" for the rest.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { CfnTemplate } from '../../../local/cdk-template';
import { MetricStore } from '../../../local/cloudwatch/alarms';
import {
  dashboardsFromTemplate,
  renderDashboardPage,
  widgetLines,
} from '../../../local/cloudwatch/dashboard-page';

const NOW = 10_000_000;
const invocations = (variant: string) =>
  new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName: 'Invocations',
    dimensionsMap: { EndpointName: 'mlops-dev-m', VariantName: variant },
    statistic: 'Sum',
    period: Duration.minutes(1),
    label: `${variant} requests`,
  });

function template(): CfnTemplate {
  const stack = new Stack(new App(), 'Dash');
  const d = new cloudwatch.Dashboard(stack, 'Model', { dashboardName: 'mlops-dev-m' });
  d.addWidgets(
    new cloudwatch.GraphWidget({
      title: 'Requests',
      left: [invocations('champion'), invocations('challenger')],
    }),
    new cloudwatch.GraphWidget({
      title: 'Total',
      left: [
        new cloudwatch.MathExpression({
          expression: 'FILL(a, 0) + FILL(b, 0)',
          usingMetrics: { a: invocations('champion'), b: invocations('challenger') },
          label: 'all requests',
        }),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Per feature',
      left: [
        new cloudwatch.MathExpression({
          expression: `SEARCH('{CdkMlops/Monitoring,FeatureName,ModelName} MetricName="DriftScore" ModelName="m"', 'Maximum', 3600)`,
          usingMetrics: {},
          label: '',
        }),
      ],
    }),
    new cloudwatch.GraphWidget({
      title: 'Lambda',
      left: [new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors' })],
    }),
    new cloudwatch.TextWidget({ markdown: '### m <b>' }),
  );
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

describe('local dashboard page', () => {
  it('draws metrics, metric math and searches from the local store', () => {
    // Prepare
    const store = new MetricStore();
    const dims = (v: string) => [
      { Name: 'EndpointName', Value: 'mlops-dev-m' },
      { Name: 'VariantName', Value: v },
    ];
    store.put(
      { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: dims('champion') },
      NOW - 1000,
      [3],
    );
    store.put(
      { Namespace: 'AWS/SageMaker', MetricName: 'Invocations', Dimensions: dims('challenger') },
      NOW - 1000,
      [1],
    );
    for (const f of ['radius', 'texture']) {
      store.put(
        {
          Namespace: 'CdkMlops/Monitoring',
          MetricName: 'DriftScore',
          Dimensions: [
            { Name: 'FeatureName', Value: f },
            { Name: 'ModelName', Value: 'm' },
          ],
        },
        NOW - 1000,
        [0.5],
      );
    }
    const [dashboard] = dashboardsFromTemplate(template());
    const options = { now: NOW, windowMs: 60_000, slots: 2 };

    // Act
    const lines = dashboard.widgets.slice(0, 3).map((w) => widgetLines(w, store, options));
    const html = renderDashboardPage([dashboard], store, options);

    // Assess
    expect(dashboard.name).toBe('mlops-dev-m');
    expect(lines[0]).toEqual([
      { label: 'champion requests', values: [undefined, 3] },
      { label: 'challenger requests', values: [undefined, 1] },
    ]);
    expect(lines[1]).toEqual([{ label: 'all requests', values: [0, 4] }]);
    expect(lines[2].map((l) => l.label).sort()).toEqual(['radius', 'texture']);
    expect(html).toContain('<polyline');
    expect(html).toContain('no data locally');
    expect(html).toContain('### m &lt;b&gt;');
  });
});
