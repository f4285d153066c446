/**
 * Alerting: the severity topics (KMS, TLS-only, CloudWatch may publish), subscriptions from
 * `mlops:alerts`, and every alarm of every template wired to a topic with ALARM and OK actions.
 */
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { parsePlatformConfig } from '../../contracts/config';
import { ROUTE_GROUPS } from '../../contracts/rate-limits';
import { ROUTES } from '../../contracts/routes';
import { buildApp } from '../../lib/app';
import { AlarmRouting, setAlarmSeverity } from '../../lib/observability/alarm-routing';
import { alarmSettings } from '../../lib/observability/defaults';
import type { PlatformStack } from '../../lib/platform-stack';
import { alarmsWithoutActions, assemblyAlarms } from './alarm-actions';
import { cdkJsonContext, REALISTIC_CONTEXT, SKIP_BUNDLING, templateOf, throwawayStack } from './helpers';

const EXISTING_TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ops-pager';
const ALERTS = {
  subscriptions: [
    { email: 'oncall@example.com', severities: ['critical'] },
    { url: 'https://events.pagerduty.com/integration/abc/enqueue' },
    { topicArn: EXISTING_TOPIC, severities: ['critical'] },
    { chatbotConfigurationArn: 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/ml-alerts' },
  ],
  alarms: { lambdaErrors: { threshold: 2 } },
  models: { churn: { gpuUtilizationHigh: { threshold: 75, severity: 'critical' } } },
};

let stack: PlatformStack;
let outdir: string;

beforeAll(() => {
  const built = buildApp(cdkJsonContext({ ...REALISTIC_CONTEXT, ...SKIP_BUNDLING, 'mlops:alerts': ALERTS }));
  stack = built.stack;
  outdir = built.app.synth().directory;
}, 300_000);

describe('approval notifications', () => {
  it("sends ApprovalRequested, ApprovalDecided, ApprovalExpired and ApprovalStartFailed to the warning topic, naming model, version, requester and the request's URL", () => {
    const t = templateOf(stack.observability);
    for (const detailType of [
      'ApprovalRequested',
      'ApprovalDecided',
      'ApprovalExpired',
      'ApprovalStartFailed',
    ]) {
      t.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: { source: ['cdk-mlops.registry'], 'detail-type': [detailType] },
        Targets: [
          Match.objectLike({
            InputTransformer: {
              InputPathsMap: Match.objectLike({
                'detail-modelName': '$.detail.modelName',
                'detail-version': '$.detail.version',
              }),
              InputTemplate: Match.anyValue(),
            },
          }),
        ],
      });
    }
    const [requested] = Object.values(t.findResources('AWS::Events::Rule')).filter(
      (r) => r.Properties.EventPattern?.['detail-type']?.[0] === 'ApprovalRequested',
    );
    const template = JSON.stringify(requested.Properties.Targets[0].InputTransformer.InputTemplate);
    for (const part of [
      '<detail-modelName>',
      '<detail-version>',
      'requested by <detail-after-requestedBy>',
      'models/<detail-modelName>/approvals/<detail-after-id>/decisions',
      ...(stack.console ? ['/#/models/<detail-modelName>/versions/<detail-version>'] : []),
    ])
      expect(template).toContain(part);
    // The full URL: the API's base URL (a token, resolved at deploy) ahead of the route.
    const [, parts] = requested.Properties.Targets[0].InputTransformer.InputTemplate['Fn::Join'];
    const at = (parts as unknown[]).findIndex((p) => String(p).endsWith('decide at POST https://'));
    expect(parts.slice(at + 1, at + 3)).toEqual([
      { Ref: expect.stringContaining('ApiHttpApi') },
      '.execute-api.',
    ]);
    // EventBridge may use the topics' key to publish, for this account only.
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Principal: { Service: 'events.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
          }),
        ]),
      },
    });
  });
});

describe('an approved rollout that cannot start', () => {
  it("keeps the approval's event in a queue after Lambda's retries, and alarms critical, with actions, on it", () => {
    const t = templateOf(stack.deployment);
    const queues = t.findResources('AWS::SQS::Queue');
    const queueId = Object.keys(queues).find((id) => id.includes('ApprovedRolloutFailures'));
    expect(queueId).toBeDefined();
    t.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('DeploymentHandler') },
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      AlarmActions: Match.anyValue(),
    });
  });
});

describe('alert topics', () => {
  it('makes one KMS-encrypted topic per severity, TLS only, that CloudWatch of this account may publish to', () => {
    const t = templateOf(stack.observability);
    for (const severity of ['critical', 'warning']) {
      t.hasResourceProperties('AWS::SNS::Topic', {
        TopicName: `mlops-dev-alerts-${severity}`,
        KmsMasterKeyId: Match.anyValue(),
      });
    }
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    t.resourcePropertiesCountIs(
      'AWS::SNS::TopicPolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: { StringEquals: { 'aws:SourceAccount': Match.anyValue() } },
            }),
          ]),
        },
      },
      2,
    );
  });

  it('subscribes the email to critical only and the HTTPS endpoint to both', () => {
    const t = templateOf(stack.observability);
    t.resourcePropertiesCountIs(
      'AWS::SNS::Subscription',
      { Protocol: 'email', Endpoint: 'oncall@example.com' },
      1,
    );
    t.resourcePropertiesCountIs('AWS::SNS::Subscription', { Protocol: 'https' }, 2);
  });
});

describe('every alarm reaches a person', () => {
  it('gives every alarm of every synthesized template (nested included) ALARM and OK actions', () => {
    const alarms = assemblyAlarms(outdir);
    // Platform, per-function, per-table, per-state-machine, canary, drift, freshness and model alarms.
    expect(alarms.length).toBeGreaterThan(60);
    expect(alarmsWithoutActions(outdir)).toEqual([]);
  });

  it('sends critical alarms to the existing topic too, warning ones not', () => {
    const endpointError = templateOf(stack.endpoints.churn);
    endpointError.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-churn-endpoint-error-rate',
      AlarmActions: [Match.anyValue(), EXISTING_TOPIC],
      OKActions: [Match.anyValue(), EXISTING_TOPIC],
    });
    endpointError.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-churn-champion-latency-p95',
      AlarmActions: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':mlops-dev-alerts-warning'])] })],
    });
  });

  it('applies a model override over the defaults file', () => {
    templateOf(stack.endpoints.churn).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mlops-dev-churn-champion-gpu-high',
      Threshold: 75,
      AlarmActions: Match.arrayWith([EXISTING_TOPIC]),
    });
    expect(
      alarmSettings(
        parsePlatformConfig(cdkJsonContext({ 'mlops:alerts': ALERTS, ...REALISTIC_CONTEXT })).alerts,
        'lambdaErrors',
      ).threshold,
    ).toBe(2);
  });

  it('fails the check for an alarm nobody routes', () => {
    // Prepare
    const bad = throwawayStack();
    new cloudwatch.Alarm(bad, 'Lonely', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    // Act
    const dir = bad.node.root as unknown as { synth: () => { directory: string } };
    // Assess
    expect(alarmsWithoutActions(dir.synth().directory)).toEqual(['Throwaway.template.json: Lonely1EF34032']);
  });

  it('routes a bare CfnAlarm and an L2 alarm marked critical', () => {
    const s = throwawayStack();
    const l2 = new cloudwatch.Alarm(s, 'Marked', {
      metric: new cloudwatch.Metric({ namespace: 'X', metricName: 'Y' }),
      threshold: 1,
      evaluationPeriods: 1,
    });
    setAlarmSeverity(l2, 'critical');
    new cloudwatch.CfnAlarm(s, 'Bare', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metricName: 'Y',
      namespace: 'X',
      period: 60,
      statistic: 'Sum',
    });
    new AlarmRouting({ envName: 'test' }).visit(l2);
    new AlarmRouting({ envName: 'test' }).visit(s.node.findChild('Bare'));
    const t = Template.fromStack(s as Stack);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [
        Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':mlops-test-alerts-critical'])] }),
      ],
    });
    t.resourcePropertiesCountIs(
      'AWS::CloudWatch::Alarm',
      {
        OKActions: [Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':mlops-test-alerts-warning'])] })],
      },
      1,
    );
  });
});

describe('API metrics', () => {
  const warningTopic = Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':mlops-dev-alerts-warning'])] });

  it('alarms at warning severity, with actions, on any request admitted without a rate-limit check', () => {
    const t = templateOf(stack.api.httpApi);
    t.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: alarmSettings(undefined, 'rateLimitUnavailable').threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(predictions, 0) + FILL(writes, 0) + FILL(reads, 0)' }),
      ]),
      AlarmActions: [warningTopic],
      OKActions: [warningTopic],
    });
    for (const group of ROUTE_GROUPS) {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({
            Id: group,
            MetricStat: Match.objectLike({
              Metric: {
                Namespace: 'cdk-mlops/Api',
                MetricName: 'RateLimitUnavailable',
                Dimensions: [{ Name: 'Group', Value: group }],
              },
              Stat: 'Sum',
            }),
          }),
        ]),
      });
    }
  });

  it("turns on the stage's route-level metrics, which the per-route widgets read", () => {
    templateOf(stack.api.stage).hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: Match.objectLike({ DetailedMetricsEnabled: true }),
    });
  });

  it('graphs p99 latency and integration latency of every route on the platform dashboard', () => {
    // Prepare: the body with its tokens (the API id) as `X`.
    const [dashboard] = Object.values(
      templateOf(stack.observability.dashboard).findResources('AWS::CloudWatch::Dashboard', {
        Properties: { DashboardName: 'mlops-dev-platform' },
      }),
    );
    const parts: unknown[] = dashboard.Properties.DashboardBody['Fn::Join'][1];
    const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'X')).join(''));
    const metrics: unknown[][] = body.widgets.flatMap(
      (w: { properties: { metrics?: unknown[][] } }) => w.properties.metrics ?? [],
    );
    const routeMetric = (name: string, method: string, path: string) =>
      metrics.some(
        (m) =>
          m[0] === 'AWS/ApiGateway' &&
          m[1] === name &&
          m.includes('Method') &&
          m[m.indexOf('Method') + 1] === method &&
          m[m.indexOf('Resource') + 1] === path &&
          JSON.stringify(m.at(-1)).includes('"stat":"p99"'),
      );
    // Assess
    for (const route of ROUTES) {
      expect([route.method, route.path, routeMetric('Latency', route.method, route.path)]).toEqual([
        route.method,
        route.path,
        true,
      ]);
      expect(routeMetric('IntegrationLatency', route.method, route.path)).toBe(true);
    }
    // One widget per route group: the whole API in eleven graphs, none past CloudWatch's limits.
    const perRoute = body.widgets.filter((w: { properties: { title?: string } }) =>
      w.properties.title?.includes('p99 latency per route'),
    );
    expect(perRoute).toHaveLength(new Set(ROUTES.map((r) => r.function)).size);
  });
});

describe('mlops:alerts config', () => {
  const parse = (alerts: unknown) => () => parsePlatformConfig(cdkJsonContext({ 'mlops:alerts': alerts }));

  it('reads subscriptions and tuning given as JSON text through -c', () => {
    const config = parsePlatformConfig(
      cdkJsonContext({ ...REALISTIC_CONTEXT, 'mlops:alerts': JSON.stringify(ALERTS) }),
    );
    expect(config.alerts.subscriptions[1]).toEqual({
      url: 'https://events.pagerduty.com/integration/abc/enqueue',
      severities: ['critical', 'warning'],
    });
  });

  it.each([
    [{ subscriptions: [{ email: 'not-an-address' }] }, 'mlops:alerts.subscriptions.0'],
    [{ subscriptions: [{ url: 'http://example.com/hook' }] }, 'mlops:alerts.subscriptions.0'],
    [
      { subscriptions: [{ topicArn: 'arn:aws:sqs:eu-west-1:123456789012:q' }] },
      'mlops:alerts.subscriptions.0',
    ],
    [{ subscriptions: [{ email: 'a@example.com', severities: ['page'] }] }, 'mlops:alerts.subscriptions.0'],
    [{ alarms: { lambdaErrors: { threshold: -1 } } }, 'mlops:alerts.alarms.lambdaErrors.threshold'],
    [{ alarms: { noSuchAlarm: {} } }, 'mlops:alerts.alarms'],
    [{ alarms: { apiLatencyP99: { evaluationPeriods: 2, datapointsToAlarm: 3 } } }, 'datapointsToAlarm'],
    [{ models: { ghost: { driftShare: { severity: 'critical' } } } }, 'mlops:alerts.models.ghost'],
    [
      {
        subscriptions: Array.from({ length: 5 }, (_, i) => ({
          topicArn: `arn:aws:sns:eu-west-1:123456789012:t${i}`,
        })),
      },
      'at most 4 existing topics',
    ],
  ])('fails for %j, naming %s', (alerts, named) => {
    expect(parse(alerts)).toThrow(named);
  });
});
