/**
 * Observability of the whole platform: the alert topics, the routing of every alarm to them
 * (`AlarmRouting`, over the platform stack and all its nested stacks), the platform's own alarms
 * and each model's, and the dashboards. Composed last, so it sees every capability.
 */
import { AspectPriority, Aspects, CfnOutput, type RemovalPolicy, type Stack } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ALERT_SEVERITIES, type AlertSeverity, type AlertsConfig } from '../../contracts/alerts';
import { ROUTES } from '../../contracts/routes';
import type { ModelEndpoint } from '../serving/model-endpoint';
import { pascal } from '../shared/construct-id';
import { AlarmRouting, alertTopicArn, setAlarmSeverity } from './alarm-routing';
import { AlertTopics } from './alert-topics';
import { addApprovalNotifications } from './approval-notifications';
import { type ModelFeatureView, modelDashboard, platformDashboard } from './dashboards';
import { alarmSettings } from './defaults';
import { createModelAlarms } from './model-alarms';
import { createPlatformAlarms, platformFunctions } from './platform-alarms';

/** Properties of `PlatformObservability`. */
export interface PlatformObservabilityProps {
  readonly envName: string;
  /** @default - no subscriptions, default thresholds */
  readonly alerts?: AlertsConfig;
  readonly removalPolicy: RemovalPolicy;
  /** The platform stack: every alarm below it is routed, every function and table watched. */
  readonly root: Stack;
  readonly outbox: {
    readonly publisher: lambda.IFunction;
    readonly deadLetterQueue: sqs.IQueue;
    /** The bus the outbox publishes on: approval events there reach the approvers. */
    readonly eventBus?: events.IEventBus;
  };
  readonly httpApi: apigwv2.IHttpApi;
  /** Where approved rollouts that could not start are kept (alarmed on). @default - none */
  readonly approvedRolloutFailures?: sqs.IQueue;
  /**
   * The API's base URL, ending in `/`, for the links approval notifications carry.
   * @default - notifications name the routes' paths only
   */
  readonly apiUrl?: string;
  /**
   * The web console's URL, for the links approval notifications carry.
   * @default - no console links
   */
  readonly consoleUrl?: string;
  /** Each route group's function, for the dashboard's per-group traffic, errors and latency. */
  readonly routeFunctions: Readonly<Record<string, lambda.IFunction>>;
  readonly endpoints: Readonly<Record<string, ModelEndpoint>>;
  /** Drift and quality alarms by `<model>/DriftShare` and `<model>/QualityDrop`. */
  readonly monitoringAlarms?: Readonly<Record<string, cloudwatch.Alarm>>;
  /** Freshness alarms by feature view. */
  readonly freshnessAlarms?: Readonly<Record<string, cloudwatch.Alarm>>;
  /**
   * The feature views each model reads, by model name, graphed by freshness on its dashboard.
   * @default - no freshness graphs
   */
  readonly modelFeatureViews?: Readonly<Record<string, readonly ModelFeatureView[]>>;
  /**
   * USD per instance-hour by instance type over the list prices, for the models' cost estimates.
   * @default - the list prices of `INSTANCE_HOURLY_PRICE_USD`
   */
  readonly instancePricesUsd?: Readonly<Record<string, number>>;
}

export class PlatformObservability extends Construct {
  public readonly topics: AlertTopics;
  /** The platform's alarms by `<kind>/<construct path>`, the models' by alarm name. */
  public readonly alarms: Readonly<Record<string, cloudwatch.Alarm>>;
  /** API, route groups, functions, state machines, outbox and tables. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: PlatformObservabilityProps) {
    super(scope, id);
    const { alerts } = props;
    this.topics = new AlertTopics(this, 'Alerts', {
      envName: props.envName,
      subscriptions: alerts?.subscriptions,
      removalPolicy: props.removalPolicy,
    });
    if (props.outbox.eventBus) {
      addApprovalNotifications(this, {
        bus: props.outbox.eventBus,
        topic: this.topics.topics.warning,
        ...(props.apiUrl ? { apiUrl: props.apiUrl } : {}),
        ...(props.consoleUrl ? { consoleUrl: props.consoleUrl } : {}),
      });
    }
    const existingTopicArns = Object.fromEntries(
      ALERT_SEVERITIES.map((s) => [
        s,
        (alerts?.subscriptions ?? []).flatMap((sub) =>
          'topicArn' in sub && sub.severities.includes(s) ? [sub.topicArn] : [],
        ),
      ]),
    ) as Record<AlertSeverity, string[]>;
    // Mutating: before the read-only validations (cdk-nag) see the alarms.
    Aspects.of(props.root).add(new AlarmRouting({ envName: props.envName, existingTopicArns }), {
      priority: AspectPriority.MUTATING,
    });

    for (const [key, alarm] of Object.entries(props.monitoringAlarms ?? {})) {
      const [model, what] = key.split('/');
      setAlarmSeverity(
        alarm,
        alarmSettings(alerts, what === 'QualityDrop' ? 'qualityDrop' : 'driftShare', model).severity,
      );
    }
    for (const alarm of Object.values(props.freshnessAlarms ?? {})) {
      setAlarmSeverity(alarm, alarmSettings(alerts, 'featureFreshness').severity);
    }
    const alarms: Record<string, cloudwatch.Alarm> = createPlatformAlarms(props.root, this, props);
    for (const endpoint of Object.values(props.endpoints))
      Object.assign(alarms, createModelAlarms(endpoint, alerts));
    this.alarms = alarms;

    this.dashboard = platformDashboard(this, 'PlatformDashboard', {
      dashboardName: `mlops-${props.envName}-platform`,
      apiId: props.httpApi.apiId,
      routeFunctions: props.routeFunctions,
      functions: platformFunctions(props.root),
      stateMachines: props.root.node
        .findAll()
        .filter((c): c is sfn.StateMachine => c instanceof sfn.StateMachine),
      tables: props.root.node.findAll().filter((c): c is dynamodb.Table => c instanceof dynamodb.Table),
      outbox: props.outbox,
      routes: ROUTES,
    });
    // Beside each endpoint, in its nested stack: a model's dashboard adds one resource there.
    for (const endpoint of Object.values(props.endpoints)) {
      modelDashboard(endpoint, 'Dashboard', endpoint, `mlops-${props.envName}-${endpoint.modelName}`, {
        featureViews: props.modelFeatureViews?.[endpoint.modelName] ?? [],
        ...(props.instancePricesUsd ? { instancePricesUsd: props.instancePricesUsd } : {}),
      });
    }

    for (const severity of ALERT_SEVERITIES) {
      new CfnOutput(props.root, `AlertTopic${pascal(severity)}`, {
        value: alertTopicArn(props.root, props.envName, severity),
        description: `SNS topic of ${severity} alarms (subscribe a person, PagerDuty or an AWS Chatbot configuration)`,
      });
    }
  }
}
