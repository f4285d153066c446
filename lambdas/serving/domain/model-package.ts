/**
 * Packages an ONNX model for SageMaker in the Triton model repository layout:
 * `<model>/config.pbtxt` and `<model>/<version>/model.onnx`, gzipped tar (model.tar.gz). The
 * config is derived from the model's own graph inputs and outputs, so the package is correct for
 * any ONNX file, not just the reference model's.
 * @see https://docs.nvidia.com/deeplearning/triton-inference-server/user-guide/docs/user_guide/model_configuration.html
 */
import { onnx } from 'onnx-proto';
import { tritonPackagePaths } from '../../../contracts/serving';
import { createTarGz } from './tar';

export interface OnnxTensorInfo {
  readonly name: string;
  /** Triton data type, e.g. `TYPE_FP32`. */
  readonly tritonType: string;
  /** Dimensions, -1 where the model leaves one symbolic (the batch). */
  readonly dims: readonly number[];
}

const TRITON_TYPES: Record<number, string> = {
  1: 'TYPE_FP32',
  2: 'TYPE_UINT8',
  3: 'TYPE_INT8',
  4: 'TYPE_UINT16',
  5: 'TYPE_INT16',
  6: 'TYPE_INT32',
  7: 'TYPE_INT64',
  8: 'TYPE_STRING',
  9: 'TYPE_BOOL',
  10: 'TYPE_FP16',
  11: 'TYPE_FP64',
  12: 'TYPE_UINT32',
  13: 'TYPE_UINT64',
};

/** Graph inputs (without initializers) and outputs of an ONNX model. */
export function describeOnnx(bytes: Uint8Array): { inputs: OnnxTensorInfo[]; outputs: OnnxTensorInfo[] } {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (cause) {
    throw new Error('the artifact is not an ONNX model', { cause });
  }
  if (!model.graph) throw new Error('the ONNX model has no graph');
  const initializers = new Set((model.graph.initializer ?? []).map((t) => t.name));
  const info = (v: onnx.IValueInfoProto): OnnxTensorInfo => {
    const t = v.type?.tensorType;
    return {
      name: v.name ?? '',
      tritonType: TRITON_TYPES[t?.elemType ?? 0] ?? 'TYPE_INVALID',
      dims: (t?.shape?.dim ?? []).map((d) =>
        d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : -1,
      ),
    };
  };
  return {
    inputs: (model.graph.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map(info),
    outputs: (model.graph.output ?? []).map(info),
  };
}

/** Triton's config.pbtxt for one ONNX model, batching left to the model's own batch dimension. */
export function tritonConfig(modelName: string, io: ReturnType<typeof describeOnnx>): string {
  const tensor = (t: OnnxTensorInfo) =>
    `  {\n    name: "${t.name}"\n    data_type: ${t.tritonType}\n    dims: [ ${t.dims.join(', ')} ]\n  }`;
  return [
    `name: "${modelName}"`,
    'backend: "onnxruntime"',
    'max_batch_size: 0',
    `input [\n${io.inputs.map(tensor).join(',\n')}\n]`,
    `output [\n${io.outputs.map(tensor).join(',\n')}\n]`,
    'instance_group [ { kind: KIND_AUTO } ]',
    '',
  ].join('\n');
}

/** model.tar.gz bytes for a registry version's ONNX artifact. Throws if it is not ONNX. */
export function packageOnnxModel(modelName: string, version: number, onnxBytes: Uint8Array): Buffer {
  const paths = tritonPackagePaths(modelName, version);
  const config = tritonConfig(modelName, describeOnnx(onnxBytes));
  return createTarGz([
    { path: paths.config, content: Buffer.from(config) },
    { path: paths.model, content: onnxBytes },
  ]);
}
