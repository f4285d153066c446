/**
 * Embedded Metric Format: a metric is a structured log line that CloudWatch Logs turns into a
 * metric, with no API call from the function. Local mode has no CloudWatch Logs, so when the
 * local CloudWatch stand-in is named (`MLOPS_CLOUDWATCH_ENDPOINT`, never set on AWS) the same
 * metrics are also put there, as CloudWatch Logs would; the log line is written either way.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { ENV } from '../../contracts/env';

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

/** Writes the EMF line; in local mode also puts the metrics to the CloudWatch stand-in. */
export async function emitEmf(
  doc: EmfDocument,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Promise<void> {
  write(JSON.stringify(doc));
  const endpoint = process.env[ENV.cloudWatchEndpoint];
  if (!endpoint) return;
  const { putEmfMetrics } = await import('./emf-cloudwatch');
  await putEmfMetrics(doc, endpoint);
}
