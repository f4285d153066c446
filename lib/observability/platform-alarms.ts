/**
 * The alarms an operator wants on the platform's own machinery: the outbox (dead letters, lag),
 * every state machine (failed, timed out, aborted), every platform function (errors, throttles),
 * the HTTP API (5XX rate, p99 latency, requests admitted unchecked by the rate limiter), every table (throttles) and the training jobs (failed).
 * Functions, state machines and tables are found in the construct tree, so a capability added
 * later gets its alarms without a line here; each alarm sits in the stack of what it watches
 * (no cross-stack reference, and each template's resource count grows with its own contents).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Best_Practice_Recommended_Alarms_AWS_Services.html
 */
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct, IConstruct } from 'constructs';
import type { AlarmKindName, AlertsConfig } from '../../contracts/alerts';
import { trainingJobPrefix } from '../../contracts/pipeline';
import { ENTRY_METADATA_KEY } from '../shared/platform-function';
import { setAlarmSeverity } from './alarm-routing';
import { alarmSettings } from './defaults';
import {
  apiMetric,
  apiServerErrorRate,
  lambdaErrorRate,
  rateLimitUnavailable,
  stateMachineFailures,
  tableThrottles,
} from './metric-factory';

const GT = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD;

/** What `createPlatformAlarms` watches besides what it finds in the tree. */
export interface PlatformAlarmsProps {
  /** The environment: the failed-training alarm counts only its jobs. */
  readonly envName: string;
  readonly alerts?: AlertsConfig;
  /** The outbox publisher and its dead-letter queue. */
  readonly outbox: { readonly publisher: lambda.IFunction; readonly deadLetterQueue: sqs.IQueue };
  readonly httpApi: apigwv2.IHttpApi;
  /** Where approved rollouts that could not start are kept. @default - none (no event-started rollouts) */
  readonly approvedRolloutFailures?: sqs.IQueue;
}

/**
 * Creates an alarm of `kind` with its settings (defaults, then `mlops:alerts`) and marks its
 * severity for `AlarmRouting`.
 */
export function kindAlarm(
  scope: Construct,
  id: string,
  kind: AlarmKindName,
  alerts: AlertsConfig | undefined,
  props: {
    readonly metric: cloudwatch.IMetric;
    readonly description: string;
    readonly modelName?: string;
    readonly alarmName?: string;
    readonly comparisonOperator?: cloudwatch.ComparisonOperator;
    readonly treatMissingData?: cloudwatch.TreatMissingData;
  },
): cloudwatch.Alarm {
  const s = alarmSettings(alerts, kind, props.modelName);
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    alarmName: props.alarmName,
    alarmDescription: props.description,
    threshold: s.threshold,
    evaluationPeriods: s.evaluationPeriods,
    datapointsToAlarm: s.datapointsToAlarm,
    comparisonOperator: props.comparisonOperator ?? GT,
    treatMissingData: props.treatMissingData ?? cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  setAlarmSeverity(alarm, s.severity);
  return alarm;
}

/** The platform's own functions (not CDK's provider frameworks, whose failures fail the deployment). */
export function platformFunctions(root: IConstruct): lambda.Function[] {
  return root.node
    .findAll()
    .filter(
      (c): c is lambda.Function =>
        c instanceof lambda.Function &&
        (c.node.defaultChild as lambda.CfnFunction).getMetadata(ENTRY_METADATA_KEY) !== undefined,
    );
}

/** Creates the platform alarms (see the module comment), keyed by `<kind>/<construct path>`. */
export function createPlatformAlarms(
  root: IConstruct,
  scope: Construct,
  props: PlatformAlarmsProps,
): Record<string, cloudwatch.Alarm> {
  const { alerts } = props;
  const alarms: Record<string, cloudwatch.Alarm> = {};
  const period = (kind: AlarmKindName) => alarmSettings(alerts, kind).period;
  const add = (key: string, alarm: cloudwatch.Alarm) => {
    alarms[key] = alarm;
  };

  for (const fn of platformFunctions(root)) {
    const at = fn.node.scope as Construct;
    const what = fn.node.path;
    add(
      `lambdaErrors/${what}`,
      kindAlarm(at, `${fn.node.id}ErrorsAlarm`, 'lambdaErrors', alerts, {
        metric: lambdaErrorRate(fn, period('lambdaErrors')),
        description: `Errors of ${what} above the threshold, in percent of its invocations`,
      }),
    );
    add(
      `lambdaThrottles/${what}`,
      kindAlarm(at, `${fn.node.id}ThrottlesAlarm`, 'lambdaThrottles', alerts, {
        metric: fn.metricThrottles({ period: period('lambdaThrottles'), statistic: 'Sum' }),
        description: `Throttled invocations of ${what}`,
      }),
    );
  }
  for (const sm of root.node.findAll().filter((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)) {
    add(
      `stateMachineFailed/${sm.node.path}`,
      kindAlarm(sm.node.scope as Construct, `${sm.node.id}FailedAlarm`, 'stateMachineFailed', alerts, {
        metric: stateMachineFailures(sm, period('stateMachineFailed')),
        description: `Executions of ${sm.node.path} failed, timed out or were aborted`,
      }),
    );
  }
  for (const table of root.node.findAll().filter((c): c is dynamodb.Table => c instanceof dynamodb.Table)) {
    add(
      `dynamoDbThrottles/${table.node.path}`,
      kindAlarm(
        table.node.scope as Construct,
        `${table.node.id}ThrottlesAlarm`,
        'dynamoDbThrottles',
        alerts,
        {
          metric: tableThrottles(table, period('dynamoDbThrottles')),
          description: `Throttled reads or writes of table ${table.node.path}`,
        },
      ),
    );
  }

  const { publisher, deadLetterQueue } = props.outbox;
  add(
    'outboxDeadLetters',
    kindAlarm(deadLetterQueue as unknown as Construct, 'NotEmptyAlarm', 'outboxDeadLetters', alerts, {
      metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: period('outboxDeadLetters'),
        statistic: 'Maximum',
      }),
      description:
        'Audit records the outbox gave up on: their events were never published (redrive the queue)',
    }),
  );
  const failures = props.approvedRolloutFailures;
  if (failures) {
    add(
      'approvedRolloutFailures',
      kindAlarm(failures as unknown as Construct, 'NotEmptyAlarm', 'approvedRolloutFailures', alerts, {
        metric: failures.metricApproximateNumberOfMessagesVisible({
          period: period('approvedRolloutFailures'),
          statistic: 'Maximum',
        }),
        description:
          'An approved rollout could not start: its approval event is in the queue (start the rollout again, or redrive)',
      }),
    );
  }
  add(
    'outboxIteratorAge',
    kindAlarm(publisher as unknown as Construct, 'IteratorAgeAlarm', 'outboxIteratorAge', alerts, {
      metric: publisher.metric('IteratorAge', { period: period('outboxIteratorAge'), statistic: 'Maximum' }),
      description:
        'Events are published late: the outbox publisher is behind the audit stream (milliseconds)',
    }),
  );

  const apiId = props.httpApi.apiId;
  const apiScope = props.httpApi as unknown as Construct;
  add(
    'apiServerErrorRate',
    kindAlarm(apiScope, 'ServerErrorRateAlarm', 'apiServerErrorRate', alerts, {
      metric: apiServerErrorRate(apiId, period('apiServerErrorRate')),
      description: 'The API answers 5XX to more than the threshold, in percent of requests',
    }),
  );
  add(
    'apiLatencyP99',
    kindAlarm(apiScope, 'LatencyP99Alarm', 'apiLatencyP99', alerts, {
      metric: apiMetric(apiId, 'Latency', 'p99', period('apiLatencyP99')),
      description: 'p99 latency of the API above the threshold (milliseconds)',
    }),
  );

  add(
    'rateLimitUnavailable',
    kindAlarm(apiScope, 'RateLimitUnavailableAlarm', 'rateLimitUnavailable', alerts, {
      metric: rateLimitUnavailable(period('rateLimitUnavailable')),
      description:
        'Requests were admitted without a rate-limit check: the rate-limit table failed, so per-caller limits were not enforced (the stage throttle still was)',
    }),
  );

  // SageMaker puts a training job's state changes on the default bus; the rule needs no target:
  // its MatchedEvents metric counts the failures.
  const trainingFailed = new events.Rule(scope, 'TrainingJobFailedRule', {
    description: 'cdk-mlops: SageMaker training jobs of the platform that failed',
    eventPattern: {
      source: ['aws.sagemaker'],
      detailType: ['SageMaker Training Job State Change'],
      detail: {
        TrainingJobStatus: ['Failed'],
        TrainingJobName: [{ prefix: trainingJobPrefix(props.envName) }],
      },
    },
  });
  add(
    'trainingJobFailed',
    kindAlarm(scope, 'TrainingJobFailedAlarm', 'trainingJobFailed', alerts, {
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: trainingFailed.ruleName },
        statistic: 'Sum',
        period: period('trainingJobFailed'),
      }),
      description: 'A platform training job failed (see its FailureReason in SageMaker)',
    }),
  );
  return alarms;
}
