/**
 * One ONNX model in onnxruntime on CPU, answering Open Inference Protocol v2 requests. Inputs are
 * checked against the model's declared inputs (names, element type, rank and fixed dimensions)
 * so a mismatch is a 400 naming the tensor, as Triton reports it, not an opaque runtime error.
 * @see https://onnxruntime.ai/docs/api/js/
 */
import * as ort from 'onnxruntime-node';
import type { InferenceResponse, InferenceTensor, TensorDatatype } from '../../contracts/inference-protocol';
import type { FlatTensor, ValidatedInferenceRequest } from '../../lambdas/serving/domain/tensors';

/** A request the model cannot take: the server answers 400 with the message. */
export class ModelInputError extends Error {}

const ORT_TYPE: Partial<Record<TensorDatatype, ort.Tensor.Type>> = {
  BOOL: 'bool',
  UINT8: 'uint8',
  UINT16: 'uint16',
  UINT32: 'uint32',
  UINT64: 'uint64',
  INT8: 'int8',
  INT16: 'int16',
  INT32: 'int32',
  INT64: 'int64',
  FP16: 'float16',
  FP32: 'float32',
  FP64: 'float64',
  BYTES: 'string',
};
const OIP_TYPE = Object.fromEntries(Object.entries(ORT_TYPE).map(([k, v]) => [v, k])) as Record<
  string,
  TensorDatatype
>;

function toOrtTensor(t: FlatTensor, type: ort.Tensor.Type): ort.Tensor {
  const dims = [...t.shape];
  switch (type) {
    case 'float32':
      return new ort.Tensor('float32', Float32Array.from(t.data as number[]), dims);
    case 'float64':
      return new ort.Tensor('float64', Float64Array.from(t.data as number[]), dims);
    case 'int32':
      return new ort.Tensor('int32', Int32Array.from(t.data as number[]), dims);
    case 'int64':
      return new ort.Tensor('int64', BigInt64Array.from((t.data as number[]).map(BigInt)), dims);
    case 'uint64':
      return new ort.Tensor('uint64', BigUint64Array.from((t.data as number[]).map(BigInt)), dims);
    case 'int8':
      return new ort.Tensor('int8', Int8Array.from(t.data as number[]), dims);
    case 'uint8':
      return new ort.Tensor('uint8', Uint8Array.from(t.data as number[]), dims);
    case 'int16':
      return new ort.Tensor('int16', Int16Array.from(t.data as number[]), dims);
    case 'uint16':
      return new ort.Tensor('uint16', Uint16Array.from(t.data as number[]), dims);
    case 'uint32':
      return new ort.Tensor('uint32', Uint32Array.from(t.data as number[]), dims);
    case 'bool':
      return new ort.Tensor('bool', Uint8Array.from((t.data as boolean[]).map((b) => (b ? 1 : 0))), dims);
    case 'string':
      return new ort.Tensor('string', t.data as string[], dims);
    default:
      throw new ModelInputError(`input ${t.name}: datatype ${t.datatype} is not supported by this server`);
  }
}

function fromOrtTensor(name: string, t: ort.Tensor): InferenceTensor {
  const datatype = OIP_TYPE[t.type];
  if (!datatype) throw new Error(`output ${name} has type ${t.type}, which OIP v2 JSON cannot carry`);
  const data = Array.from(t.data as ArrayLike<number | bigint | string>, (v) =>
    typeof v === 'bigint' ? Number(v) : datatype === 'BOOL' ? v === 1 : v,
  ) as Array<number | string | boolean>;
  return { name, datatype, shape: [...t.dims], data };
}

export class OnnxModel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly modelName: string,
    readonly modelVersion: string,
  ) {}

  /** Loads and checks the model; throws when onnxruntime refuses it. */
  static async load(onnxPath: string, modelName: string, modelVersion: string): Promise<OnnxModel> {
    const session = await ort.InferenceSession.create(onnxPath, { executionProviders: ['cpu'] });
    return new OnnxModel(session, modelName, modelVersion);
  }

  /** The model's inputs, as the OIP metadata endpoint describes them. */
  metadata() {
    const describe = (m: ort.InferenceSession.ValueMetadata) =>
      m.isTensor
        ? {
            name: m.name,
            datatype: OIP_TYPE[m.type] ?? m.type,
            shape: m.shape.map((d) => (typeof d === 'number' ? d : -1)),
          }
        : { name: m.name };
    return {
      name: this.modelName,
      versions: [this.modelVersion],
      platform: 'onnxruntime_onnx',
      inputs: this.session.inputMetadata.map(describe),
      outputs: this.session.outputMetadata.map(describe),
    };
  }

  private checkInputs(request: ValidatedInferenceRequest): Record<string, ort.Tensor> {
    const feeds: Record<string, ort.Tensor> = {};
    const given = new Map(request.inputs.map((t) => [t.name, t]));
    for (const name of given.keys()) {
      if (!this.session.inputNames.includes(name)) {
        throw new ModelInputError(
          `unexpected input "${name}"; the model takes ${this.session.inputNames.join(', ')}`,
        );
      }
    }
    for (const meta of this.session.inputMetadata) {
      const t = given.get(meta.name);
      if (!t) throw new ModelInputError(`missing input "${meta.name}"`);
      if (!meta.isTensor) throw new ModelInputError(`input "${meta.name}" is not a tensor`);
      if (ORT_TYPE[t.datatype] !== meta.type) {
        throw new ModelInputError(
          `input "${meta.name}": datatype ${t.datatype}, the model expects ${OIP_TYPE[meta.type] ?? meta.type}`,
        );
      }
      if (meta.shape.length > 0) {
        const fits =
          t.shape.length === meta.shape.length &&
          meta.shape.every((d, i) => typeof d !== 'number' || d < 0 || d === t.shape[i]);
        if (!fits) {
          const expected = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : -1)).join(', ');
          throw new ModelInputError(
            `input "${meta.name}": shape [${t.shape.join(', ')}], the model expects [${expected}] (-1: any)`,
          );
        }
      }
      feeds[meta.name] = toOrtTensor(t, meta.type);
    }
    return feeds;
  }

  /** Runs one request; a bad request throws `ModelInputError`, a runtime failure plain `Error`. */
  async infer(request: ValidatedInferenceRequest): Promise<InferenceResponse> {
    const feeds = this.checkInputs(request);
    const wanted = request.outputs?.map((o) => o.name) ?? this.session.outputNames;
    const unknown = wanted.filter((n) => !this.session.outputNames.includes(n));
    if (unknown.length > 0) throw new ModelInputError(`unknown output(s) ${unknown.join(', ')}`);
    const results = await this.session.run(feeds, wanted);
    return {
      model_name: this.modelName,
      model_version: this.modelVersion,
      ...(request.id === undefined ? {} : { id: request.id }),
      outputs: wanted.map((n) => fromOrtTensor(n, results[n])),
    };
  }

  async close(): Promise<void> {
    await this.session.release();
  }
}
