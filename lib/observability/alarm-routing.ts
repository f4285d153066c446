/**
 * Every alarm reaches a person: `AlarmRouting`, an Aspect on the platform stack, gives each
 * CloudWatch alarm in it (nested stacks included) the alert topic of its severity as ALARM and OK
 * action, plus any existing topics `mlops:alerts` names for that severity. A capability only says
 * how urgent its alarm is, `setAlarmSeverity(alarm, 'critical')`; an alarm it says nothing about
 * goes to `warning`. Topics are found by name (`alertTopicName`) in the alarm's own account and
 * Region, so an alarm in any nested stack needs no cross-stack reference.
 * @see https://docs.aws.amazon.com/cdk/v2/guide/aspects.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions
 */
import { ArnFormat, type IAspect, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { type AlertSeverity, alertTopicName } from '../../contracts/alerts';

const severities = new WeakMap<IConstruct, AlertSeverity>();
const routed = new WeakSet<IConstruct>();

/** The severity an alarm notifies with; `AlarmRouting` sends an unmarked alarm to `warning`. */
export function setAlarmSeverity(alarm: cloudwatch.IAlarm, severity: AlertSeverity): void {
  severities.set(alarm, severity);
}

/** The severity `alarm` was marked with. @default 'warning' */
export function alarmSeverity(alarm: IConstruct): AlertSeverity {
  return severities.get(alarm) ?? severities.get(alarm.node.scope as IConstruct) ?? 'warning';
}

/** Properties of `AlarmRouting`. */
export interface AlarmRoutingProps {
  /** The environment the alert topics are named after (`mlops-<envName>-alerts-<severity>`). */
  readonly envName: string;
  /**
   * Existing SNS topics alarms of a severity notify besides the platform's, at most 4 each.
   * @default - none
   */
  readonly existingTopicArns?: Partial<Readonly<Record<AlertSeverity, readonly string[]>>>;
}

/** The ARN of the platform's alert topic of `severity`, as `scope`'s stack writes it. */
export function alertTopicArn(scope: IConstruct, envName: string, severity: AlertSeverity): string {
  return Stack.of(scope).formatArn({
    service: 'sns',
    resource: alertTopicName(envName, severity),
    arnFormat: ArnFormat.NO_RESOURCE_NAME,
  });
}

/**
 * Wires every alarm below the scope it is added to (see the module comment). L2 alarms get the
 * actions through `addAlarmAction`/`addOkAction`; a bare `CfnAlarm` without actions gets them set.
 */
export class AlarmRouting implements IAspect {
  constructor(private readonly props: AlarmRoutingProps) {}

  visit(node: IConstruct): void {
    if (node instanceof cloudwatch.AlarmBase && !(node instanceof cloudwatch.CompositeAlarm)) {
      this.route(node);
    } else if (node instanceof cloudwatch.CfnAlarm && !(node.node.scope instanceof cloudwatch.AlarmBase)) {
      if (
        node.alarmActions === undefined ||
        (Array.isArray(node.alarmActions) && node.alarmActions.length === 0)
      ) {
        const arns = this.arns(node, alarmSeverity(node));
        node.alarmActions = arns;
        node.okActions = arns;
      }
    }
  }

  /** Adds the topics of the alarm's severity as its ALARM and OK actions, once. */
  route(alarm: cloudwatch.AlarmBase): void {
    if (routed.has(alarm)) return;
    routed.add(alarm);
    const actions = this.arns(alarm, alarmSeverity(alarm)).map(
      (arn): cloudwatch.IAlarmAction => ({ bind: () => ({ alarmActionArn: arn }) }),
    );
    alarm.addAlarmAction(...actions);
    alarm.addOkAction(...actions);
  }

  private arns(scope: IConstruct, severity: AlertSeverity): string[] {
    return [
      alertTopicArn(scope, this.props.envName, severity),
      ...(this.props.existingTopicArns?.[severity] ?? []),
    ];
  }
}
