/**
 * Metrics as CloudWatch Embedded Metric Format lines written by Powertools Metrics: CloudWatch
 * Logs turns each line into metrics, with no API call from the function. Local mode has no
 * CloudWatch Logs, so where the local CloudWatch stand-in is named (`MLOPS_CLOUDWATCH_ENDPOINT`,
 * never set on AWS) the same metrics are also put there, as CloudWatch Logs would.
 *
 * Powertools' defaults are set aside where they would change what alarms and dashboards read:
 * - its `service` default dimension is cleared: a metric's identity is its namespace, name and
 *   every dimension, so an extra dimension would be a metric no alarm watches;
 * - one `Metrics` instance per document, published at once (no `logMetrics` flush at the end of
 *   the handler): each document carries its own dimension values (a route group, an endpoint), and
 *   invocations that share a process (local mode runs them concurrently) never mix them;
 * - a document without metrics is not published, so `throwOnEmptyMetrics` and the empty-metrics
 *   warning never apply.
 * @see https://docs.powertools.aws.dev/lambda/typescript/latest/features/metrics/
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import { Metrics, type MetricUnit } from '@aws-lambda-powertools/metrics';
import { ENV } from '../../contracts/env';
import { logger } from './logger';

/** One value of a metric, in a CloudWatch unit (`Count`, `Seconds`, `Milliseconds`, `None`...). */
export interface MetricValue {
  readonly name: string;
  readonly unit: (typeof MetricUnit)[keyof typeof MetricUnit];
  readonly value: number;
}

/** Metrics sharing a namespace, dimensions and timestamp: one EMF line. */
export interface MetricsDocument {
  readonly namespace: string;
  /** The dimensions of every metric of the document. @default - none (one dimensionless set) */
  readonly dimensions?: Readonly<Record<string, string>>;
  /**
   * Further dimension sets, each `dimensions` plus its own, so the same values are also counted
   * per these (per endpoint, and per endpoint and prompt version). @default - none
   */
  readonly alsoBy?: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly metrics: readonly MetricValue[];
  /** Epoch milliseconds the values are for. */
  readonly timestamp: number;
}

/**
 * The document as a Powertools `Metrics` ready to publish: `dimensions` as its default dimensions
 * (Powertools puts them in every set), an empty set for `dimensions` alone, then one per `alsoBy`.
 */
export function powertoolsMetrics(doc: MetricsDocument): Metrics {
  const metrics = new Metrics({ namespace: doc.namespace, serviceName: 'cdk-mlops', logger });
  metrics.clearDefaultDimensions();
  if (doc.dimensions) metrics.setDefaultDimensions({ ...doc.dimensions });
  metrics.addDimensions({});
  for (const set of doc.alsoBy ?? []) metrics.addDimensions({ ...set });
  for (const m of doc.metrics) metrics.addMetric(m.name, m.unit, m.value);
  metrics.setTimestamp(doc.timestamp);
  return metrics;
}

/** The EMF document Powertools writes for `doc`. */
export type EmfDocument = ReturnType<Metrics['serializeMetrics']>;

/** The EMF document Powertools writes for `doc` (what CloudWatch Logs reads from the line). */
export function toEmf(doc: MetricsDocument): EmfDocument {
  return powertoolsMetrics(doc).serializeMetrics();
}

/** Writes the document's EMF line; in local mode also puts its metrics to the CloudWatch stand-in. */
export async function publishMetrics(doc: MetricsDocument): Promise<void> {
  if (doc.metrics.length === 0) return;
  const metrics = powertoolsMetrics(doc);
  const endpoint = process.env[ENV.cloudWatchEndpoint];
  const emf = endpoint ? metrics.serializeMetrics() : undefined;
  metrics.publishStoredMetrics();
  if (!endpoint || !emf) return;
  const { putEmfMetrics } = await import('./emf-cloudwatch');
  await putEmfMetrics(emf, endpoint);
}
