import {
  type AlarmDefinition,
  evaluateAlarm,
  LOCAL_METRIC_RETENTION_MS,
  MetricStore,
  statistic,
} from '../../../local/cloudwatch/alarms';
import { evaluateExpression } from '../../../local/cloudwatch/metric-math';

const NOW = 10_000_000;
const metric = (name: string, variant = 'challenger') => ({
  Namespace: 'AWS/SageMaker',
  MetricName: name,
  Dimensions: [
    { Name: 'EndpointName', Value: 'mlops-churn' },
    { Name: 'VariantName', Value: variant },
  ],
});

describe('metric math', () => {
  it('computes an error rate, missing where there were no requests, and never divides by zero', () => {
    const out = evaluateExpression(
      '100 * FILL(errors, 0) / requests',
      { errors: [1, undefined, 2], requests: [200, 100, 0] },
      3,
    );
    expect(out).toEqual([0.5, 0, undefined]);
  });

  it('takes the elementwise MAX of a list, and IF with comparisons', () => {
    expect(evaluateExpression('MAX([a, b])', { a: [1, undefined], b: [3, 2] }, 2)).toEqual([3, 2]);
    expect(evaluateExpression('IF(a > 0, 10 / a, 0)', { a: [2, 0] }, 2)).toEqual([5, 0]);
  });

  it('fails functions it does not implement, naming them', () => {
    expect(() => evaluateExpression('ANOMALY_DETECTION_BAND(a)', { a: [1] }, 1)).toThrow(
      /ANOMALY_DETECTION_BAND/,
    );
  });
});

describe('statistics', () => {
  it('takes p95 by nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(statistic(values, 'p95')).toBe(95);
    expect(statistic([7], 'p95')).toBe(7);
    expect(statistic(values, 'Sum')).toBe(5050);
  });
});

describe('the metric store', () => {
  it("keeps a metric's datapoints for CloudWatch's 15 days, dropping older ones as new ones come", () => {
    // Prepare
    const store = new MetricStore();
    const day = 86_400_000;
    const start = 100 * day;
    const requests = metric('Invocations');
    store.put(requests, start, [1]);
    store.put(requests, start + day, [2]);

    // Act
    const kept = store.series(requests, 'Sum', day, start + day, 2);
    store.put(requests, start + LOCAL_METRIC_RETENTION_MS + day / 2, [4]);
    // 17 days ending a day after the retention: the first one holds `start`.
    const after = store.series(requests, 'Sum', day, start + LOCAL_METRIC_RETENTION_MS + day, 17);

    // Assess
    expect(kept).toEqual([1, 2]);
    expect(after[0]).toBeUndefined();
    expect(after.filter((v) => v !== undefined)).toEqual([2, 4]);
  });
});

describe('alarm evaluation', () => {
  const latency: AlarmDefinition = {
    AlarmName: 'latency',
    ...metric('ModelLatency'),
    ExtendedStatistic: 'p95',
    Period: 60,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 2,
    Threshold: 100_000,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
  };

  it('goes to ALARM with M of N breaching periods, and stays OK with fewer', () => {
    const store = new MetricStore();
    store.put(metric('ModelLatency'), NOW - 150_000, [250_000]);
    expect(evaluateAlarm(latency, store, NOW).state).toBe('OK');
    store.put(metric('ModelLatency'), NOW - 10_000, [90_000, 300_000, 300_000]);
    expect(evaluateAlarm(latency, store, NOW)).toMatchObject({ state: 'ALARM' });
  });

  it('is OK without data when missing data is not breaching, INSUFFICIENT_DATA otherwise', () => {
    const store = new MetricStore();
    expect(evaluateAlarm(latency, store, NOW).state).toBe('OK');
    expect(evaluateAlarm({ ...latency, TreatMissingData: 'missing' }, store, NOW).state).toBe(
      'INSUFFICIENT_DATA',
    );
  });

  it('evaluates metric math alarms (5XX rate above 0.1%)', () => {
    const store = new MetricStore();
    store.put(metric('Invocations'), NOW - 1000, [1000]);
    store.put(metric('Invocation5XXErrors'), NOW - 1000, [2]);
    const rate: AlarmDefinition = {
      AlarmName: 'rate',
      EvaluationPeriods: 1,
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      Metrics: [
        { Id: 'expr', Expression: '100 * FILL(errors, 0) / requests' },
        {
          Id: 'errors',
          ReturnData: false,
          MetricStat: { Metric: metric('Invocation5XXErrors'), Period: 60, Stat: 'Sum' },
        },
        {
          Id: 'requests',
          ReturnData: false,
          MetricStat: { Metric: metric('Invocations'), Period: 60, Stat: 'Sum' },
        },
      ],
    };
    expect(evaluateAlarm(rate, store, NOW)).toMatchObject({ state: 'ALARM', values: [0.2] });
  });
});
