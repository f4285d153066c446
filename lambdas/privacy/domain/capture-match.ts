/**
 * Which captured inferences belong to an erased entity. A SageMaker capture record holds the
 * request as the endpoint saw it, so it names the entity only where the payload does: a JSON
 * object field named for the join key (`{"customer_id": 1001, ...}`, OIP `parameters`), or an OIP
 * input tensor named for it (`{"name": "customer_id", "data": [1001]}`). Enriched predictions send
 * the model features only, and with them a keyed hash of each entity key they named (OIP
 * `parameters.mlops_entity_key_hashes`), matched against the erased keys' hashes; a record is also
 * found by its inference id (the OIP request `id`), which the erasure request can list. A matching
 * record is removed whole, with its ground truth.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/model-monitor-data-capture.html
 */
import { CAPTURE_KEY_HASHES_PARAMETER, type EntityMatch, keyMatches } from '../../../contracts/erasure-keys';

/** JSON nesting followed at most: payloads deeper than this are not searched further. */
const MAX_DEPTH = 64;

interface CapturedSide {
  readonly data?: unknown;
  readonly encoding?: unknown;
}

/** The text of one side of a capture record; undefined when it is not JSON or base64 of JSON. */
function payloadJson(side: CapturedSide | undefined): unknown {
  if (!side || typeof side.data !== 'string') return undefined;
  const text = side.encoding === 'BASE64' ? Buffer.from(side.data, 'base64').toString('utf8') : side.data;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

const holds = (values: ReadonlySet<string>, v: unknown): boolean =>
  (typeof v === 'string' || typeof v === 'number') && values.has(String(v));

/** Whether a JSON value names an erased entity anywhere (iteratively: no recursion to overflow). */
export function jsonNamesEntity(value: unknown, match: EntityMatch): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (depth > MAX_DEPTH) continue;
    if (Array.isArray(v)) {
      for (const x of v) if (isObject(x)) stack.push([x, depth + 1]);
      continue;
    }
    if (!isObject(v)) continue;
    if (keyMatches(match, v)) return true;
    // A field whose value is a list of keys, and OIP's named tensor.
    for (const [k, x] of Object.entries(v)) {
      const values = match.get(k);
      if (values && Array.isArray(x) && x.some((y) => holds(values, y))) return true;
    }
    const tensorKeys = typeof v.name === 'string' ? match.get(v.name) : undefined;
    if (tensorKeys && Array.isArray(v.data) && v.data.flat(4).some((y) => holds(tensorKeys, y))) return true;
    for (const x of Object.values(v)) if (isObject(x)) stack.push([x, depth + 1]);
  }
  return false;
}

/** Whether a request carries the keyed hash of an erased entity key (an enriched prediction). */
export function requestNamesKeyHash(request: unknown, keyHashes: ReadonlySet<string>): boolean {
  if (keyHashes.size === 0 || !isObject(request) || !isObject(request.parameters)) return false;
  const carried = request.parameters[CAPTURE_KEY_HASHES_PARAMETER];
  return Array.isArray(carried) && carried.some((h) => typeof h === 'string' && keyHashes.has(h));
}

/**
 * A capture line's inference id and whether it belongs to the erased entity.
 * @param keyHashes the erased keys' `captureKeyHash`es, none when no prediction was ever enriched
 */
export function matchCaptureLine(
  line: string,
  match: EntityMatch,
  inferenceIds: ReadonlySet<string>,
  keyHashes: ReadonlySet<string> = new Set(),
): { matches: boolean; inferenceId?: string } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return { matches: false };
  }
  if (!isObject(record)) return { matches: false };
  const meta = isObject(record.eventMetadata) ? record.eventMetadata : {};
  const inferenceId = typeof meta.inferenceId === 'string' ? meta.inferenceId : undefined;
  const data = isObject(record.captureData) ? record.captureData : {};
  const input = payloadJson(data.endpointInput as CapturedSide | undefined);
  const matches =
    (inferenceId !== undefined && inferenceIds.has(inferenceId)) ||
    requestNamesKeyHash(input, keyHashes) ||
    jsonNamesEntity(input, match) ||
    jsonNamesEntity(payloadJson(data.endpointOutput as CapturedSide | undefined), match);
  return { matches, ...(inferenceId === undefined ? {} : { inferenceId }) };
}

/** A capture file without the entity's records: the kept text and the removed records' ids. */
export function redactCaptureFile(
  text: string,
  match: EntityMatch,
  inferenceIds: ReadonlySet<string>,
  keyHashes: ReadonlySet<string> = new Set(),
): { text: string; removed: number; removedIds: string[] } {
  const kept: string[] = [];
  const removedIds: string[] = [];
  let removed = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = matchCaptureLine(line, match, inferenceIds, keyHashes);
    if (!m.matches) {
      kept.push(line);
      continue;
    }
    removed++;
    if (m.inferenceId) removedIds.push(m.inferenceId);
  }
  return { text: kept.length > 0 ? `${kept.join('\n')}\n` : '', removed, removedIds };
}
