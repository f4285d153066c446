/**
 * The Open Inference Protocol's discovery: liveness, readiness, and each served model's metadata
 * (its version, platform, and the inputs and outputs of its ONNX graph). A model is served when
 * this environment configures its endpoint; it is ready once a rollout promoted a registry
 * version onto it (the champion), which is also the version its metadata describes.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import type {
  MetadataTensor,
  ModelMetadataResponse,
  TensorDatatype,
} from '../../../contracts/inference-protocol';
import { ONNX_PLATFORM } from '../../../contracts/serving';
import { EndpointNotFoundError, NotFoundError } from '../../shared/errors';
import type { OnnxTensorInfo } from './model-package';

/** The graph's inputs and outputs, as `describeOnnx` reads them. */
export interface ModelSignature {
  readonly inputs: readonly OnnxTensorInfo[];
  readonly outputs: readonly OnnxTensorInfo[];
}

/** What discovery reads: the configured endpoints, the registry's champion, the version's graph. */
export interface ModelCatalog {
  /** The model's endpoint in this environment; `undefined` when it has none. */
  endpointOf(modelName: string): Promise<string | undefined>;
  /** The version on the champion variant; `undefined` before the first promotion. */
  championVersion(modelName: string): Promise<number | undefined>;
  /** The inputs and outputs of the version's ONNX artifact. */
  signature(modelName: string, version: number): Promise<ModelSignature>;
}

/** Triton's `TYPE_*` names as OIP datatypes (strings are BYTES). */
const DATATYPES: Record<string, TensorDatatype> = {
  TYPE_BOOL: 'BOOL',
  TYPE_UINT8: 'UINT8',
  TYPE_UINT16: 'UINT16',
  TYPE_UINT32: 'UINT32',
  TYPE_UINT64: 'UINT64',
  TYPE_INT8: 'INT8',
  TYPE_INT16: 'INT16',
  TYPE_INT32: 'INT32',
  TYPE_INT64: 'INT64',
  TYPE_FP16: 'FP16',
  TYPE_FP32: 'FP32',
  TYPE_FP64: 'FP64',
  TYPE_STRING: 'BYTES',
};

const tensor = (t: OnnxTensorInfo): MetadataTensor => ({
  name: t.name,
  datatype: DATATYPES[t.tritonType] ?? 'BYTES',
  shape: [...t.dims],
});

async function servedEndpoint(catalog: ModelCatalog, modelName: string): Promise<string> {
  const endpoint = await catalog.endpointOf(modelName);
  if (!endpoint) {
    throw new NotFoundError(
      'MODEL_NOT_FOUND',
      `model ${modelName} is not served here: it has no endpoint in mlops:endpoints`,
    );
  }
  return endpoint;
}

/** `GET /v2/models/{name}`; 404 for a model not served here or with no version deployed yet. */
export async function modelMetadata(
  catalog: ModelCatalog,
  modelName: string,
): Promise<ModelMetadataResponse> {
  const endpoint = await servedEndpoint(catalog, modelName);
  const version = await catalog.championVersion(modelName);
  if (version === undefined) throw new EndpointNotFoundError(endpoint);
  const signature = await catalog.signature(modelName, version);
  return {
    name: modelName,
    versions: [String(version)],
    platform: ONNX_PLATFORM,
    inputs: signature.inputs.map(tensor),
    outputs: signature.outputs.map(tensor),
  };
}

/** `GET /v2/models/{name}/ready`; 404 for a model not served here. */
export async function modelReady(
  catalog: ModelCatalog,
  modelName: string,
): Promise<{ name: string; ready: boolean }> {
  await servedEndpoint(catalog, modelName);
  return { name: modelName, ready: (await catalog.championVersion(modelName)) !== undefined };
}
