/**
 * Puts an EMF document's metrics to the local CloudWatch stand-in, as CloudWatch Logs would turn
 * the log line into metrics on AWS. Imported by `emf.ts` only where the stand-in is named, so a
 * function on AWS never loads the CloudWatch client.
 */
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { withTimeouts } from './clients';
import type { EmfDocument } from './emf';

let localCloudWatch: CloudWatchClient | undefined;

export async function putEmfMetrics(doc: EmfDocument, endpoint: string): Promise<void> {
  localCloudWatch ??= new CloudWatchClient({ ...withTimeouts(), endpoint });
  for (const directive of doc._aws.CloudWatchMetrics) {
    const dimensions = (directive.Dimensions[0] ?? []).map((Name) => ({ Name, Value: String(doc[Name]) }));
    await localCloudWatch.send(
      new PutMetricDataCommand({
        Namespace: directive.Namespace,
        MetricData: directive.Metrics.map((m) => ({
          MetricName: m.Name,
          Value: Number(doc[m.Name]),
          Unit: (m.Unit ?? 'None') as StandardUnit,
          Timestamp: new Date(doc._aws.Timestamp),
          Dimensions: dimensions,
        })),
      }),
    );
  }
}
