/**
 * The local CloudWatch: PutMetricData, DescribeAlarms and GetMetricData over the AWS JSON 1.0
 * protocol (`X-Amz-Target: GraniteServiceVersion20100801.<Operation>`), which
 * `@aws-sdk/client-cloudwatch` 3.1164 speaks, so the handlers' and the local SageMaker's clients
 * only change endpoint. Alarms come from the synthesized template and are evaluated when read.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_Operations.html
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { CfnTemplate } from '../cdk-template';
import { LOCAL_ACCOUNT, LOCAL_REGION, resolveIntrinsics } from '../state-machines/intrinsics';
import { type AlarmDefinition, evaluateAlarm, type MetricRef, MetricStore } from './alarms';
import type { LocalAlertSink } from './alert-sink';
import { evaluateExpression, type Series } from './metric-math';

const TARGET_PREFIX = 'GraniteServiceVersion20100801.';

interface MetricDatum extends MetricRef {
  readonly Timestamp?: number | string;
  readonly Value?: number;
  readonly Values?: number[];
  readonly Counts?: number[];
  readonly StatisticValues?: { SampleCount: number; Sum: number; Minimum: number; Maximum: number };
}

const toMs = (t: number | string | undefined, fallback: number): number =>
  t === undefined ? fallback : typeof t === 'number' ? t * 1000 : Date.parse(t);

/** Alarm definitions of a template, by alarm name (an unnamed alarm goes by its logical id). */
export function alarmsFromTemplate(template: CfnTemplate): AlarmDefinition[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
    .map(([id, r]) => {
      const props = resolveIntrinsics(r.Properties ?? {}, template) as Record<string, unknown>;
      return {
        ...props,
        AlarmName: typeof props.AlarmName === 'string' ? props.AlarmName : id,
      } as AlarmDefinition;
    });
}

export interface LocalCloudWatchOptions {
  readonly alarms?: readonly AlarmDefinition[];
  /** @default Date.now */
  readonly now?: () => number;
}

export class LocalCloudWatch {
  readonly metrics = new MetricStore();
  private readonly alarms = new Map<string, AlarmDefinition>();
  private readonly now: () => number;
  private server?: Server;
  private alerting?: NodeJS.Timeout;

  constructor(options: LocalCloudWatchOptions = {}) {
    for (const a of options.alarms ?? []) this.alarms.set(a.AlarmName, a);
    this.now = options.now ?? Date.now;
  }

  /** Adds or replaces alarms (e.g. another template's). */
  addAlarms(alarms: readonly AlarmDefinition[]): void {
    for (const a of alarms) this.alarms.set(a.AlarmName, a);
  }

  /** The alarms it holds (the template's). */
  alarmDefinitions(): AlarmDefinition[] {
    return [...this.alarms.values()];
  }

  /**
   * Evaluates every alarm each `intervalMs` into `sink`, which records the alerts their changes
   * send (CloudWatch evaluates each alarm every period; locally periods are often seconds).
   */
  startAlerting(sink: LocalAlertSink, intervalMs = 2_000): void {
    clearInterval(this.alerting);
    this.alerting = setInterval(
      () => sink.evaluate(this.alarms.values(), this.metrics, this.now()),
      intervalMs,
    );
    this.alerting.unref();
  }

  putMetricData(input: { Namespace: string; MetricData: MetricDatum[] }): void {
    const now = this.now();
    for (const d of input.MetricData ?? []) {
      const values = d.StatisticValues
        ? // Only the aggregate is known: its mean stands for each sample (exact for Sum, Average, SampleCount).
          Array.from(
            { length: d.StatisticValues.SampleCount },
            () => d.StatisticValues!.Sum / d.StatisticValues!.SampleCount,
          )
        : d.Values
          ? d.Values.flatMap((v, i) => Array.from({ length: d.Counts?.[i] ?? 1 }, () => v))
          : d.Value !== undefined
            ? [d.Value]
            : [];
      this.metrics.put({ ...d, Namespace: input.Namespace }, toMs(d.Timestamp, now), values);
    }
  }

  describeAlarms(input: { AlarmNames?: string[]; AlarmNamePrefix?: string; StateValue?: string }) {
    const now = this.now();
    const selected = [...this.alarms.values()].filter(
      (a) =>
        (!input.AlarmNames?.length || input.AlarmNames.includes(a.AlarmName)) &&
        (!input.AlarmNamePrefix || a.AlarmName.startsWith(input.AlarmNamePrefix)),
    );
    const MetricAlarms = selected
      .map((a) => {
        const { state, reason } = evaluateAlarm(a, this.metrics, now);
        return {
          ...a,
          AlarmArn: `arn:aws:cloudwatch:${LOCAL_REGION}:${LOCAL_ACCOUNT}:alarm:${a.AlarmName}`,
          StateValue: state,
          StateReason: reason,
          StateUpdatedTimestamp: now / 1000,
        };
      })
      .filter((a) => !input.StateValue || a.StateValue === input.StateValue);
    return { MetricAlarms, CompositeAlarms: [] };
  }

  getMetricData(input: {
    MetricDataQueries: Array<{
      Id: string;
      Expression?: string;
      ReturnData?: boolean;
      Label?: string;
      MetricStat?: { Metric: MetricRef; Period: number; Stat: string };
    }>;
    StartTime: number | string;
    EndTime: number | string;
  }) {
    const start = toMs(input.StartTime, 0);
    const end = toMs(input.EndTime, this.now());
    const period = (input.MetricDataQueries.find((q) => q.MetricStat)?.MetricStat?.Period ?? 60) * 1000;
    const count = Math.max(1, Math.ceil((end - start) / period));
    const byId: Record<string, Series> = {};
    for (const q of input.MetricDataQueries) {
      if (q.MetricStat)
        byId[q.Id] = this.metrics.series(q.MetricStat.Metric, q.MetricStat.Stat, period, end, count);
    }
    for (const q of input.MetricDataQueries) {
      if (q.Expression) byId[q.Id] = evaluateExpression(q.Expression, byId, count);
    }
    const MetricDataResults = input.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => {
      const series = byId[q.Id];
      const Timestamps: number[] = [];
      const Values: number[] = [];
      // Newest first, as CloudWatch's default ScanBy TimestampDescending returns them.
      for (let i = series.length - 1; i >= 0; i--) {
        const v = series[i];
        if (v === undefined) continue;
        Timestamps.push((end - (series.length - 1 - i) * period) / 1000);
        Values.push(v);
      }
      return { Id: q.Id, Label: q.Label ?? q.Id, Timestamps, Values, StatusCode: 'Complete' };
    });
    return { MetricDataResults, Messages: [] };
  }

  /** Serves the JSON 1.0 API; resolves to the endpoint URL. */
  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      void readBody(req).then(
        (text) => {
          const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
            res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', ...headers });
            res.end(JSON.stringify(body));
          };
          const operation = String(req.headers['x-amz-target'] ?? '').replace(TARGET_PREFIX, '');
          try {
            const input = text ? JSON.parse(text) : {};
            if (operation === 'PutMetricData') {
              this.putMetricData(input);
              return reply(200, {});
            }
            if (operation === 'DescribeAlarms') return reply(200, this.describeAlarms(input));
            if (operation === 'GetMetricData') return reply(200, this.getMetricData(input));
            return reply(
              400,
              { __type: 'InvalidAction', message: `${operation || 'this action'} is not supported locally` },
              {
                'x-amzn-query-error': 'InvalidAction;Sender',
              },
            );
          } catch (err) {
            return reply(
              400,
              { __type: 'InvalidParameterValue', message: (err as Error).message },
              {
                'x-amzn-query-error': 'InvalidParameterValue;Sender',
              },
            );
          }
        },
        (err: Error) => {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(
            JSON.stringify({ __type: 'InvalidParameterValue', message: `unreadable body: ${err.message}` }),
          );
        },
      );
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    clearInterval(this.alerting);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The request body; the SDK gzips large PutMetricData requests (request compression). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const body = Buffer.concat(chunks);
        resolve((req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8'));
      } catch (err) {
        reject(err);
      }
    });
    req.on('error', reject);
  });
}
