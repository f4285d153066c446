/**
 * The local alert sink: alarms with actions that change state become alerts, as the alert
 * topics would deliver them; alarms without actions, and anomaly detection alarms (no model
 * locally), raise none.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlarmDefinition } from '../../../local/cloudwatch/alarms';
import { type LocalAlert, LocalAlertSink } from '../../../local/cloudwatch/alert-sink';
import { LocalCloudWatch } from '../../../local/cloudwatch/server';

const CRITICAL = 'arn:aws:sns:us-east-1:000000000000:mlops-dev-alerts-critical';
const metric = { Namespace: 'CdkMlops/Test', MetricName: 'Errors', Dimensions: [] };
const alarm = (name: string, extra: Partial<AlarmDefinition> = {}): AlarmDefinition => ({
  AlarmName: name,
  AlarmDescription: `${name} errors`,
  ...metric,
  Statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 1,
  Threshold: 0,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'notBreaching',
  ...extra,
});

describe('LocalAlertSink', () => {
  it('records ALARM then OK for an alarm with actions, and nothing for one without', () => {
    // Prepare
    let now = 1_000_000;
    const cw = new LocalCloudWatch({
      alarms: [
        alarm('wired', { AlarmActions: [CRITICAL], OKActions: [CRITICAL] }),
        alarm('silent'),
        alarm('band', {
          AlarmActions: [CRITICAL],
          ThresholdMetricId: 'ad1',
          ComparisonOperator: 'LessThanLowerThreshold',
        }),
      ],
      now: () => now,
    });
    const printed: LocalAlert[] = [];
    const sink = new LocalAlertSink({ onAlert: (a) => printed.push(a) });
    const evaluate = () => sink.evaluate(cw.alarmDefinitions(), cw.metrics, now);

    // Act
    const quiet = evaluate();
    cw.putMetricData({
      Namespace: metric.Namespace,
      MetricData: [{ ...metric, Value: 3, Timestamp: now / 1000 }],
    });
    const fired = evaluate();
    const again = evaluate();
    now += 120_000;
    const cleared = evaluate();

    // Assess
    expect(quiet).toEqual([]);
    expect(fired).toEqual([
      expect.objectContaining({
        alarmName: 'wired',
        state: 'ALARM',
        severity: 'critical',
        topics: [CRITICAL],
      }),
    ]);
    expect(again).toEqual([]);
    expect(cleared).toEqual([
      expect.objectContaining({ alarmName: 'wired', state: 'OK', previousState: 'ALARM' }),
    ]);
    expect(printed).toEqual([...fired, ...cleared]);
  });

  it('keeps its alerts in a file across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alerts-'));
    try {
      const file = join(dir, 'alerts.jsonl');
      const cw = new LocalCloudWatch({
        alarms: [alarm('wired', { AlarmActions: [CRITICAL] })],
        now: () => 5_000,
      });
      cw.putMetricData({ Namespace: metric.Namespace, MetricData: [{ ...metric, Value: 1, Timestamp: 4 }] });
      new LocalAlertSink({ file }).evaluate(cw.alarmDefinitions(), cw.metrics, 5_000);
      expect(new LocalAlertSink({ file }).alerts).toEqual([expect.objectContaining({ alarmName: 'wired' })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
