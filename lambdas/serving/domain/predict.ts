/**
 * The predict path: a validated OIP v2 request (optionally enriched from the online store) goes
 * to the model's endpoint, on the variant a routing key sticks to when one is given, and the
 * answer says which model version and variant produced it. While an experiment runs on the
 * endpoint, the routing key is the experiment's unit: it is hashed with the experiment's salt to an
 * arm exactly as outcomes are attributed, the arm's variant is named, and the answer names the arm;
 * a request without a key goes to control. A keyed request with an `id` served inside an
 * experiment is recorded (experiment, unit, arm, the one row's prediction) under the id, so
 * ground truth sent to monitoring for it feeds the experiment. Platform parameters (`routing_key`,
 * `entities`, `features`, `input_name`) are removed before the body reaches the model, so the
 * container sees plain OIP; an enriched request carries instead a keyed hash of each entity key it
 * named (`mlops_entity_key_hashes`, never the key), which data capture records with the request,
 * so an erasure of the entity finds the record though it holds only features.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import { CAPTURE_KEY_HASHES_PARAMETER, captureKeyHashes } from '../../../contracts/erasure-keys';
import type { ExperimentExposure, ExperimentRouting } from '../../../contracts/experiments';
import type { InferenceResponse, PredictionExperiment } from '../../../contracts/inference-protocol';
import { MODEL_FEATURES_TAG } from '../../../contracts/serving';
import { assign } from '../../experiments';
import { BadRequestError, UnprocessableError } from '../../shared/errors';
import { type ServingDeps, TargetVariantGoneError } from './ports';
import { stickyVariant } from './routing';
import type { FlatTensor, ValidatedInferenceRequest } from './tensors';

const PLATFORM_PARAMETERS = new Set(['routing_key', 'entities', 'features', 'input_name']);

export interface Prediction {
  readonly variant: string;
  readonly response: InferenceResponse;
}

/** The arm and variant a request is served by under a running experiment. */
export function experimentArm(
  experiment: ExperimentRouting,
  routingKey: string | undefined,
): { readonly variant: string; readonly reply: PredictionExperiment } {
  const [control] = experiment.arms;
  const assigned =
    routingKey === undefined ? undefined : assign(experiment.salt, experiment.arms, routingKey);
  const arm = experiment.arms.find((a) => a.name === assigned?.arm) ?? control;
  return {
    variant: arm.variant,
    reply: {
      name: experiment.name,
      arm: arm.name,
      version: arm.version,
      ...(assigned
        ? { bucket: assigned.bucket, assigned_by: 'routing_key' as const }
        : { assigned_by: 'default' as const }),
    },
  };
}

/** Builds the model input from online features; a missing value is a 422 naming it. */
async function enrichedInput(
  deps: ServingDeps,
  modelName: string,
  request: ValidatedInferenceRequest,
): Promise<FlatTensor | undefined> {
  const entities = request.parameters?.entities;
  if (!entities) return undefined;
  if (!deps.features)
    throw new BadRequestError('ENRICHMENT_UNAVAILABLE', 'this platform has no online feature store');
  // The caller's list wins; otherwise the model's own, registered as a tag on the model.
  const features = request.parameters?.features ?? (await deps.modelFeatures?.featureRefs(modelName));
  if (!Array.isArray(features) || features.length === 0 || features.some((f) => typeof f !== 'string')) {
    throw new BadRequestError(
      'INVALID_REQUEST',
      `parameters.features must list the feature refs (view:feature) the model takes, in order, or tag model ${modelName} with ${MODEL_FEATURES_TAG}`,
    );
  }
  const rows = await deps.features.read(features as string[], entities);
  const missing: Array<{ row: number; feature: string }> = [];
  for (const [i, r] of rows.entries()) {
    for (const [j, v] of r.entries())
      if (v === null) missing.push({ row: i, feature: features[j] as string });
  }
  if (missing.length > 0) {
    throw new UnprocessableError(
      'FEATURES_MISSING',
      `no online value for ${missing[0].feature} of entity row ${missing[0].row}`,
      {
        details: missing.slice(0, 20),
      },
    );
  }
  const name =
    typeof request.parameters?.input_name === 'string' ? request.parameters.input_name : 'features';
  return { name, datatype: 'FP32', shape: [rows.length, features.length], data: rows.flat() as number[] };
}

export async function predict(
  deps: ServingDeps,
  modelName: string,
  request: ValidatedInferenceRequest,
): Promise<Prediction> {
  const enriched = await enrichedInput(deps, modelName, request);
  const inputs = enriched
    ? [...request.inputs.filter((t) => t.name !== enriched.name), enriched]
    : request.inputs;
  if (inputs.length === 0)
    throw new BadRequestError('INVALID_REQUEST', 'inputs: must be a non-empty array of tensors');
  const endpoint = deps.routing.endpointName(modelName);
  const routingKey = request.parameters?.routing_key;
  const passThrough: Record<string, unknown> = Object.fromEntries(
    Object.entries(request.parameters ?? {}).filter(
      ([k]) => !PLATFORM_PARAMETERS.has(k) && k !== CAPTURE_KEY_HASHES_PARAMETER,
    ),
  );
  const entities = request.parameters?.entities;
  if (enriched && entities && deps.captureKey) {
    passThrough[CAPTURE_KEY_HASHES_PARAMETER] = captureKeyHashes(await deps.captureKey.secret(), entities);
  }
  const body = {
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(Object.keys(passThrough).length > 0 ? { parameters: passThrough } : {}),
    inputs,
    ...(request.outputs ? { outputs: request.outputs } : {}),
  };
  const routed = async () => {
    const experiment = await deps.routing.experiment?.(modelName);
    const arm = experiment ? experimentArm(experiment, routingKey) : undefined;
    const targetVariant =
      arm?.variant ??
      (routingKey ? stickyVariant(await deps.routing.variants(modelName), routingKey) : undefined);
    const answer = await deps.endpoints.invoke(endpoint, body, { targetVariant, inferenceId: request.id });
    return { arm, answer };
  };
  // The split is remembered for seconds; a variant removed meanwhile is routed around by reading
  // the split again, once, so the arm named in the answer is the arm that served it.
  const { arm, answer } = await routed().catch((err: unknown) => {
    if (!(err instanceof TargetVariantGoneError) || !deps.routing.forget) throw err;
    deps.routing.forget(modelName);
    return routed();
  });
  const model = answer.body as Partial<InferenceResponse>;
  if (!model || !Array.isArray(model.outputs)) throw new Error('the endpoint answered without outputs');
  if (
    deps.exposures &&
    request.id !== undefined &&
    routingKey !== undefined &&
    arm?.reply.assigned_by === 'routing_key' &&
    answer.variant === arm.variant
  ) {
    const prediction = onePrediction(model.outputs);
    await deps.exposures.record(modelName, request.id, {
      experiment: arm.reply.name,
      unit: routingKey,
      arm: arm.reply.arm,
      ...(prediction === undefined ? {} : { prediction }),
    });
  }
  return {
    variant: answer.variant,
    response: {
      ...model,
      // The container knows the model by its package name; callers know the registry name.
      model_name: modelName,
      outputs: model.outputs,
      parameters: {
        ...(model.parameters ?? {}),
        variant: answer.variant,
        endpoint_name: endpoint,
        ...(arm ? { experiment: arm.reply } : {}),
      },
    },
  };
}

/** Class scores kept per prediction at most: a row of a classifier's probabilities, not an embedding. */
const MAX_KEPT_SCORES = 64;

/**
 * The prediction of a one-row answer, from its first output: its one value, or its row of numbers;
 * `undefined` for a batch, whose labels are per row and not per inference id.
 */
function onePrediction(outputs: InferenceResponse['outputs']): ExperimentExposure['prediction'] {
  const [first] = outputs;
  if (!first || !Array.isArray(first.shape) || first.shape[0] !== 1 || !Array.isArray(first.data))
    return undefined;
  const data = first.data as unknown[];
  if (data.length === 1 && (typeof data[0] === 'number' || typeof data[0] === 'string'))
    return data[0] as number | string;
  if (data.length > 1 && data.length <= MAX_KEPT_SCORES && data.every((v) => typeof v === 'number'))
    return data as number[];
  return undefined;
}
