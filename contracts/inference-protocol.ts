/**
 * The bodies of the Open Inference Protocol v2 (REST), which the predict routes, the model server
 * and Triton on SageMaker speak, and the evaluation the reference trainer writes. Apart from
 * `serving.ts` (endpoint, model and package names), which nearly every function imports for a
 * name and which should not build these schemas at their cold starts.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import * as z from 'zod';
import { lazySchema } from './lazy-schema';

/** Evaluation written by the trainer to `evaluation.json` (binary classification, threshold 0.5). */
export const Evaluation = lazySchema(() =>
  z.object({
    accuracy: z.number(),
    precision: z.number(),
    recall: z.number(),
    f1: z.number(),
    auc: z.number(),
    logLoss: z.number(),
    count: z.number().int(),
    /** Which data the metrics are on: the validation channel when given, else the training data. */
    dataset: z.enum(['validation', 'train']),
  }),
);
export type Evaluation = z.infer<typeof Evaluation>;

// ---------------------------------------------------------------------------------------------
// Open Inference Protocol v2 (REST), the wire shape of `POST /v2/models/{name}/infer`, of the
// model server's `/invocations` and of Triton on SageMaker.
// ---------------------------------------------------------------------------------------------

export const TensorDatatype = lazySchema(() =>
  z.enum([
    'BOOL',
    'UINT8',
    'UINT16',
    'UINT32',
    'UINT64',
    'INT8',
    'INT16',
    'INT32',
    'INT64',
    'FP16',
    'FP32',
    'FP64',
    'BYTES',
  ]),
);
export type TensorDatatype = z.infer<typeof TensorDatatype>;

/** Tensor data: flat or nested (row-major) arrays; the validator flattens and counts. */
export type TensorData = ReadonlyArray<number | string | boolean | TensorData>;

export interface InferenceTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly datatype: TensorDatatype;
  readonly data: TensorData;
  readonly parameters?: Record<string, unknown>;
}

/** Request-level extensions of the platform, in OIP's `parameters` object. */
export interface InferenceRequestParameters {
  /** Sticky routing: the same key always reaches the same variant while weights do not change. */
  readonly routing_key?: string;
  /** Enrichment: entity keys to look up in the online store instead of sending `inputs`. */
  readonly entities?: Record<string, ReadonlyArray<string | number>>;
  readonly [key: string]: unknown;
}

export interface InferenceRequest {
  readonly id?: string;
  readonly parameters?: InferenceRequestParameters;
  readonly inputs: readonly InferenceTensor[];
  readonly outputs?: ReadonlyArray<{ readonly name: string; readonly parameters?: Record<string, unknown> }>;
}

export interface InferenceResponse {
  readonly model_name: string;
  readonly model_version?: string;
  readonly id?: string;
  readonly parameters?: Record<string, unknown>;
  readonly outputs: readonly InferenceTensor[];
}

/**
 * The OIP request as a schema, for the API document. The predict handler validates bodies with
 * the serving domain's tensor checks, which say more than this schema can (shape x data length).
 */
const TensorSchema = lazySchema(() =>
  z.object({
    name: z.string().min(1),
    shape: z.array(z.number().int().min(0)),
    datatype: TensorDatatype,
    data: z.array(z.unknown()).describe('flat or nested row-major data'),
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
);
export const InferenceRequestBody = lazySchema(() =>
  z.object({
    id: z.string().optional(),
    parameters: z
      .looseObject({
        routing_key: z.string().min(1).max(256).optional(),
        entities: z.record(z.string(), z.array(z.union([z.string(), z.number()])).min(1)).optional(),
      })
      .optional(),
    inputs: z
      .array(TensorSchema)
      .optional()
      .describe('required unless parameters.entities asks for enrichment'),
    outputs: z
      .array(z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
  }),
);

/**
 * The arm a prediction was served by while an experiment runs on the model's endpoint. A request
 * with `parameters.routing_key` is assigned by the experiment's salted hash of it (`routing_key`);
 * one without a unit cannot be attributed to an arm, so it is served by control and says so
 * (`default`), keeping unattributable traffic off the treatment.
 */
export const PredictionExperiment = lazySchema(() =>
  z.object({
    name: z.string(),
    arm: z.string(),
    /** The arm's registry version. */
    version: z.number().int(),
    /** The unit's bucket 0..9999 under the experiment's salt; absent without a routing key. */
    bucket: z.number().int().min(0).max(9999).optional(),
    assigned_by: z.enum(['routing_key', 'default']),
  }),
);
export type PredictionExperiment = z.infer<typeof PredictionExperiment>;

/** The OIP response as a schema, for the API document. */
export const InferenceResponseBody = lazySchema(() =>
  z.object({
    model_name: z.string(),
    model_version: z.string().optional(),
    id: z.string().optional(),
    parameters: z
      .looseObject({
        variant: z.string().optional().describe('the production variant that answered'),
        endpoint_name: z.string().optional(),
        experiment: PredictionExperiment.optional().describe(
          "present while an experiment runs on the model's endpoint",
        ),
      })
      .optional(),
    outputs: z.array(TensorSchema),
  }),
);

/**
 * OIP discovery: what a Triton or KServe client asks before it calls `infer`. A model is served
 * when it has an endpoint in this environment (`mlops:endpoints`); its version is the champion's.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md#health
 */
export const ServerLiveResponse = lazySchema(() => z.object({ live: z.boolean() }));
export const ServerReadyResponse = lazySchema(() => z.object({ ready: z.boolean() }));
export const ModelReadyResponse = lazySchema(() => z.object({ name: z.string(), ready: z.boolean() }));

/** A model input or output as OIP's metadata describes it; -1 for a dimension the model leaves open. */
export const MetadataTensor = lazySchema(() =>
  z.object({
    name: z.string(),
    datatype: TensorDatatype,
    shape: z.array(z.number().int()),
  }),
);
export type MetadataTensor = z.infer<typeof MetadataTensor>;

/** `GET /v2/models/{name}`: the served versions, the platform, the graph's inputs and outputs. */
export const ModelMetadataResponse = lazySchema(() =>
  z.object({
    name: z.string(),
    versions: z.array(z.string()),
    platform: z.string(),
    inputs: z.array(MetadataTensor),
    outputs: z.array(MetadataTensor),
  }),
);
export type ModelMetadataResponse = z.infer<typeof ModelMetadataResponse>;
