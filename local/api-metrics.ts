/**
 * The metrics API Gateway writes for an HTTP API, recorded from the local API server's requests
 * into the local CloudWatch, so the template's API alarms (5XX rate, p99 latency) evaluate and the
 * platform dashboard's API graphs draw on `npm start` as on AWS. Namespace `AWS/ApiGateway`:
 * `Count`, `4xx` and `5xx` (1 or 0 per request, so `Sum` is a count and `Average` a rate),
 * `Latency` and `IntegrationLatency` in milliseconds, under the dimension sets API Gateway uses:
 * `ApiId`; `ApiId, Stage`; and `ApiId, Stage, Method, Resource` (the route) only where the stage's
 * detailed metrics are on. The API id and stage are the template's, resolved as the alarms'
 * dimensions are, so the series are the ones the alarms and widgets name.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-metrics.html
 */
import type { ApiRequestRecord } from './api-server';
import type { CfnTemplate } from './cdk-template';
import type { Dimension, MetricStore } from './cloudwatch/alarms';
import { resolveIntrinsics } from './state-machines/intrinsics';

export const API_GATEWAY_NAMESPACE = 'AWS/ApiGateway';

/** The HTTP API stage whose metrics are recorded. */
export interface ApiStage {
  /** The API's id as the template's `Ref` resolves locally (the alarms' `ApiId`). */
  readonly apiId: string;
  readonly stageName: string;
  /** Whether the stage writes route-level metrics (`DefaultRouteSettings.DetailedMetricsEnabled`). */
  readonly detailedMetrics: boolean;
}

/**
 * The template's HTTP API and its `$default` stage (the one the platform serves on), or
 * `undefined` for a template without one.
 */
export function httpApiStage(template: CfnTemplate): ApiStage | undefined {
  const apiIds = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Api')
    .map(([id]) => id);
  for (const [, r] of Object.entries(template.Resources)) {
    if (r.Type !== 'AWS::ApiGatewayV2::Stage') continue;
    const props = (r.Properties ?? {}) as {
      ApiId?: { Ref?: string };
      StageName?: string;
      DefaultRouteSettings?: { DetailedMetricsEnabled?: boolean };
    };
    const ref = props.ApiId?.Ref;
    if (props.StageName !== '$default' || !ref || !apiIds.includes(ref)) continue;
    return {
      apiId: String(resolveIntrinsics({ Ref: ref }, template)),
      stageName: props.StageName,
      detailedMetrics: props.DefaultRouteSettings?.DetailedMetricsEnabled === true,
    };
  }
  return undefined;
}

/** Where the records go, and the clock that stamps them. */
export interface ApiMetricsRecorderOptions {
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Turns each answered request into API Gateway's datapoints in `store`, as the server's
 * `onRequest`.
 */
export function apiMetricsRecorder(
  stage: ApiStage,
  store: MetricStore,
  options: ApiMetricsRecorderOptions = {},
): (record: ApiRequestRecord) => void {
  const now = options.now ?? Date.now;
  const api: Dimension = { Name: 'ApiId', Value: stage.apiId };
  const onStage: Dimension[] = [api, { Name: 'Stage', Value: stage.stageName }];
  return (record) => {
    const at = now();
    const sets: Dimension[][] = [[api], onStage];
    if (stage.detailedMetrics && record.route) {
      sets.push([
        ...onStage,
        { Name: 'Method', Value: record.route.method },
        { Name: 'Resource', Value: record.route.path },
      ]);
    }
    const values: Array<[string, number | undefined]> = [
      ['Count', 1],
      ['4xx', record.status >= 400 && record.status < 500 ? 1 : 0],
      ['5xx', record.status >= 500 ? 1 : 0],
      ['Latency', record.latencyMs],
      ['IntegrationLatency', record.integrationLatencyMs],
    ];
    for (const Dimensions of sets) {
      for (const [MetricName, value] of values) {
        if (value !== undefined)
          store.put({ Namespace: API_GATEWAY_NAMESPACE, MetricName, Dimensions }, at, [value]);
      }
    }
  };
}
