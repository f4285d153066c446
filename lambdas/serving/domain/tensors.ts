/**
 * Open Inference Protocol v2 request validation: every tensor's shape, datatype and data must
 * agree before anything reaches a model. Each problem is named with where it is
 * (`inputs[0].data[3]`), so a caller can fix a request from the 400 alone. Pure: the predict
 * handler and the local model server both call it.
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md#tensor-data
 */
import type {
  InferenceRequest,
  InferenceRequestParameters,
  InferenceTensor,
  TensorDatatype,
} from '../../../contracts/inference-protocol';
import { BadRequestError } from '../../shared/errors';

/** Elements one request may carry: larger payloads exceed the 6 MB Lambda limit anyway. */
export const MAX_TENSOR_ELEMENTS = 1_000_000;
const MAX_PROBLEMS = 20;

const INTEGER_RANGES: Partial<Record<TensorDatatype, readonly [number, number]>> = {
  UINT8: [0, 255],
  UINT16: [0, 65_535],
  UINT32: [0, 4_294_967_295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
  INT8: [-128, 127],
  INT16: [-32_768, 32_767],
  INT32: [-2_147_483_648, 2_147_483_647],
  INT64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};
const DATATYPES = new Set<string>([...Object.keys(INTEGER_RANGES), 'BOOL', 'FP16', 'FP32', 'FP64', 'BYTES']);

export interface TensorProblem {
  readonly field: string;
  readonly message: string;
}

/** A validated tensor with its data flattened row-major. */
export interface FlatTensor extends InferenceTensor {
  readonly data: ReadonlyArray<number | string | boolean>;
}

export interface ValidatedInferenceRequest {
  readonly id?: string;
  readonly parameters?: InferenceRequestParameters;
  readonly inputs: readonly FlatTensor[];
  readonly outputs?: InferenceRequest['outputs'];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks one element against a datatype; returns the reason it is wrong, or undefined. */
function elementProblem(datatype: TensorDatatype, v: unknown): string | undefined {
  if (datatype === 'BOOL')
    return typeof v === 'boolean' ? undefined : `must be a boolean for BOOL, got ${JSON.stringify(v)}`;
  if (datatype === 'BYTES')
    return typeof v === 'string' ? undefined : `must be a string for BYTES, got ${JSON.stringify(v)}`;
  if (typeof v !== 'number' || !Number.isFinite(v))
    return `must be a finite number for ${datatype}, got ${JSON.stringify(v)}`;
  const range = INTEGER_RANGES[datatype];
  if (range && (!Number.isInteger(v) || v < range[0] || v > range[1])) {
    return `must be an integer in ${range[0]}..${range[1]} for ${datatype}, got ${v}`;
  }
  return undefined;
}

/** Flattens nested row-major data; `undefined` when an element is neither scalar nor array. */
function flatten(data: readonly unknown[], into: unknown[]): void {
  for (const v of data) {
    if (Array.isArray(v)) flatten(v, into);
    else into.push(v);
  }
}

/** Validates one tensor, pushing problems; returns the flat tensor when it is sound. */
export function validateTensor(
  value: unknown,
  where: string,
  problems: TensorProblem[],
): FlatTensor | undefined {
  const start = problems.length;
  const add = (field: string, message: string) => problems.push({ field: `${where}${field}`, message });
  if (!isObject(value)) {
    add('', 'must be an object with name, shape, datatype and data');
    return undefined;
  }
  const { name, shape, datatype, data, parameters } = value;
  if (typeof name !== 'string' || name === '') add('.name', 'must be a non-empty string');
  let count: number | undefined;
  if (!Array.isArray(shape)) add('.shape', 'must be an array of non-negative integers');
  else {
    const bad = shape.findIndex((d) => typeof d !== 'number' || !Number.isInteger(d) || d < 0);
    if (bad >= 0) add(`.shape[${bad}]`, `must be a non-negative integer, got ${JSON.stringify(shape[bad])}`);
    else count = shape.reduce((a: number, d: number) => a * d, 1);
  }
  if (typeof datatype !== 'string' || !DATATYPES.has(datatype)) {
    add('.datatype', `must be one of ${[...DATATYPES].join(', ')}, got ${JSON.stringify(datatype)}`);
  }
  if (parameters !== undefined && !isObject(parameters)) add('.parameters', 'must be an object');
  if (!Array.isArray(data)) {
    add('.data', 'must be an array');
    return undefined;
  }
  if (count !== undefined && count > MAX_TENSOR_ELEMENTS) {
    add('.shape', `has ${count} elements, more than the ${MAX_TENSOR_ELEMENTS} allowed`);
    return undefined;
  }
  const flat: unknown[] = [];
  flatten(data, flat);
  if (count !== undefined && flat.length !== count) {
    add('.data', `has ${flat.length} elements but shape [${(shape as number[]).join(', ')}] needs ${count}`);
  }
  if (typeof datatype === 'string' && DATATYPES.has(datatype)) {
    for (let i = 0; i < flat.length && problems.length - start < MAX_PROBLEMS; i++) {
      const problem = elementProblem(datatype as TensorDatatype, flat[i]);
      if (problem) add(`.data[${i}]`, problem);
    }
  }
  if (problems.length > start) return undefined;
  return {
    name: name as string,
    shape: shape as number[],
    datatype: datatype as TensorDatatype,
    data: flat as Array<number | string | boolean>,
    ...(parameters === undefined ? {} : { parameters: parameters as Record<string, unknown> }),
  };
}

function validateParameters(value: unknown, problems: TensorProblem[]): void {
  if (value === undefined) return;
  if (!isObject(value)) {
    problems.push({ field: 'parameters', message: 'must be an object' });
    return;
  }
  const key = value.routing_key;
  if (key !== undefined && (typeof key !== 'string' || key === '' || key.length > 256)) {
    problems.push({ field: 'parameters.routing_key', message: 'must be a string of 1-256 characters' });
  }
  const entities = value.entities;
  if (entities === undefined) return;
  if (!isObject(entities) || Object.keys(entities).length === 0) {
    problems.push({ field: 'parameters.entities', message: 'must map each join key to an array of values' });
    return;
  }
  const lengths = new Set<number>();
  for (const [k, values] of Object.entries(entities)) {
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      values.some((v) => typeof v !== 'string' && typeof v !== 'number')
    ) {
      problems.push({
        field: `parameters.entities.${k}`,
        message: 'must be a non-empty array of strings or numbers',
      });
    } else lengths.add(values.length);
  }
  if (lengths.size > 1)
    problems.push({
      field: 'parameters.entities',
      message: 'every join key needs the same number of values',
    });
}

/**
 * Validates a whole OIP request body. `inputs` may be omitted only when `parameters.entities`
 * asks for enrichment. Throws a 400 `INVALID_TENSOR` (or `INVALID_REQUEST`) listing every problem.
 */
export function validateInferenceRequest(body: unknown): ValidatedInferenceRequest {
  const problems: TensorProblem[] = [];
  if (!isObject(body))
    throw new BadRequestError('INVALID_REQUEST', 'the body must be a JSON object with inputs');
  const { id, parameters, inputs, outputs } = body;
  if (id !== undefined && typeof id !== 'string') problems.push({ field: 'id', message: 'must be a string' });
  validateParameters(parameters, problems);
  const enrich = isObject(parameters) && parameters.entities !== undefined;
  const tensors: FlatTensor[] = [];
  if (inputs === undefined && !enrich)
    problems.push({ field: 'inputs', message: 'is required (or parameters.entities)' });
  else if (inputs !== undefined && (!Array.isArray(inputs) || (inputs.length === 0 && !enrich))) {
    problems.push({ field: 'inputs', message: 'must be a non-empty array of tensors' });
  } else if (Array.isArray(inputs)) {
    const names = new Set<string>();
    inputs.forEach((t, i) => {
      const tensor = validateTensor(t, `inputs[${i}]`, problems);
      if (!tensor) return;
      if (names.has(tensor.name))
        problems.push({ field: `inputs[${i}].name`, message: `duplicates input "${tensor.name}"` });
      names.add(tensor.name);
      tensors.push(tensor);
    });
  }
  if (outputs !== undefined) {
    if (!Array.isArray(outputs) || outputs.some((o) => !isObject(o) || typeof o.name !== 'string')) {
      problems.push({ field: 'outputs', message: 'must be an array of {"name": string}' });
    }
  }
  if (problems.length > 0) {
    const tensorProblem = problems.some((p) => p.field.startsWith('inputs['));
    throw new BadRequestError(
      tensorProblem ? 'INVALID_TENSOR' : 'INVALID_REQUEST',
      `${problems[0].field}: ${problems[0].message}`,
      {
        details: problems,
      },
    );
  }
  return {
    ...(id === undefined ? {} : { id: id as string }),
    ...(parameters === undefined ? {} : { parameters: parameters as InferenceRequestParameters }),
    inputs: tensors,
    ...(outputs === undefined ? {} : { outputs: outputs as InferenceRequest['outputs'] }),
  };
}
