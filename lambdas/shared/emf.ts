/**
 * Embedded Metric Format: a metric is a structured log line that CloudWatch Logs turns into a
 * metric, with no API call from the function. Local mode has no CloudWatch Logs, so when the
 * local CloudWatch stand-in is named (`MLOPS_CLOUDWATCH_ENDPOINT`, never set on AWS) the same
 * metrics are also put there, as CloudWatch Logs would; the log line is written either way.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { CloudWatchClient, PutMetricDataCommand, type StandardUnit } from '@aws-sdk/client-cloudwatch';
import { ENV } from '../../contracts/env';
import { withTimeouts } from './clients';

/** One EMF document: `_aws` metadata plus the dimension and metric values at the top level. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: ReadonlyArray<{
      readonly Namespace: string;
      readonly Dimensions: ReadonlyArray<readonly string[]>;
      readonly Metrics: ReadonlyArray<{ readonly Name: string; readonly Unit?: string }>;
    }>;
  };
  readonly [key: string]: unknown;
}

let localCloudWatch: CloudWatchClient | undefined;

/** Writes the EMF line; in local mode also puts the metrics to the CloudWatch stand-in. */
export async function emitEmf(
  doc: EmfDocument,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  write(JSON.stringify(doc));
  const endpoint = process.env[ENV.cloudWatchEndpoint];
  if (!endpoint) return;
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
