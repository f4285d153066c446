/**
 * EMF metrics reach the local CloudWatch stand-in as CloudWatch Logs would deliver them on AWS,
 * so an alarm on an EMF metric (feature freshness) evaluates locally too.
 */
import { ENV } from '../../contracts/env';
import { FRESHNESS_METRIC } from '../../contracts/features';
import { freshnessEmf } from '../../lambdas/features/materialize';
import { emitEmf } from '../../lambdas/shared/emf';
import { LocalCloudWatch } from '../../local/cloudwatch/server';

// As local mode sets them for every handler.
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';

describe('emitEmf', () => {
  it('writes the log line and, in local mode, puts the metric to the CloudWatch stand-in', async () => {
    // Prepare
    const cloudWatch = new LocalCloudWatch();
    const endpoint = await cloudWatch.listen();
    const previous = process.env[ENV.cloudWatchEndpoint];
    process.env[ENV.cloudWatchEndpoint] = endpoint;
    const lines: string[] = [];
    const now = Date.now();
    try {
      // Act
      await emitEmf(freshnessEmf('driver_stats', 7200, now), (line) => lines.push(line));
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
      // Assess
      expect(JSON.parse(lines[0]).FeatureView).toBe('driver_stats');
      expect(read.MetricDataResults[0].Values).toEqual([7200]);
    } finally {
      if (previous === undefined) delete process.env[ENV.cloudWatchEndpoint];
      else process.env[ENV.cloudWatchEndpoint] = previous;
      await cloudWatch.close();
    }
  });

  it('only writes the log line on AWS (no stand-in endpoint)', async () => {
    const previous = process.env[ENV.cloudWatchEndpoint];
    delete process.env[ENV.cloudWatchEndpoint];
    const lines: string[] = [];
    await emitEmf(freshnessEmf('v', 1, Date.now()), (line) => lines.push(line));
    if (previous !== undefined) process.env[ENV.cloudWatchEndpoint] = previous;
    expect(lines).toHaveLength(1);
  });
});
