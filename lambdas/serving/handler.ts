/**
 * The predictions Lambda: `POST /v2/models/{name}/infer` in the Open Inference Protocol v2 shape,
 * and OIP's discovery routes (server live and ready, model metadata and readiness).
 * Tensors are validated (shape x datatype x data length) before anything reaches the endpoint;
 * the reply is the model's OIP response with `parameters.variant`, `model_version` (the registry
 * version, see `tritonPackagePaths`) and the `x-amzn-invoked-production-variant` header; while an
 * experiment runs on the endpoint, `parameters.experiment` names the arm that served it.
 * Each answer's prediction values and confidences go out as one EMF line, written before the reply
 * and never awaited: a metric can neither fail nor slow a prediction.
 */

import type { Context } from 'aws-lambda';
import { PREDICT_VARIANT_HEADER } from '../../contracts/serving';
import { SERVING_ROUTES } from '../../contracts/serving-routes';
import { type HttpEvent, type HttpResult, ok } from '../shared/http';
import { logger } from '../shared/logger';
import { type MetricsDocument, publishMetrics } from '../shared/metrics';
import { makeRouter } from '../shared/router';
import { defaultDeps } from './deps';
import { type ModelCatalog, modelMetadata, modelReady } from './domain/discovery';
import type { ServingDeps } from './domain/ports';
import { predict } from './domain/predict';
import { predictionMetrics } from './domain/prediction-metrics';
import { validateInferenceRequest } from './domain/tensors';

/** Publishes without holding the reply: a failure is logged, the prediction answered all the same. */
function emitQuietly(emit: (doc: MetricsDocument) => Promise<void>, doc: () => MetricsDocument): void {
  try {
    void emit(doc()).catch((err: unknown) => warnUnpublished(err));
  } catch (err) {
    warnUnpublished(err);
  }
}
const warnUnpublished = (err: unknown) =>
  logger.warn('prediction metrics not published', {
    error: err instanceof Error ? err.message : String(err),
  });

export const makeHandler = (
  deps: ServingDeps,
  emit: (doc: MetricsDocument) => Promise<void> = publishMetrics,
): ((event: HttpEvent, context: Context) => Promise<HttpResult>) =>
  makeRouter(SERVING_ROUTES, {
    Predict: async ({ params, body }) => {
      const { variant, response } = await predict(deps, params.name, validateInferenceRequest(body));
      emitQuietly(emit, () => predictionMetrics(params.name, variant, response.outputs, Date.now()));
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json', [PREDICT_VARIANT_HEADER]: variant },
        body: JSON.stringify(response),
      };
    },
    // Answering at all is liveness; the function needs nothing else to serve, hence readiness.
    ServerLive: async () => ok({ live: true }),
    ServerReady: async () => ok({ ready: true }),
    ModelMetadata: async ({ params }) => ok(await modelMetadata(catalogOf(deps), params.name)),
    ModelReady: async ({ params }) => ok(await modelReady(catalogOf(deps), params.name)),
  });

/** A platform without endpoints serves no model. */
const NOTHING_SERVED: ModelCatalog = {
  endpointOf: async () => undefined,
  championVersion: async () => undefined,
  signature: async () => ({ inputs: [], outputs: [] }),
};
const catalogOf = (deps: ServingDeps): ModelCatalog => deps.catalog ?? NOTHING_SERVED;

let cached: ((event: HttpEvent, context: Context) => Promise<HttpResult>) | undefined;
/** Deps are built on first use, so importing the module reads no env. */
export const handler = (event: HttpEvent, context: Context): Promise<HttpResult> => {
  cached ??= makeHandler(defaultDeps());
  return cached(event, context);
};
