/**
 * Reads SageMaker data-capture JSON Lines: one record a line with `captureData.endpointInput` and
 * `endpointOutput` (`observedContentType`, `mode`, `data`, `encoding` CSV | JSON | BASE64) and
 * `eventMetadata` (`eventId`, `inferenceId`, `inferenceTime`). Request bodies become rows of the
 * profile's features: CSV columns and positional JSON arrays by the profile's feature order, JSON
 * objects by name, and the Open Inference Protocol v2 (`{"inputs":[...]}`) the platform's predict
 * route speaks. A malformed line is counted, not fatal: one bad record must not hide the rest.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html
 * @see https://kserve.github.io/website/latest/modelserving/data_plane/v2_protocol/
 */
import type { Row } from './columns';

/** One side of a captured exchange, as SageMaker writes it. */
export interface CapturedData {
  readonly observedContentType?: string;
  readonly mode?: 'INPUT' | 'OUTPUT';
  readonly data: string;
  readonly encoding: 'CSV' | 'JSON' | 'BASE64';
}

/** A model's answer for one row: a score/value, or a vector (class probabilities). */
export type Prediction = number | string | readonly number[];

/** One decoded capture record. */
export interface CaptureRecord {
  readonly eventId?: string;
  readonly inferenceId?: string;
  readonly inferenceTime?: string;
  readonly rows: Row[];
  readonly predictions: Prediction[];
}

/** A decoded capture file. */
export interface CaptureFile {
  readonly records: CaptureRecord[];
  /** Lines that were not a capture record SageMaker would write. */
  readonly malformed: number;
}

/** Decodes a capture file's text; `features` maps positional values to names. */
export function parseCaptureFile(text: string, features: readonly string[]): CaptureFile {
  const records: CaptureRecord[] = [];
  let malformed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(parseCaptureLine(line, features));
    } catch {
      malformed++;
    }
  }
  return { records, malformed };
}

/** Decodes one JSON Lines record. @throws Error when it is not a capture record */
export function parseCaptureLine(line: string, features: readonly string[]): CaptureRecord {
  const record = JSON.parse(line) as {
    captureData?: { endpointInput?: CapturedData; endpointOutput?: CapturedData };
    eventMetadata?: { eventId?: string; inferenceId?: string; inferenceTime?: string };
  };
  const input = record.captureData?.endpointInput;
  const output = record.captureData?.endpointOutput;
  if (!input && !output) throw new Error('not a capture record');
  const meta = record.eventMetadata ?? {};
  return {
    ...(meta.eventId ? { eventId: meta.eventId } : {}),
    ...(meta.inferenceId ? { inferenceId: meta.inferenceId } : {}),
    ...(meta.inferenceTime ? { inferenceTime: meta.inferenceTime } : {}),
    rows: input ? inputRows(decodeCaptured(input), contentTypeOf(input), features) : [],
    predictions: output ? outputPredictions(decodeCaptured(output), contentTypeOf(output)) : [],
  };
}

/** The payload text: BASE64 is decoded, CSV and JSON are the text itself. */
export function decodeCaptured(data: CapturedData): string {
  if (typeof data.data !== 'string') throw new Error('capture data is not a string');
  if (data.encoding === 'BASE64') return Buffer.from(data.data, 'base64').toString('utf8');
  if (data.encoding === 'CSV' || data.encoding === 'JSON') return data.data;
  throw new Error(`unknown capture encoding ${String(data.encoding)}`);
}

function contentTypeOf(data: CapturedData): 'csv' | 'json' | 'jsonlines' {
  const type = (data.observedContentType ?? '').toLowerCase();
  if (type.includes('csv')) return 'csv';
  if (type.includes('jsonlines') || type.includes('x-ndjson')) return 'jsonlines';
  if (type.includes('json')) return 'json';
  return data.encoding === 'CSV' ? 'csv' : 'json';
}

/** A CSV cell as a number when it is one, else the text (quotes stripped). */
function cell(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  return t.replace(/^"(.*)"$/, '$1');
}

function csvLines(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split(','));
}

const positional = (values: readonly unknown[], features: readonly string[]): Row =>
  Object.fromEntries(features.map((f, i) => [f, values[i]]));

function toRow(value: unknown, features: readonly string[]): Row {
  if (Array.isArray(value)) return positional(value, features);
  if (value && typeof value === 'object') return value as Row;
  return positional([value], features);
}

/** Request body to rows of named features. */
export function inputRows(
  text: string,
  type: 'csv' | 'json' | 'jsonlines',
  features: readonly string[],
): Row[] {
  if (type === 'csv') return csvLines(text).map((cells) => positional(cells.map(cell), features));
  if (type === 'jsonlines') {
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => toRow(JSON.parse(l), features));
  }
  const body = JSON.parse(text) as unknown;
  if (Array.isArray(body)) {
    // [[...], [...]] or [{...}, {...}] are many rows; a flat array of scalars is one row.
    return body.some((v) => v !== null && typeof v === 'object')
      ? body.map((v) => toRow(v, features))
      : [positional(body, features)];
  }
  if (body && typeof body === 'object') {
    const obj = body as Record<string, unknown>;
    if (Array.isArray(obj.inputs)) return oipRows(obj.inputs as OipTensor[], features);
    if (Array.isArray(obj.instances)) return obj.instances.map((v) => toRow(v, features));
    return [obj as Row];
  }
  throw new Error('request body is not a JSON object or array');
}

interface OipTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: readonly unknown[];
}

/**
 * Open Inference Protocol v2 inputs: one 2-D tensor `[rows, features]` is positional; several
 * tensors of shape `[rows]` or `[rows, 1]` are named columns.
 */
function oipRows(inputs: readonly OipTensor[], features: readonly string[]): Row[] {
  if (inputs.length === 1 && (inputs[0].shape.length === 1 || (inputs[0].shape[1] ?? 1) > 1)) {
    const [t] = inputs;
    const width = t.shape.length === 1 ? t.shape[0] : t.shape[1];
    const rows: Row[] = [];
    const data = t.data.flat();
    for (let start = 0; start < data.length; start += width)
      rows.push(positional(data.slice(start, start + width), features));
    return rows;
  }
  const n = inputs[0]?.shape[0] ?? 0;
  return Array.from({ length: n }, (_, i) =>
    Object.fromEntries(inputs.map((t) => [t.name, t.data.flat()[i]])),
  );
}

/** Response body to one prediction per row. */
export function outputPredictions(text: string, type: 'csv' | 'json' | 'jsonlines'): Prediction[] {
  if (type === 'csv') {
    return csvLines(text).map((cells) => {
      const values = cells.map(cell);
      return values.length === 1 ? (values[0] as number | string) : (values as number[]);
    });
  }
  if (type === 'jsonlines')
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Prediction);
  const body = JSON.parse(text) as unknown;
  if (typeof body === 'number' || typeof body === 'string') return [body];
  if (Array.isArray(body)) return body as Prediction[];
  const obj = (body ?? {}) as Record<string, unknown>;
  if (Array.isArray(obj.predictions)) return obj.predictions as Prediction[];
  if (Array.isArray(obj.outputs)) {
    const t = (obj.outputs as OipTensor[])[0];
    const data = t.data.flat() as number[];
    const width = t.shape.length > 1 ? t.shape[1] : 1;
    if (width === 1) return data;
    const out: number[][] = [];
    for (let start = 0; start < data.length; start += width) out.push(data.slice(start, start + width));
    return out;
  }
  throw new Error('response body has no predictions');
}

/** Hour prefixes `yyyy/mm/dd/hh/` from `from` to `to` inclusive (UTC), as capture lays them out. */
export function hourPrefixes(from: Date, to: Date): string[] {
  const out: string[] = [];
  const t = new Date(
    Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate(), from.getUTCHours()),
  );
  const p = (n: number) => String(n).padStart(2, '0');
  for (; t <= to; t.setUTCHours(t.getUTCHours() + 1)) {
    out.push(`${t.getUTCFullYear()}/${p(t.getUTCMonth() + 1)}/${p(t.getUTCDate())}/${p(t.getUTCHours())}/`);
  }
  return out;
}
