/**
 * InvokeEndpointWithResponseStream: the variant is picked as InvokeEndpoint picks it, the payload
 * goes to that variant's `/invocations`, and the model's response bytes come back as they arrive,
 * each chunk a `PayloadPart` event in the `application/vnd.amazon.eventstream` framing (encoded by
 * the event-stream codec the AWS SDK decodes with). A model that fails before streaming is a 424
 * ModelError, as InvokeEndpoint answers; one that fails mid-stream ends the stream with a
 * `ModelStreamError` exception event. Each call records the endpoint metrics InvokeEndpoint does;
 * streamed calls are not data-captured.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpointWithResponseStream.html
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/RESTSelectObjectAppendix.html (the framing)
 */
import type { ServerResponse } from 'node:http';
import { EventStreamCodec } from '@smithy/core/event-streams';
import type { MessageHeaders } from '@smithy/types';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import {
  type InvokeRequest,
  micros,
  modelErrorResult,
  type RuntimeDeps,
  recordInvocation,
  servingVariant,
} from './runtime';

const codec = new EventStreamCodec(toUtf8, fromUtf8);

const str = (value: string) => ({ type: 'string' as const, value });

/** One `PayloadPart` event carrying `bytes`. */
export function payloadPartEvent(bytes: Uint8Array): Uint8Array {
  const headers: MessageHeaders = {
    ':event-type': str('PayloadPart'),
    ':message-type': str('event'),
    ':content-type': str('application/octet-stream'),
  };
  return codec.encode({ headers, body: bytes });
}

/** The `ModelStreamError` exception that ends a stream whose model failed mid-answer. */
export function modelStreamErrorEvent(message: string): Uint8Array {
  const headers: MessageHeaders = {
    ':exception-type': str('ModelStreamError'),
    ':message-type': str('exception'),
    ':content-type': str('application/json'),
  };
  return codec.encode({
    headers,
    body: fromUtf8(JSON.stringify({ Message: message, ErrorCode: 'ModelStreamError' })),
  });
}

/** Answers `res` with the model's stream, or a ModelError; throws SageMaker's errors before any byte. */
export async function invokeEndpointWithResponseStream(
  deps: RuntimeDeps,
  endpointName: string,
  req: InvokeRequest,
  res: ServerResponse,
): Promise<void> {
  const started = process.hrtime.bigint();
  const { endpoint, variant, host } = servingVariant(deps, endpointName, req.targetVariant);
  const record = (modelStatus: number | undefined, modelLatencyMicros: number | undefined) =>
    recordInvocation(deps, endpoint, variant, started, modelStatus, modelLatencyMicros);
  const modelStarted = process.hrtime.bigint();
  let model: Response;
  try {
    model = await fetch(`http://127.0.0.1:${host.port}/invocations`, {
      method: 'POST',
      headers: { 'content-type': req.contentType, accept: req.accept ?? '*/*' },
      body: req.body,
    });
  } catch (err) {
    record(undefined, undefined);
    return send(res, modelErrorResult(endpointName, variant, undefined, (err as Error).message));
  }
  if (model.status < 200 || model.status >= 300 || !model.body) {
    const text = (await model.text()).slice(0, 2000);
    record(model.status, micros(modelStarted));
    return send(res, modelErrorResult(endpointName, variant, model.status, text));
  }
  res.writeHead(200, {
    'content-type': 'application/vnd.amazon.eventstream',
    'x-amzn-sagemaker-content-type': model.headers.get('content-type') ?? 'application/octet-stream',
    'x-amzn-invoked-production-variant': variant,
  });
  let status: number | undefined = model.status;
  try {
    for await (const chunk of model.body) res.write(payloadPartEvent(chunk));
  } catch (err) {
    // The model failed after its headers: SageMaker reports it in the stream.
    status = undefined;
    res.write(modelStreamErrorEvent(`the model's stream failed: ${(err as Error).message}`));
  }
  record(status, micros(modelStarted));
  res.end();
}

function send(
  res: ServerResponse,
  result: { status: number; headers: Record<string, string>; body: Buffer },
) {
  res.writeHead(result.status, { ...result.headers, 'content-length': result.body.length });
  res.end(result.body);
}
