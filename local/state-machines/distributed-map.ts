/**
 * What `aws-local-stepfunctions` lacks of a Distributed Map, for the definitions this template
 * synthesizes: ItemReader over an S3 object (JSON array, JSON Lines, CSV with a header row or given
 * headers, MaxItems), ItemSelector with `$$.Map.Item.Index`/`Value`, ItemBatcher (MaxItemsPerBatch,
 * MaxInputBytesPerBatch and their Path forms, BatchInput), MaxConcurrency, ToleratedFailurePercentage
 * and ToleratedFailureCount (and Path forms), an ItemReader listing a prefix (ListObjectsV2) and
 * ResultWriter (the manifest and SUCCEEDED_/FAILED_ files Step Functions writes, with WriterConfig's
 * JSON or JSONL output and NONE, COMPACT or FLATTEN transformation). The Map becomes a Task that runs all of this, each child execution
 * being the ItemProcessor run by `aws-local-stepfunctions` with the executor's own task handlers.
 * Differences from AWS are listed in the README (child executions are in-process runs, results
 * are written in one file per status, a Map Run has no DescribeMapRun).
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import { randomUUID } from 'node:crypto';
import { StateMachine } from 'aws-local-stepfunctions';
import { oneChunk, type ReaderConfig, streamItems, type TextChunks } from './item-stream';

export { itemsOf, parseCsv } from './item-stream';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, unknown> & { Type: string };

/** The Task resource a Distributed Map runs as locally. */
export const LOCAL_DISTRIBUTED_MAP = 'local:distributed-map';

/** S3 objects as text, for readers and the ResultWriter. */
export interface MapObjects {
  get(bucket: string, key: string): Promise<string>;
  /**
   * An object's text in chunks as it arrives, for an ItemReader.
   * @default - the object read whole with `get`, as one chunk
   */
  stream?(bucket: string, key: string): TextChunks;
  put(bucket: string, key: string, body: string): Promise<void>;
  /** The objects under a prefix in key order, for a ListObjectsV2 ItemReader. */
  list?(bucket: string, prefix: string): Promise<Array<{ Key: string; Size: number }>>;
}

/** An ItemReader over the objects of a prefix (`S3ObjectsItemReader`). */
const LIST_OBJECTS = /:states:::s3:listObjectsV2$/;

/** Whether a Map needs this runner (the inline split in `item-reader.ts` covers plain JSON readers). */
export function needsDistributedRunner(state: State): boolean {
  const reader = state.ItemReader as { Resource?: string; ReaderConfig?: { InputType?: string } } | undefined;
  return Boolean(
    reader &&
      (state.ItemBatcher ||
        LIST_OBJECTS.test(reader.Resource ?? '') ||
        state.ResultWriter ||
        (reader.ReaderConfig?.InputType ?? 'JSON') !== 'JSON' ||
        state.ToleratedFailurePercentagePath ||
        state.ToleratedFailureCountPath),
  );
}

/** The Map as the local Task: the Map's own paths and transitions, the runner behind it. */
export function asDistributedTask(state: State): State {
  const keep = [
    'InputPath',
    'OutputPath',
    'ResultPath',
    'ResultSelector',
    'Next',
    'End',
    'Catch',
    'Retry',
    'Comment',
  ];
  return {
    Type: 'Task',
    Resource: LOCAL_DISTRIBUTED_MAP,
    // A Map has no timeout of its own (the execution's bounds it); a local Task's default is 60 s.
    // Node's timers stop at 2^31 ms, about 24.8 days: longer than any execution here.
    TimeoutSeconds: 2_000_000,
    ...Object.fromEntries(keep.filter((k) => k in state).map((k) => [k, state[k]])),
  };
}

/** A JSONPath of the forms ASL Parameters use here: `$`, `$.a.b[0]`, `$$.Map.Item.Value`. */
export function readPath(path: string, input: unknown, context: unknown): unknown {
  const root = path.startsWith('$$') ? context : input;
  const rest = path.replace(/^\$\$?/, '');
  let value: unknown = root;
  for (const m of rest.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') throw pathError(path);
    value =
      m[1] !== undefined ? (value as Record<string, unknown>)[m[1]] : (value as unknown[])[Number(m[2])];
    if (value === undefined) throw pathError(path);
  }
  return value;
}

const pathError = (path: string) =>
  Object.assign(new Error(`Invalid path '${path}': the input has no such field`), { name: 'States.Runtime' });

/** Parameters with `key.$` paths resolved. Intrinsic functions are not used by this template. */
export function resolveParameters(value: unknown, input: unknown, context: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveParameters(v, input, context));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.endsWith('.$') && typeof v === 'string') {
      if (v.startsWith('States.'))
        throw new Error(`intrinsic ${v} in a Distributed Map does not run locally`);
      out[k.slice(0, -2)] = readPath(v, input, context);
    } else out[k] = resolveParameters(v, input, context);
  }
  return out;
}

export interface DistributedMapRun {
  readonly objects?: MapObjects;
  readonly handlers: Record<string, (input: Json) => Promise<Json>>;
  readonly retryIntervalOverrides: Record<string, number>;
  readonly executionArn: string;
  /** Most child executions at once locally. @default 4 */
  readonly localConcurrency?: number;
}

interface ChildResult {
  readonly input: unknown;
  readonly items: number;
  readonly output?: unknown;
  readonly error?: { Error: string; Cause: string };
  readonly startDate: string;
  readonly stopDate: string;
}

/** Runs one Distributed Map state on its (InputPath-applied) input. */
export async function runDistributedMap(
  state: State,
  input: unknown,
  run: DistributedMapRun,
): Promise<unknown> {
  const context = { Execution: { Id: run.executionArn } };
  const reader = state.ItemReader as {
    Resource?: string;
    Parameters?: Record<string, unknown>;
    ReaderConfig?: ReaderConfig;
  };
  const location = resolveParameters(reader.Parameters ?? {}, input, context) as {
    Bucket: string;
    Key: string;
    Prefix?: string;
  };
  const objects = run.objects;
  if (!objects) throw new Error('a Distributed Map reads S3: start the executor with `objects`');
  let items: AsyncIterable<unknown>;
  if (LIST_OBJECTS.test(reader.Resource ?? '')) {
    if (!objects.list) throw new Error('a ListObjectsV2 ItemReader needs `objects.list`');
    // As Step Functions gives each object: its key and size (ETag, LastModified, StorageClass omitted).
    let listed: unknown[] = await objects.list(location.Bucket, location.Prefix ?? '');
    if (reader.ReaderConfig?.MaxItems) listed = listed.slice(0, reader.ReaderConfig.MaxItems);
    items = (async function* () {
      yield* listed;
    })();
  } else {
    const chunks = objects.stream
      ? objects.stream(location.Bucket, location.Key)
      : oneChunk(await objects.get(location.Bucket, location.Key));
    items = streamItems(chunks, reader.ReaderConfig);
  }

  const selector = state.ItemSelector ?? state.Parameters;
  const batcher = state.ItemBatcher as Record<string, unknown> | undefined;
  const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown>;
  const { ProcessorConfig: _config, ...definition } = processor;
  const results: ChildResult[] = [];
  const limit = Math.max(
    1,
    Math.min(Number(state.MaxConcurrency) || Number.POSITIVE_INFINITY, run.localConcurrency ?? 4),
  );
  // One machine for every child: constructing one validates (and compiles) the definition again.
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: false } });
  const runChild = async (i: number, batch: { input: unknown; items: number }) => {
    const startDate = new Date().toISOString();
    try {
      const output = await machine.run(batch.input as Json, {
        overrides: {
          taskResourceLocalHandlers: run.handlers,
          retryIntervalOverrides: run.retryIntervalOverrides,
        },
      }).result;
      results[i] = { ...batch, output, startDate, stopDate: new Date().toISOString() };
    } catch (err) {
      const inner = (err as { cause?: { name?: string; message?: string } }).cause ?? (err as Error);
      results[i] = {
        ...batch,
        error: { Error: inner.name ?? 'Error', Cause: inner.message ?? String(err) },
        startDate,
        stopDate: new Date().toISOString(),
      };
    }
  };
  // Children start as their batches form, at most `limit` at once: the reader waits for a free
  // slot, so only the batches in flight are held, never the input whole.
  const running = new Set<Promise<void>>();
  let started = 0;
  const start = async (batch: { input: unknown; items: number }) => {
    while (running.size >= limit) await Promise.race(running);
    const child = runChild(started++, batch).finally(() => running.delete(child));
    running.add(child);
  };
  const batches = batchesOf(items, { selector, batcher, input, context });
  for await (const batch of batches) await start(batch);
  await Promise.all(running);

  const failedItems = results.filter((r) => r.error).reduce((n, r) => n + r.items, 0);
  const totalItems = results.reduce((n, r) => n + r.items, 0);
  const percentSet = 'ToleratedFailurePercentage' in state || 'ToleratedFailurePercentagePath' in state;
  const countSet = 'ToleratedFailureCount' in state || 'ToleratedFailureCountPath' in state;
  const percent = Number(
    state.ToleratedFailurePercentagePath
      ? readPath(String(state.ToleratedFailurePercentagePath), input, context)
      : state.ToleratedFailurePercentage,
  );
  const count = Number(
    state.ToleratedFailureCountPath
      ? readPath(String(state.ToleratedFailureCountPath), input, context)
      : state.ToleratedFailureCount,
  );
  // Neither set: no failure is tolerated. Both set: either one exceeded fails the Map.
  const exceeded =
    failedItems > 0 &&
    (!percentSet && !countSet
      ? true
      : (percentSet && (100 * failedItems) / totalItems > percent) || (countSet && failedItems > count));

  let output: unknown = results.map((r) => r.output ?? null);
  if (state.ResultWriter) output = await writeResults(state, input, context, results, run);
  if (exceeded) {
    throw Object.assign(
      new Error(`${failedItems} of ${totalItems} items failed, above the tolerated failure threshold`),
      { name: 'States.ExceedToleratedFailureThreshold' },
    );
  }
  return output;
}

/** The children's inputs as the items arrive: each item selected, then batched by ItemBatcher. */
async function* batchesOf(
  items: AsyncIterable<unknown>,
  p: {
    selector: unknown;
    batcher?: Record<string, unknown>;
    input: unknown;
    context: { Execution: unknown };
  },
): AsyncGenerator<{ input: unknown; items: number }> {
  const { selector, batcher, input, context } = p;
  let index = 0;
  const selected = async function* () {
    for await (const value of items) {
      const at = index++;
      yield selector
        ? resolveParameters(selector, input, { ...context, Map: { Item: { Index: at, Value: value } } })
        : value;
    }
  };
  if (!batcher) {
    for await (const item of selected()) yield { input: item, items: 1 };
    return;
  }
  const maxItems = Number(
    batcher.MaxItemsPerBatchPath
      ? readPath(String(batcher.MaxItemsPerBatchPath), input, context)
      : (batcher.MaxItemsPerBatch ?? Number.POSITIVE_INFINITY),
  );
  const maxBytes = Number(
    batcher.MaxInputBytesPerBatchPath
      ? readPath(String(batcher.MaxInputBytesPerBatchPath), input, context)
      : (batcher.MaxInputBytesPerBatch ?? 256 * 1024),
  );
  const batchInput = batcher.BatchInput ? resolveParameters(batcher.BatchInput, input, context) : undefined;
  const withInput = (current: unknown[]) => ({
    input: { ...(batchInput === undefined ? {} : { BatchInput: batchInput }), Items: current },
    items: current.length,
  });
  let current: unknown[] = [];
  let bytes = 0;
  for await (const item of selected()) {
    const size = Buffer.byteLength(JSON.stringify(item));
    if (current.length > 0 && (current.length >= maxItems || bytes + size > maxBytes)) {
      yield withInput(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) yield withInput(current);
}

/** The ResultWriter's files, as Step Functions lays them out under `<Prefix>/<map run id>/`. */
async function writeResults(
  state: State,
  input: unknown,
  context: unknown,
  results: ChildResult[],
  run: DistributedMapRun,
): Promise<unknown> {
  const writer = state.ResultWriter as {
    Parameters?: Record<string, unknown>;
    WriterConfig?: { OutputType?: 'JSON' | 'JSONL'; Transformation?: 'NONE' | 'COMPACT' | 'FLATTEN' };
  };
  const outputType = writer.WriterConfig?.OutputType ?? 'JSON';
  const transformation = writer.WriterConfig?.Transformation ?? 'NONE';
  const { Bucket, Prefix = '' } = resolveParameters(writer.Parameters ?? {}, input, context) as {
    Bucket: string;
    Prefix?: string;
  };
  const runId = randomUUID();
  const root = `${Prefix}${Prefix === '' || Prefix.endsWith('/') ? '' : '/'}${runId}/`;
  const files: Record<string, Array<{ Key: string; Size: number }>> = {
    FAILED: [],
    PENDING: [],
    SUCCEEDED: [],
  };
  for (const status of ['SUCCEEDED', 'FAILED'] as const) {
    const entries = results
      .filter((r) => (status === 'FAILED' ? r.error : !r.error))
      .map((r, i) => ({
        ExecutionArn: `${run.executionArn}/${runId}:${i}`,
        Input: JSON.stringify(r.input),
        InputDetails: { Included: true },
        Name: `${i}`,
        ...(r.error ? r.error : { Output: JSON.stringify(r.output), OutputDetails: { Included: true } }),
        StartDate: r.startDate,
        StopDate: r.stopDate,
        Status: status,
      }));
    if (entries.length === 0) continue;
    // COMPACT keeps each child's output alone, FLATTEN spreads an output array; JSONL a line each.
    // A failed child is written whole whatever the transformation, as Step Functions writes it.
    const outputs = results.filter((r) => !r.error).map((r) => r.output);
    const written: unknown[] =
      transformation === 'NONE' || status === 'FAILED'
        ? entries
        : transformation === 'FLATTEN'
          ? outputs.flatMap((o) => (Array.isArray(o) ? o : [o]))
          : outputs;
    const key = `${root}${status}_0.${outputType === 'JSONL' ? 'jsonl' : 'json'}`;
    const body =
      outputType === 'JSONL'
        ? written.map((o) => `${JSON.stringify(o)}\n`).join('')
        : JSON.stringify(written);
    await run.objects!.put(Bucket, key, body);
    files[status].push({ Key: key, Size: Buffer.byteLength(body) });
  }
  const manifestKey = `${root}manifest.json`;
  await run.objects!.put(
    Bucket,
    manifestKey,
    JSON.stringify({
      DestinationBucket: Bucket,
      MapRunArn: `${run.executionArn}/${runId}`,
      ResultFiles: files,
    }),
  );
  return { MapRunArn: `${run.executionArn}/${runId}`, ResultWriterDetails: { Bucket, Key: manifestKey } };
}
