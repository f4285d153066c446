/**
 * `MetricsSink` on CloudWatch PutMetricData (namespace `CdkMlops/Monitoring`), 1000 data per call.
 * In local mode without a CloudWatch stand-in (`MLOPS_CLOUDWATCH_ENDPOINT` unset while the other
 * stand-in endpoints are set) the data are logged instead: a logged no-op, said so at start.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 */
import { type CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { MONITORING_METRICS_NAMESPACE } from '../../../contracts/monitoring-names';
import { logger } from '../../shared/logger';
import type { MetricDatum, MetricsSink } from '../domain/ports';

/** PutMetricData takes up to 1000 metric data per request. */
const MAX_DATA_PER_CALL = 1000;

export class CloudWatchMetricsSink implements MetricsSink {
  constructor(private readonly client: CloudWatchClient) {}

  async publish(data: readonly MetricDatum[], timestamp: Date): Promise<void> {
    for (let i = 0; i < data.length; i += MAX_DATA_PER_CALL) {
      await this.client.send(
        new PutMetricDataCommand({
          Namespace: MONITORING_METRICS_NAMESPACE,
          MetricData: data.slice(i, i + MAX_DATA_PER_CALL).map((d) => ({
            MetricName: d.name,
            Value: d.value,
            Unit: d.unit ?? 'None',
            Timestamp: timestamp,
            Dimensions: Object.entries(d.dimensions).map(([Name, Value]) => ({ Name, Value })),
          })),
        }),
      );
    }
  }
}

/** Local mode without a CloudWatch stand-in: metrics go to the log, nowhere else. */
export class LoggedMetricsSink implements MetricsSink {
  async publish(data: readonly MetricDatum[], timestamp: Date): Promise<void> {
    logger.info('metrics not sent: no CloudWatch endpoint in local mode', {
      namespace: MONITORING_METRICS_NAMESPACE,
      timestamp: timestamp.toISOString(),
      data,
    });
  }
}
