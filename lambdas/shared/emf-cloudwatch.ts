/**
 * Puts an EMF document's metrics to the local CloudWatch stand-in, as CloudWatch Logs would turn
 * the log line into metrics on AWS: each value once per dimension set. Imported by `metrics.ts`
 * only where the stand-in is named, so a function on AWS never loads the CloudWatch client.
 *
 * One attempt, with a long timeout: PutMetricData adds, so a retry after a timed-out attempt the
 * stand-in had applied would count twice, and an attempt cut short on a busy machine would lose
 * the count; on AWS the EMF line itself is the record, which neither can happen to. The timeout
 * still bounds the wait, under the functions' own 30 s.
 */
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import type { EmfDocument } from './metrics';

let localCloudWatch: CloudWatchClient | undefined;

const LOCAL_PUT_OPTIONS = {
  requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000, throwOnRequestTimeout: true },
  maxAttempts: 1,
} as const;

export async function putEmfMetrics(doc: EmfDocument, endpoint: string): Promise<void> {
  localCloudWatch ??= new CloudWatchClient({ ...LOCAL_PUT_OPTIONS, endpoint });
  const values = doc as unknown as Record<string, unknown>;
  for (const directive of doc._aws.CloudWatchMetrics) {
    for (const set of directive.Dimensions) {
      const dimensions = set.map((Name) => ({ Name, Value: String(values[Name]) }));
      await localCloudWatch.send(
        new PutMetricDataCommand({
          Namespace: directive.Namespace,
          // A metric given several times in one document is an array of values in EMF.
          MetricData: directive.Metrics.map((m) => ({
            MetricName: m.Name,
            ...(Array.isArray(values[m.Name])
              ? { Values: (values[m.Name] as unknown[]).map(Number) }
              : { Value: Number(values[m.Name]) }),
            Unit: (m.Unit ?? 'None') as StandardUnit,
            Timestamp: new Date(doc._aws.Timestamp),
            Dimensions: dimensions,
          })),
        }),
      );
    }
  }
}
