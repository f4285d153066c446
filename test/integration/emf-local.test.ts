/**
 * EMF metrics, written by Powertools Metrics, reach the local CloudWatch stand-in as CloudWatch
 * Logs would deliver them on AWS, so an alarm on an EMF metric (feature freshness, rate limits)
 * evaluates locally too; and the lines keep the namespaces and dimensions the alarms read.
 */
import { ENV } from '../../contracts/env';
import { FRESHNESS_METRIC } from '../../contracts/features';
import { freshnessMetrics } from '../../lambdas/features/materialize';
import { streamMetrics } from '../../lambdas/features/stream-consumer';
import { publishMetrics, toEmf } from '../../lambdas/shared/metrics';
import { LocalCloudWatch } from '../../local/cloudwatch/server';

// As local mode sets them for every handler.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

/** Runs `act` with stdout captured, as CloudWatch Logs reads a function's output. */
async function captured(act: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
  try {
    await act();
  } finally {
    write.mockRestore();
  }
  return lines;
}

describe('publishMetrics', () => {
  it('writes the EMF line and, in local mode, puts the metric to the CloudWatch stand-in', async () => {
    // Prepare
    const cloudWatch = new LocalCloudWatch();
    const endpoint = await cloudWatch.listen();
    const previous = process.env[ENV.cloudWatchEndpoint];
    process.env[ENV.cloudWatchEndpoint] = endpoint;
    const now = Date.now();
    try {
      // Act
      const lines = await captured(() => publishMetrics(freshnessMetrics('driver_stats', 7200, now)));
      const read = cloudWatch.getMetricData({
        MetricDataQueries: [
          {
            Id: 'f',
            MetricStat: {
              Metric: {
                Namespace: FRESHNESS_METRIC.namespace,
                MetricName: FRESHNESS_METRIC.name,
                Dimensions: [{ Name: 'FeatureView', Value: 'driver_stats' }],
              },
              Period: 60,
              Stat: 'Maximum',
            },
          },
        ],
        // Epoch seconds, as the JSON protocol carries them.
        StartTime: (now - 120_000) / 1000,
        EndTime: (now + 60_000) / 1000,
      });
      // Assess: the line is the one metric under the view's dimension alone (no `service`).
      expect(lines.map((l) => JSON.parse(l))).toEqual([
        {
          _aws: {
            Timestamp: now,
            CloudWatchMetrics: [
              {
                Namespace: FRESHNESS_METRIC.namespace,
                Dimensions: [['FeatureView']],
                Metrics: [{ Name: FRESHNESS_METRIC.name, Unit: 'Seconds' }],
              },
            ],
          },
          FeatureView: 'driver_stats',
          [FRESHNESS_METRIC.name]: 7200,
        },
      ]);
      expect(read.MetricDataResults[0].Values).toEqual([7200]);
    } finally {
      if (previous === undefined) delete process.env[ENV.cloudWatchEndpoint];
      else process.env[ENV.cloudWatchEndpoint] = previous;
      await cloudWatch.close();
    }
  });

  it('only writes the line on AWS (no stand-in endpoint)', async () => {
    const previous = process.env[ENV.cloudWatchEndpoint];
    delete process.env[ENV.cloudWatchEndpoint];
    try {
      const lines = await captured(() => publishMetrics(freshnessMetrics('v', 1, Date.now())));
      expect(lines).toHaveLength(1);
    } finally {
      if (previous !== undefined) process.env[ENV.cloudWatchEndpoint] = previous;
    }
  });

  it('keeps dimensionless metrics dimensionless: one empty dimension set', () => {
    const counts = { accepted: 3, rejected: 1, late: 0, duplicates: 0, erased: 0 };
    const emf = toEmf(streamMetrics(counts as Parameters<typeof streamMetrics>[0], Date.now()));
    expect(emf._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'cdk-mlops/FeatureStore',
        Dimensions: [[]],
        Metrics: [
          { Name: 'StreamEventsAccepted', Unit: 'Count' },
          { Name: 'StreamEventsRejected', Unit: 'Count' },
          { Name: 'StreamEventsLate', Unit: 'Count' },
          { Name: 'StreamEventsDuplicate', Unit: 'Count' },
          { Name: 'StreamEventsErased', Unit: 'Count' },
        ],
      },
    ]);
    expect(emf).toMatchObject({ StreamEventsAccepted: 3, StreamEventsRejected: 1 });
  });

  it('publishes nothing for a document without metrics', async () => {
    const lines = await captured(() =>
      publishMetrics({ namespace: 'cdk-mlops/Api', metrics: [], timestamp: Date.now() }),
    );
    expect(lines).toEqual([]);
  });
});
