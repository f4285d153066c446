/**
 * Scores a holdout with an ONNX model inside the task Lambda, for the operators the platform's
 * models are made of (the reference trainer's `Sigmoid(MatMul(x, W) + B)`, and dense layers:
 * Gemm, MatMul, Add, Sub, Mul, Relu, Sigmoid, Tanh, Identity, Flatten, Softmax). Arithmetic is
 * float32 per operation, as onnxruntime on CPU does it; tests compare it with onnxruntime-node.
 * onnxruntime itself cannot run here: its native binding cannot be bundled into the Lambda
 * asset. A graph with another operator fails with `UNSUPPORTED_ONNX_OPERATOR`, which the run
 * reports as TrainingFailed naming the operator.
 * @see https://onnx.ai/onnx/operators/
 */
import { onnx } from 'onnx-proto';
import { UnprocessableError } from '../../shared/errors';

/** A row-major float32 matrix. */
interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

const f = Math.fround;

function initializer(t: onnx.ITensorProto): Matrix {
  const dims = (t.dims ?? []).map(Number);
  let data: Float32Array;
  if (t.floatData && t.floatData.length > 0) data = Float32Array.from(t.floatData);
  else if (t.rawData && t.rawData.length > 0) {
    const raw = t.rawData;
    data = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  } else if (t.doubleData && t.doubleData.length > 0) data = Float32Array.from(t.doubleData);
  else data = new Float32Array(0);
  const rows = dims.length === 2 ? dims[0] : 1;
  return { rows, cols: data.length / rows || dims[dims.length - 1] || 1, data };
}

/** Broadcasts b over a (numpy rules for 2-D: equal, a row, a column or a scalar). */
function elementwise(a: Matrix, b: Matrix, op: (x: number, y: number) => number): Matrix {
  const rows = Math.max(a.rows, b.rows);
  const cols = Math.max(a.cols, b.cols);
  const at = (m: Matrix, i: number, j: number) =>
    m.data[(m.rows === 1 ? 0 : i) * m.cols + (m.cols === 1 ? 0 : j)];
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) data[i * cols + j] = f(op(at(a, i, j), at(b, i, j)));
  return { rows, cols, data };
}

function matmul(a: Matrix, b: Matrix, transB = false): Matrix {
  const bRows = transB ? b.cols : b.rows;
  const bCols = transB ? b.rows : b.cols;
  if (a.cols !== bRows) throw unsupported(`MatMul of [${a.rows},${a.cols}] by [${bRows},${bCols}]`);
  const data = new Float32Array(a.rows * bCols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < bCols; j++) {
      let sum = 0;
      for (let k = 0; k < a.cols; k++)
        sum = f(sum + f(a.data[i * a.cols + k] * (transB ? b.data[j * b.cols + k] : b.data[k * b.cols + j])));
      data[i * bCols + j] = sum;
    }
  }
  return { rows: a.rows, cols: bCols, data };
}

const map = (m: Matrix, op: (x: number) => number): Matrix => ({ ...m, data: m.data.map((x) => f(op(x))) });

const unsupported = (what: string) =>
  new UnprocessableError('UNSUPPORTED_ONNX_OPERATOR', `the in-Lambda evaluator cannot run ${what}`);

/**
 * Runs the model on `features` (one row per example, columns in the model's input order) and
 * returns its first output as one score per row: the last column (P(class 1) for a
 * probability output), or the only column for a regressor.
 * @throws UnprocessableError `UNSUPPORTED_ONNX_OPERATOR`, `INVALID_ONNX_MODEL`
 */
export function scoreOnnx(modelBytes: Uint8Array, features: readonly (readonly number[])[]): number[] {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(modelBytes);
  } catch (cause) {
    throw new UnprocessableError('INVALID_ONNX_MODEL', 'the model artifact is not an ONNX model', { cause });
  }
  const graph = model.graph;
  if (!graph) throw new UnprocessableError('INVALID_ONNX_MODEL', 'the ONNX model has no graph');
  const values = new Map<string, Matrix>();
  for (const t of graph.initializer ?? []) values.set(t.name ?? '', initializer(t));
  const inputs = (graph.input ?? []).filter((i) => !values.has(i.name ?? ''));
  if (inputs.length !== 1) throw unsupported(`a graph with ${inputs.length} inputs`);
  const cols = features[0]?.length ?? 0;
  values.set(inputs[0].name ?? '', { rows: features.length, cols, data: Float32Array.from(features.flat()) });

  const get = (name: string) => {
    const v = values.get(name);
    if (!v)
      throw new UnprocessableError('INVALID_ONNX_MODEL', `the graph reads ${name} before it is computed`);
    return v;
  };
  for (const node of graph.node ?? []) {
    const [x, y, z] = (node.input ?? []).map((n) => n);
    const attr = (name: string) => node.attribute?.find((a) => a.name === name);
    let out: Matrix;
    switch (node.opType) {
      case 'MatMul':
        out = matmul(get(x), get(y));
        break;
      case 'Gemm': {
        if (attr('transA')?.i) throw unsupported('Gemm with transA');
        const alpha = attr('alpha')?.f ?? 1;
        const beta = attr('beta')?.f ?? 1;
        let prod = matmul(get(x), get(y), Boolean(attr('transB')?.i));
        if (alpha !== 1) prod = map(prod, (v) => v * alpha);
        out = z
          ? elementwise(
              prod,
              map(get(z), (v) => v * beta),
              (p, q) => p + q,
            )
          : prod;
        break;
      }
      case 'Add':
        out = elementwise(get(x), get(y), (p, q) => p + q);
        break;
      case 'Sub':
        out = elementwise(get(x), get(y), (p, q) => p - q);
        break;
      case 'Mul':
        out = elementwise(get(x), get(y), (p, q) => p * q);
        break;
      case 'Sigmoid':
        out = map(get(x), (v) => 1 / (1 + Math.exp(-v)));
        break;
      case 'Relu':
        out = map(get(x), (v) => Math.max(0, v));
        break;
      case 'Tanh':
        out = map(get(x), Math.tanh);
        break;
      case 'Identity':
      case 'Flatten':
        out = get(x);
        break;
      case 'Softmax': {
        const m = get(x);
        const data = new Float32Array(m.data.length);
        for (let i = 0; i < m.rows; i++) {
          const row = m.data.subarray(i * m.cols, (i + 1) * m.cols);
          const max = Math.max(...row);
          const exps = Array.from(row, (v) => Math.exp(v - max));
          const sum = exps.reduce((a, b) => a + b, 0);
          exps.forEach((e, j) => {
            data[i * m.cols + j] = f(e / sum);
          });
        }
        out = { ...m, data };
        break;
      }
      default:
        throw unsupported(`operator ${node.opType}`);
    }
    values.set(node.output?.[0] ?? '', out);
  }
  const output = get(graph.output?.[0]?.name ?? '');
  return Array.from({ length: output.rows }, (_, i) => output.data[i * output.cols + output.cols - 1]);
}

/** The feature names the reference trainer stores in the model's metadata, in input order. */
export function onnxFeatureNames(modelBytes: Uint8Array): string[] | undefined {
  const model = onnx.ModelProto.decode(modelBytes);
  const entry = model.metadataProps?.find((p) => p.key === 'feature_names');
  return entry?.value ? (JSON.parse(entry.value) as string[]) : undefined;
}
