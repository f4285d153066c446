/**
 * Per-variant invocation metrics as SageMaker emits them (namespace AWS/SageMaker, dimensions
 * EndpointName and VariantName, latencies in microseconds). Every datapoint is kept in memory
 * (bounded) for tests and, when a CloudWatch endpoint is configured, sent with PutMetricData in
 * batches, where the local CloudWatch evaluates the alarms.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/monitoring-cloudwatch.html
 */
import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
  type StandardUnit,
} from '@aws-sdk/client-cloudwatch';
import {
  ENDPOINT_METRICS_NAMESPACE,
  EndpointMetric,
  endpointMetricDimensions,
} from '../../contracts/serving';
import { withTimeouts } from '../../lambdas/shared/clients';

export interface MetricPoint {
  readonly endpoint: string;
  readonly variant: string;
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly timestamp: Date;
}

/** What one invocation produced, recorded as the metrics SageMaker would emit for it. */
export interface InvocationOutcome {
  readonly endpoint: string;
  readonly variant: string;
  /** The model's HTTP status; undefined when the model could not be reached (counted as 5XX). */
  readonly modelStatus?: number;
  readonly modelLatencyMicros?: number;
  readonly overheadLatencyMicros: number;
  /** The variant's instances at the time: each invocation adds 1/count to InvocationsPerInstance. */
  readonly instanceCount?: number;
}

const MAX_POINTS = 200_000;
/** PutMetricData takes at most 1000 datums per call. */
const BATCH = 1000;

export class EndpointMetrics {
  readonly points: MetricPoint[] = [];
  private pending: MetricDatum[] = [];
  private cloudWatch?: CloudWatchClient;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  /**
   * @param cloudWatchEndpoint where PutMetricData goes, or a function read at each flush (the
   *   local CloudWatch may start after this); none keeps metrics in memory only.
   */
  constructor(
    private readonly cloudWatchEndpoint?: string | (() => string | undefined),
    flushIntervalMs = 1000,
  ) {
    this.timer = setInterval(() => void this.flush(), flushIntervalMs);
    this.timer.unref();
  }

  private client(): CloudWatchClient | undefined {
    const endpoint =
      typeof this.cloudWatchEndpoint === 'function' ? this.cloudWatchEndpoint() : this.cloudWatchEndpoint;
    if (endpoint && !this.cloudWatch)
      this.cloudWatch = new CloudWatchClient({
        ...withTimeouts(),
        endpoint,
        region: process.env.AWS_REGION ?? 'us-east-1',
        // The local CloudWatch takes any key pair; the platform's process has no AWS credentials.
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
    return endpoint ? this.cloudWatch : undefined;
  }

  record(outcome: InvocationOutcome, at = new Date()): void {
    const status = outcome.modelStatus;
    const add = (metric: { name: string; unit: string }, value: number) => {
      const point = {
        endpoint: outcome.endpoint,
        variant: outcome.variant,
        name: metric.name,
        value,
        unit: metric.unit,
        timestamp: at,
      };
      this.points.push(point);
      if (this.points.length > MAX_POINTS) this.points.splice(0, this.points.length - MAX_POINTS);
      if (this.cloudWatchEndpoint) {
        this.pending.push({
          MetricName: metric.name,
          Dimensions: endpointMetricDimensions(outcome.endpoint, outcome.variant),
          Timestamp: at,
          Value: value,
          Unit: metric.unit as StandardUnit,
        });
      }
    };
    add(EndpointMetric.INVOCATIONS, 1);
    add(EndpointMetric.INVOCATION_4XX_ERRORS, status !== undefined && status >= 400 && status < 500 ? 1 : 0);
    add(EndpointMetric.INVOCATION_5XX_ERRORS, status === undefined || status >= 500 ? 1 : 0);
    if (outcome.modelLatencyMicros !== undefined)
      add(EndpointMetric.MODEL_LATENCY, outcome.modelLatencyMicros);
    add(EndpointMetric.OVERHEAD_LATENCY, outcome.overheadLatencyMicros);
    if (outcome.instanceCount) add(EndpointMetric.INVOCATIONS_PER_INSTANCE, 1 / outcome.instanceCount);
  }

  /** Sum of a metric for one variant (counts), e.g. `sum('ep', 'champion', 'Invocations')`. */
  sum(endpoint: string, variant: string, name: string): number {
    return this.points
      .filter((p) => p.endpoint === endpoint && p.variant === variant && p.name === name)
      .reduce((s, p) => s + p.value, 0);
  }

  /** Sends what is pending; failures are logged and dropped, as a metrics agent would. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const cloudWatch = this.client();
      if (!cloudWatch) this.pending = [];
      while (cloudWatch && this.pending.length > 0) {
        const batch = this.pending.splice(0, BATCH);
        try {
          await cloudWatch.send(
            new PutMetricDataCommand({ Namespace: ENDPOINT_METRICS_NAMESPACE, MetricData: batch }),
          );
        } catch (err) {
          console.warn(
            `local SageMaker: PutMetricData failed, ${batch.length} datapoints dropped: ${(err as Error).message}`,
          );
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.cloudWatch?.destroy();
  }
}
