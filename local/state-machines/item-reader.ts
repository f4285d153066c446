/**
 * Distributed Map states read their items with an `ItemReader` (here an S3 JSON array, as
 * `S3JsonItemReader` synthesizes it), which `aws-local-stepfunctions` does not implement. Locally
 * such a Map becomes two states: under the Map's own name a Task that reads the items (so every
 * transition into the Map, and a task override by its name, still lands there), then the Map under
 * `<name> (items)` with `ItemsPath` on what was read and the processor run inline. Everything else
 * of the Map (ItemSelector, ItemProcessor, MaxConcurrency, ResultPath, Retry, Catch, End/Next) is
 * the template's.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemreader.html
 */

import { asDistributedTask, needsDistributedRunner } from './distributed-map';

type State = Record<string, unknown> & { Type: string };
type Definition = { States: Record<string, State> } & Record<string, unknown>;

/** The local task resource that reads a Map's items. */
export const LOCAL_ITEM_READER = 'local:item-reader';
/** Where the read items wait for their Map, in the Map's input. */
export const LOCAL_ITEMS_FIELD = '__localMapItems';

/** Reads an S3 object of the manifest a Distributed Map's ItemReader names, parsed as JSON. */
export type ReadItems = (bucket: string, key: string) => Promise<unknown>;

/** The definition with every ItemReader Map split as above; other states unchanged. */
export function withLocalItemReaders<D extends Definition>(definition: D): D {
  const states: Record<string, State> = {};
  for (const [name, original] of Object.entries(definition.States)) {
    const state = nested(original);
    const reader = state.ItemReader as
      | { Resource: string; ReaderConfig?: { InputType?: string }; Parameters: Record<string, unknown> }
      | undefined;
    if (state.Type !== 'Map' || !reader) {
      states[name] = state;
      continue;
    }
    // Batching, result writing, CSV and JSON Lines readers: the Map runs as a local Task.
    if (needsDistributedRunner(state)) {
      states[name] = asDistributedTask(state);
      continue;
    }
    const inputType = reader.ReaderConfig?.InputType ?? 'JSON';
    if (!reader.Resource.startsWith('arn:aws:states:::s3:getObject') || inputType !== 'JSON') {
      throw new Error(
        `Map ${name}: only S3 JSON item readers run locally, got ${reader.Resource} ${inputType}`,
      );
    }
    if (state.ResultWriter || state.ItemBatcher) {
      throw new Error(`Map ${name}: ResultWriter and ItemBatcher do not run locally`);
    }
    const mapName = `${name} (items)`;
    const { ItemReader, ToleratedFailurePercentage, ToleratedFailureCount, Label, ...map } = state;
    const processor = map.ItemProcessor as Record<string, unknown> | undefined;
    states[name] = {
      Type: 'Task',
      Resource: LOCAL_ITEM_READER,
      Parameters: reader.Parameters,
      ResultPath: `$.${LOCAL_ITEMS_FIELD}`,
      Next: mapName,
      ...(state.Catch ? { Catch: state.Catch } : {}),
    };
    states[mapName] = {
      ...map,
      ItemsPath: `$.${LOCAL_ITEMS_FIELD}`,
      ...(processor ? { ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } } } : {}),
    };
  }
  return { ...definition, States: states };
}

/** Splits Maps inside Parallel branches and Map processors too. */
function nested(state: State): State {
  const out: State = { ...state };
  if (Array.isArray(state.Branches))
    out.Branches = (state.Branches as Definition[]).map(withLocalItemReaders);
  if (state.ItemProcessor) out.ItemProcessor = withLocalItemReaders(state.ItemProcessor as Definition);
  if (state.Iterator) out.Iterator = withLocalItemReaders(state.Iterator as Definition);
  return out;
}

/** The reader task: `Bucket`/`Key` as the ItemReader's Parameters resolved them. */
export async function readMapItems(read: ReadItems | undefined, input: unknown): Promise<unknown> {
  const { Bucket, Key } = (input ?? {}) as { Bucket?: string; Key?: string };
  if (!read) throw new Error('a Map reads its items from S3: start the executor with readItems');
  if (!Bucket || !Key) throw new Error(`item reader needs Bucket and Key, got ${JSON.stringify(input)}`);
  const items = await read(Bucket, Key);
  if (!Array.isArray(items)) throw new Error(`s3://${Bucket}/${Key} does not hold a JSON array`);
  return items;
}
