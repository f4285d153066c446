/**
 * InvokeEndpoint: picks a production variant by the variants' current weights (or the
 * TargetVariant the caller named), forwards the payload to that variant's model server
 * `/invocations`, and answers as SageMaker Runtime does: the model's body and content type with
 * `x-Amzn-Invoked-Production-Variant`, or a 424 ModelError carrying the model's status. Each call
 * records ModelLatency/OverheadLatency (microseconds), Invocations and 4XX/5XX counts, and is
 * sampled into data capture.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
 */
import { pickVariant } from '../../lambdas/serving/domain/routing';
import type { DataCaptureWriter } from './data-capture';
import type { EndpointMetrics } from './metrics';
import type { ModelHost } from './model-host';
import type { DataCaptureConfig, EndpointRecord } from './state';
import { SageMakerError } from './validation';

export interface InvokeRequest {
  readonly body: Buffer;
  readonly contentType: string;
  readonly accept?: string;
  readonly targetVariant?: string;
  readonly inferenceId?: string;
}

export interface InvokeResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface RuntimeDeps {
  readonly endpoint: (name: string) => EndpointRecord | undefined;
  readonly captureConfig: (endpoint: EndpointRecord) => DataCaptureConfig | undefined;
  readonly host: (endpoint: string, variant: string) => ModelHost | undefined;
  readonly metrics: EndpointMetrics;
  readonly capture: DataCaptureWriter;
  /** Uniform [0, 1): seeded in tests so the split is reproducible. */
  readonly random: () => number;
}

export const micros = (startNs: bigint) => Number((process.hrtime.bigint() - startNs) / 1000n);

/** mulberry32: a small seeded PRNG, enough for traffic splitting and sampling. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The variant that serves a call and its model host: the caller's TargetVariant, else one picked
 * by the variants' current weights. Throws SageMaker's errors for a missing endpoint or variant,
 * an endpoint not in service, or no variant ready.
 */
export function servingVariant(
  deps: RuntimeDeps,
  endpointName: string,
  targetVariant: string | undefined,
): { endpoint: EndpointRecord; variant: string; host: ModelHost } {
  const endpoint = deps.endpoint(endpointName);
  if (!endpoint)
    throw new SageMakerError(
      'ValidationError',
      `Endpoint ${endpointName} of account 000000000000 not found.`,
    );
  if (endpoint.EndpointStatus !== 'InService' && endpoint.EndpointStatus !== 'Updating') {
    throw new SageMakerError(
      'ValidationError',
      `Endpoint ${endpointName} is not in service (${endpoint.EndpointStatus}).`,
    );
  }
  let variant: string | undefined;
  if (targetVariant !== undefined) {
    if (!endpoint.ProductionVariants.some((v) => v.VariantName === targetVariant)) {
      throw new SageMakerError(
        'ValidationError',
        `Variant ${targetVariant} not found for endpoint ${endpointName}.`,
      );
    }
    variant = targetVariant;
  } else {
    variant = pickVariant(
      endpoint.ProductionVariants.map((v) => ({ name: v.VariantName, weight: v.CurrentWeight })),
      deps.random(),
    );
  }
  const host = variant ? deps.host(endpointName, variant) : undefined;
  if (!variant || !host)
    throw new SageMakerError(
      'ServiceUnavailable',
      `Endpoint ${endpointName} has no variant ready to serve.`,
      503,
    );
  return { endpoint, variant, host };
}

/**
 * SageMaker's answer to a model that failed (or was unreachable): 424 ModelError with the model's
 * status and message.
 */
export function modelErrorResult(
  endpointName: string,
  variant: string,
  modelStatus: number | undefined,
  original: string,
): InvokeResult {
  const kind = modelStatus !== undefined && modelStatus < 500 ? 'client' : 'server';
  const body = {
    ErrorCode: kind === 'client' ? 'CLIENT_ERROR_FROM_MODEL' : 'SERVER_ERROR_FROM_MODEL',
    message: `Received ${kind} error (${modelStatus ?? 'no response'}) from primary with message "${original}".`,
    OriginalStatusCode: modelStatus ?? 500,
    OriginalMessage: original,
    LogStreamArn: `arn:aws:logs:us-east-1:000000000000:log-group:/aws/sagemaker/Endpoints/${endpointName}`,
  };
  return {
    status: 424,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': 'ModelError',
      'x-amzn-invoked-production-variant': variant,
    },
    body: Buffer.from(JSON.stringify(body)),
  };
}

/**
 * One call's metrics, as SageMaker reports them: the model's status and latency (none when the
 * model was not reached) and the overhead around it since `started`.
 */
export function recordInvocation(
  deps: RuntimeDeps,
  endpoint: EndpointRecord,
  variant: string,
  started: bigint,
  modelStatus: number | undefined,
  modelLatencyMicros: number | undefined,
): void {
  const total = micros(started);
  deps.metrics.record({
    endpoint: endpoint.EndpointName,
    variant,
    modelStatus,
    modelLatencyMicros,
    overheadLatencyMicros: Math.max(0, total - (modelLatencyMicros ?? 0)),
    instanceCount: endpoint.ProductionVariants.find((v) => v.VariantName === variant)?.CurrentInstanceCount,
  });
}

export async function invokeEndpoint(
  deps: RuntimeDeps,
  endpointName: string,
  req: InvokeRequest,
): Promise<InvokeResult> {
  const started = process.hrtime.bigint();
  const { endpoint, variant, host } = servingVariant(deps, endpointName, req.targetVariant);

  let modelStatus: number | undefined;
  let modelLatencyMicros: number | undefined;
  let responseBody = Buffer.alloc(0);
  let responseType = 'application/json';
  let reachError: string | undefined;
  const modelStarted = process.hrtime.bigint();
  try {
    const res = await fetch(`http://127.0.0.1:${host.port}/invocations`, {
      method: 'POST',
      headers: { 'content-type': req.contentType, accept: req.accept ?? '*/*' },
      body: req.body,
    });
    responseBody = Buffer.from(await res.arrayBuffer());
    modelStatus = res.status;
    responseType = res.headers.get('content-type') ?? responseType;
    modelLatencyMicros = micros(modelStarted);
  } catch (err) {
    reachError = (err as Error).message;
  }
  recordInvocation(deps, endpoint, variant, started, modelStatus, modelLatencyMicros);

  if (modelStatus !== undefined && modelStatus >= 200 && modelStatus < 300) {
    const capture = deps.captureConfig(endpoint);
    if (
      capture &&
      capture.EnableCapture !== false &&
      deps.random() * 100 < capture.InitialSamplingPercentage
    ) {
      deps.capture.add({
        endpoint: endpointName,
        variant,
        config: capture,
        request: { contentType: req.contentType, body: req.body },
        response: { contentType: responseType, body: responseBody },
        inferenceId: req.inferenceId,
        at: new Date(),
      });
    }
    return {
      status: 200,
      headers: { 'content-type': responseType, 'x-amzn-invoked-production-variant': variant },
      body: responseBody,
    };
  }
  return modelErrorResult(
    endpointName,
    variant,
    modelStatus,
    reachError ?? responseBody.toString('utf8').slice(0, 2000),
  );
}
