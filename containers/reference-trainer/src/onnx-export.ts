/**
 * Writes a logistic regression as a real ONNX model: `probability = Sigmoid(MatMul(features, W) + B)`
 * with `features` FP32 [N, D] and `probability` FP32 [N, 1], opset 13, IR version 7. Any ONNX
 * runtime (onnxruntime, Triton's ONNX backend) loads it.
 * @see https://onnx.ai/onnx/operators/
 */
import { onnx } from 'onnx-proto';

/** Tensor names, also in contracts/serving.ts `REFERENCE_MODEL_TENSORS`. */
export const INPUT_NAME = 'features';
export const OUTPUT_NAME = 'probability';
export const OPSET_VERSION = 13;

export interface OnnxExportOptions {
  readonly weights: readonly number[];
  readonly bias: number;
  /** Stored in the model's metadata as JSON, so a server can build inputs by name. */
  readonly featureNames?: readonly string[];
  /** Extra metadata (hyperparameters, metrics), stored as string properties. */
  readonly metadata?: Record<string, string>;
}

const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorType(dims: ReadonlyArray<number | string>): onnx.ITypeProto {
  return {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
    },
  };
}

/** Encodes the model; the bytes are the content of `model.onnx`. */
export function exportLogisticRegressionOnnx(options: OnnxExportOptions): Uint8Array {
  const d = options.weights.length;
  const metadata: Record<string, string> = {
    ...(options.featureNames ? { feature_names: JSON.stringify(options.featureNames) } : {}),
    ...options.metadata,
  };
  const model: onnx.IModelProto = {
    irVersion: 7,
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    producerName: 'cdk-mlops-reference-trainer',
    producerVersion: '1',
    docString: 'L2 logistic regression: probability = sigmoid(features . W + B)',
    graph: {
      name: 'logistic_regression',
      initializer: [
        { name: 'W', dataType: FLOAT, dims: [d, 1], floatData: [...options.weights] },
        { name: 'B', dataType: FLOAT, dims: [1], floatData: [options.bias] },
      ],
      node: [
        { opType: 'MatMul', input: [INPUT_NAME, 'W'], output: ['logit_no_bias'], name: 'matmul' },
        { opType: 'Add', input: ['logit_no_bias', 'B'], output: ['logit'], name: 'add_bias' },
        { opType: 'Sigmoid', input: ['logit'], output: [OUTPUT_NAME], name: 'sigmoid' },
      ],
      input: [{ name: INPUT_NAME, type: tensorType(['N', d]) }],
      output: [{ name: OUTPUT_NAME, type: tensorType(['N', 1]) }],
    },
    metadataProps: Object.entries(metadata).map(([key, value]) => ({ key, value })),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
