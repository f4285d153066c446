/**
 * Metric datapoints and alarm evaluation of the local CloudWatch. Alarms are the template's
 * `AWS::CloudWatch::Alarm` resources (single metric or metric math); each is evaluated when read,
 * over the last `EvaluationPeriods` periods counted back from now (a sliding window, where
 * CloudWatch aligns periods to the clock), with the statistic per period, the threshold and
 * comparison, `DatapointsToAlarm` of M and `TreatMissingData`.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarm-evaluation
 */
import { evaluateExpression, type Series } from './metric-math';

export interface Dimension {
  readonly Name: string;
  readonly Value: string;
}

export interface MetricRef {
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions?: readonly Dimension[];
}

interface Datapoint {
  readonly at: number;
  readonly values: number[];
}

/** `Namespace|MetricName|Name=Value,...` with dimensions sorted, as CloudWatch identifies a metric. */
export const metricKey = (m: MetricRef): string =>
  [
    m.Namespace,
    m.MetricName,
    ...[...(m.Dimensions ?? [])]
      .sort((a, b) => a.Name.localeCompare(b.Name))
      .map((d) => `${d.Name}=${d.Value}`),
  ].join('|');

/** Per-period statistic over raw values: Sum, Average, Minimum, Maximum, SampleCount, pNN. */
export function statistic(values: readonly number[], stat: string): number | undefined {
  if (values.length === 0) return undefined;
  switch (stat) {
    case 'Sum':
      return values.reduce((s, v) => s + v, 0);
    case 'Average':
      return values.reduce((s, v) => s + v, 0) / values.length;
    case 'Minimum':
      return Math.min(...values);
    case 'Maximum':
      return Math.max(...values);
    case 'SampleCount':
      return values.length;
  }
  const p = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  if (!p) throw new Error(`statistic ${stat} is not supported locally`);
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((Number(p[1]) / 100) * sorted.length));
  return sorted[rank - 1];
}

/**
 * How long the store keeps a datapoint: CloudWatch's retention of data at periods under an hour.
 * Every alarm and dashboard of the platform reads less (the longest, anomaly detection's baseline,
 * a week), and a long `npm start` must not grow without end (the API alone records 15 values a
 * request).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_concepts.html#metrics-retention
 */
export const LOCAL_METRIC_RETENTION_MS = 15 * 86_400_000;

/** Holds datapoints by metric, for {@link LOCAL_METRIC_RETENTION_MS}. */
export class MetricStore {
  private readonly byKey = new Map<string, Datapoint[]>();
  private readonly refs = new Map<string, MetricRef>();

  /**
   * The metrics of `namespace` named `metricName` whose dimensions include `filters`, as a
   * metrics `SEARCH` finds them; labelled by their other dimensions' values.
   */
  search(
    namespace: string,
    metricName: string,
    filters: Record<string, string>,
  ): Array<{ metric: MetricRef; label: string }> {
    return [...this.refs.values()]
      .filter(
        (m) =>
          m.Namespace === namespace &&
          m.MetricName === metricName &&
          Object.entries(filters).every(([k, v]) => m.Dimensions?.some((d) => d.Name === k && d.Value === v)),
      )
      .map((metric) => ({
        metric,
        label: (metric.Dimensions ?? [])
          .filter((d) => !(d.Name in filters))
          .map((d) => d.Value)
          .join(' '),
      }));
  }

  put(metric: MetricRef, at: number, values: number[]): void {
    const key = metricKey(metric);
    this.refs.set(key, {
      Namespace: metric.Namespace,
      MetricName: metric.MetricName,
      Dimensions: metric.Dimensions ?? [],
    });
    const list = this.byKey.get(key) ?? [];
    list.push({ at, values });
    // Points arrive about in time order: the expired ones are at the front.
    let expired = 0;
    while (expired < list.length && list[expired].at < at - LOCAL_METRIC_RETENTION_MS) expired++;
    if (expired > 0) list.splice(0, expired);
    this.byKey.set(key, list);
  }

  /** One value per window `(end - (i+1)*period, end - i*period]`, oldest first. */
  series(metric: MetricRef, stat: string, periodMs: number, end: number, count: number): Series {
    const points = this.byKey.get(metricKey(metric)) ?? [];
    return Array.from({ length: count }, (_, k) => {
      const i = count - 1 - k;
      const from = end - (i + 1) * periodMs;
      const to = end - i * periodMs;
      const values = points.filter((p) => p.at > from && p.at <= to).flatMap((p) => p.values);
      return statistic(values, stat);
    });
  }
}

/** An alarm as the template declares it (the properties the platform uses). */
export interface AlarmDefinition {
  readonly AlarmName: string;
  readonly AlarmDescription?: string;
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: readonly Dimension[];
  readonly Statistic?: string;
  readonly ExtendedStatistic?: string;
  readonly Period?: number;
  readonly Metrics?: ReadonlyArray<{
    readonly Id: string;
    readonly Expression?: string;
    readonly ReturnData?: boolean;
    readonly Label?: string;
    readonly MetricStat?: { readonly Metric: MetricRef; readonly Period: number; readonly Stat: string };
  }>;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm?: number;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData?: string;
  /** An anomaly detection alarm's band (`ANOMALY_DETECTION_BAND(m, n)`), in place of `Threshold`. */
  readonly ThresholdMetricId?: string;
  readonly AlarmActions?: readonly unknown[];
  readonly OKActions?: readonly unknown[];
}

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

const COMPARE: Record<string, (v: number, t: number) => boolean> = {
  GreaterThanThreshold: (v, t) => v > t,
  GreaterThanOrEqualToThreshold: (v, t) => v >= t,
  LessThanThreshold: (v, t) => v < t,
  LessThanOrEqualToThreshold: (v, t) => v <= t,
};

/** The alarm's values over its evaluation periods, oldest first. */
export function alarmSeries(alarm: AlarmDefinition, store: MetricStore, now: number): Series {
  const n = alarm.EvaluationPeriods;
  if (alarm.Metrics?.length) {
    const period = (alarm.Metrics.find((m) => m.MetricStat)?.MetricStat?.Period ?? alarm.Period ?? 60) * 1000;
    const byId: Record<string, Series> = {};
    for (const m of alarm.Metrics) {
      if (m.MetricStat) byId[m.Id] = store.series(m.MetricStat.Metric, m.MetricStat.Stat, period, now, n);
    }
    const out =
      alarm.Metrics.find((m) => m.ReturnData !== false && m.Expression) ??
      alarm.Metrics.find((m) => m.ReturnData !== false);
    if (!out) throw new Error(`alarm ${alarm.AlarmName} returns no data`);
    return out.Expression ? evaluateExpression(out.Expression, byId, n) : byId[out.Id];
  }
  const metric = {
    Namespace: alarm.Namespace ?? '',
    MetricName: alarm.MetricName ?? '',
    Dimensions: alarm.Dimensions ?? [],
  };
  return store.series(
    metric,
    alarm.ExtendedStatistic ?? alarm.Statistic ?? 'Average',
    (alarm.Period ?? 60) * 1000,
    now,
    n,
  );
}

/** Evaluates an alarm now: its state and a reason in CloudWatch's words. */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  store: MetricStore,
  now: number,
): { state: AlarmStateValue; reason: string; values: Series } {
  if (alarm.ThresholdMetricId) {
    // CloudWatch trains an anomaly model on up to two weeks of the metric; local data never has that.
    return {
      state: 'INSUFFICIENT_DATA',
      reason: 'Insufficient Data: the anomaly detection model is not trained locally.',
      values: [],
    };
  }
  const values = alarmSeries(alarm, store, now);
  const compare = COMPARE[alarm.ComparisonOperator];
  if (!compare) throw new Error(`comparison ${alarm.ComparisonOperator} is not supported locally`);
  const m = alarm.DatapointsToAlarm ?? alarm.EvaluationPeriods;
  const treat = alarm.TreatMissingData ?? 'missing';
  const present = values.filter((v): v is number => v !== undefined);
  const breaching =
    present.filter((v) => compare(v, alarm.Threshold)).length +
    (treat === 'breaching' ? values.length - present.length : 0);
  const shown = `[${present.map((v) => Number(v.toPrecision(6))).join(', ')}]`;
  if (breaching >= m) {
    return {
      state: 'ALARM',
      reason: `Threshold Crossed: ${breaching} out of the last ${values.length} datapoints ${shown} were ${alarm.ComparisonOperator} the threshold (${alarm.Threshold}).`,
      values,
    };
  }
  if (present.length === 0 && (treat === 'missing' || treat === 'ignore')) {
    return { state: 'INSUFFICIENT_DATA', reason: 'Insufficient Data: no datapoints were received.', values };
  }
  return {
    state: 'OK',
    reason: `Threshold Crossed: ${breaching} out of the last ${values.length} datapoints ${shown} breached the threshold (${alarm.Threshold}); ${m} needed.`,
    values,
  };
}
