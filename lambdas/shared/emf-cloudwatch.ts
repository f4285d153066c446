/**
 * Puts an EMF document's metrics to the local CloudWatch stand-in, as CloudWatch Logs would turn
 * the log line into metrics on AWS: each value once per dimension set. Imported by `metrics.ts`
 * only where the stand-in is named, so a function on AWS never loads the CloudWatch client.
 */
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { withTimeouts } from './clients';
import type { EmfDocument } from './metrics';

let localCloudWatch: CloudWatchClient | undefined;

export async function putEmfMetrics(doc: EmfDocument, endpoint: string): Promise<void> {
  localCloudWatch ??= new CloudWatchClient({ ...withTimeouts(), endpoint });
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
