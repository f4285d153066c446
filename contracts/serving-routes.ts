/**
 * The predictions route with the schemas the router parses each request with.
 * @see ./routes.ts for what each field means
 */
import * as z from 'zod';
import { ModelName } from './registry';
import type { RouteDeclaration } from './routes';
import { InferenceRequestBody, InferenceResponseBody } from './serving';

export const SERVING_ROUTES = [
  {
    id: 'Predict',
    method: 'POST',
    path: '/v2/models/{name}/infer',
    function: 'serving',
    summary:
      "Open Inference Protocol v2 prediction on the model's endpoint; says which version and variant answered",
    params: z.object({ name: ModelName }),
    // Tensors are checked by the serving domain, which names each bad element (INVALID_TENSOR).
    body: InferenceRequestBody,
    rawBody: true,
    response: { status: 200, schema: InferenceResponseBody },
  },
] as const satisfies readonly RouteDeclaration[];
