/**
 * The predictions route with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { InferenceRequestBody } from './inference-protocol';
import { lazySchema } from './lazy-schema';
import { ModelName } from './model-names';
import type { RouteDeclaration } from './routes';

export const SERVING_ROUTES = [
  {
    id: 'Predict',
    method: 'POST',
    path: '/v2/models/{name}/infer',
    function: 'serving',
    summary:
      "Open Inference Protocol v2 prediction on the model's endpoint; says which version and variant answered",
    params: lazySchema(() => z.object({ name: ModelName })),
    // Tensors are checked by the serving domain, which names each bad element (INVALID_TENSOR).
    body: InferenceRequestBody,
    rawBody: true,
    response: { status: 200 },
    idempotent: false,
  },
  {
    id: 'ServerLive',
    method: 'GET',
    path: '/v2/health/live',
    function: 'serving',
    summary: 'Open Inference Protocol v2 server liveness',
    response: { status: 200 },
  },
  {
    id: 'ServerReady',
    method: 'GET',
    path: '/v2/health/ready',
    function: 'serving',
    summary: 'Open Inference Protocol v2 server readiness',
    response: { status: 200 },
  },
  {
    id: 'ModelMetadata',
    method: 'GET',
    path: '/v2/models/{name}',
    function: 'serving',
    summary:
      "Open Inference Protocol v2 model metadata: the served version, platform, inputs and outputs of the champion's ONNX graph",
    params: lazySchema(() => z.object({ name: ModelName })),
    response: { status: 200 },
  },
  {
    id: 'ModelReady',
    method: 'GET',
    path: '/v2/models/{name}/ready',
    function: 'serving',
    summary: 'Open Inference Protocol v2 model readiness: an endpoint with a promoted champion version',
    params: lazySchema(() => z.object({ name: ModelName })),
    response: { status: 200 },
  },
] as const satisfies readonly RouteDeclaration[];
