/**
 * What the alert topics would have sent, locally: the local CloudWatch evaluates every alarm of
 * the template on a timer, as CloudWatch does each period, and a state change of an alarm with
 * actions becomes an alert here: ALARM for its `AlarmActions`, OK after ALARM for its `OKActions`
 * (CloudWatch also notifies the first INSUFFICIENT_DATA -> OK, which would be one alert per
 * alarm at every start). `GET /_local/alerts` lists them; `npm start` prints each as it happens.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { type AlertSeverity, severityOfTopicArn } from '../../contracts/alerts';
import { type AlarmDefinition, type AlarmStateValue, evaluateAlarm, type MetricStore } from './alarms';

/** One notification the platform's topics would have delivered. */
export interface LocalAlert {
  readonly at: string;
  readonly alarmName: string;
  readonly description?: string;
  /** The platform topic's severity; undefined when only other topics are named. */
  readonly severity?: AlertSeverity;
  /** An alarm's new state, or NOTIFICATION for an event a rule published to the topic. */
  readonly state: 'ALARM' | 'OK' | 'NOTIFICATION';
  readonly previousState: AlarmStateValue;
  readonly reason: string;
  /** The topic ARNs notified. */
  readonly topics: readonly string[];
}

export interface AlertSinkOptions {
  /** JSON Lines file the alerts persist in (survives a restart). @default - in memory */
  readonly file?: string;
  /** Called with each new alert (npm start prints it). */
  readonly onAlert?: (alert: LocalAlert) => void;
}

const actionsOf = (list: unknown): string[] =>
  Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string') : [];

/** Tracks alarm states and records the alerts their changes send. */
export class LocalAlertSink {
  readonly alerts: LocalAlert[] = [];
  private readonly states = new Map<string, AlarmStateValue>();

  constructor(private readonly options: AlertSinkOptions = {}) {
    if (options.file && existsSync(options.file)) {
      for (const line of readFileSync(options.file, 'utf8').split('\n')) {
        if (line.trim()) this.alerts.push(JSON.parse(line) as LocalAlert);
      }
    }
  }

  /**
   * Records what a rule published to an alert topic (an approval notification): `name` is the
   * event's detail-type, `message` the rule's transformed input.
   */
  notify(topicArn: string, name: string, message: string, at = new Date()): LocalAlert {
    const severity = severityOfTopicArn(topicArn);
    const alert: LocalAlert = {
      at: at.toISOString(),
      alarmName: name,
      ...(severity ? { severity } : {}),
      state: 'NOTIFICATION',
      previousState: 'OK',
      reason: message,
      topics: [topicArn],
    };
    this.record(alert);
    return alert;
  }

  private record(alert: LocalAlert): void {
    this.alerts.push(alert);
    if (this.options.file) appendFileSync(this.options.file, `${JSON.stringify(alert)}\n`);
    this.options.onAlert?.(alert);
  }

  /** Evaluates every alarm with actions at `now`; returns the alerts this round raised. */
  evaluate(alarms: Iterable<AlarmDefinition>, store: MetricStore, now: number): LocalAlert[] {
    const raised: LocalAlert[] = [];
    for (const alarm of alarms) {
      const definition = alarm as AlarmDefinition & { AlarmActions?: unknown; OKActions?: unknown };
      const onAlarm = actionsOf(definition.AlarmActions);
      const onOk = actionsOf(definition.OKActions);
      if (onAlarm.length === 0 && onOk.length === 0) continue;
      let state: AlarmStateValue;
      let reason: string;
      try {
        ({ state, reason } = evaluateAlarm(alarm, store, now));
      } catch {
        // An expression local mode cannot evaluate (e.g. a metrics search) leaves the alarm as it was.
        continue;
      }
      const previous = this.states.get(alarm.AlarmName) ?? 'INSUFFICIENT_DATA';
      this.states.set(alarm.AlarmName, state);
      if (state === previous) continue;
      const topics = state === 'ALARM' ? onAlarm : state === 'OK' && previous === 'ALARM' ? onOk : [];
      if (topics.length === 0 || state === 'INSUFFICIENT_DATA') continue;
      const alert: LocalAlert = {
        at: new Date(now).toISOString(),
        alarmName: alarm.AlarmName,
        ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
        severity: topics.map(severityOfTopicArn).find((s) => s !== undefined),
        state,
        previousState: previous,
        reason,
        topics,
      };
      this.alerts.push(alert);
      if (this.options.file) appendFileSync(this.options.file, `${JSON.stringify(alert)}\n`);
      this.options.onAlert?.(alert);
      raised.push(alert);
    }
    return raised;
  }
}
