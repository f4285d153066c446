import { type MapObjects, runDistributedMap } from '../../../local/state-machines/distributed-map';
import { streamItems } from '../../../local/state-machines/item-stream';

/** S3 in a Map: keys to bodies, listed in key order as ListObjectsV2 lists them. */
function memoryObjects(initial: Record<string, string>): MapObjects & { store: Map<string, string> } {
  const store = new Map(Object.entries(initial).map(([k, v]) => [`b/${k}`, v]));
  return {
    store,
    get: async (bucket, key) => {
      const body = store.get(`${bucket}/${key}`);
      if (body === undefined) throw new Error(`no ${key}`);
      return body;
    },
    put: async (bucket, key, body) => {
      store.set(`${bucket}/${key}`, body);
    },
    list: async (bucket, prefix) =>
      [...store.entries()]
        .filter(([k]) => k.startsWith(`${bucket}/${prefix}`))
        .map(([k, v]) => ({ Key: k.slice(bucket.length + 1), Size: v.length }))
        .sort((a, b) => a.Key.localeCompare(b.Key)),
  };
}

const listingMap = (writerConfig?: Record<string, string>) => ({
  Type: 'Map',
  ItemReader: {
    Resource: 'arn:aws:states:::s3:listObjectsV2',
    Parameters: { 'Bucket.$': '$.bucket', 'Prefix.$': '$.prefix' },
  },
  ItemSelector: { 'key.$': '$$.Map.Item.Value.Key', 'size.$': '$$.Map.Item.Value.Size', 'tag.$': '$.tag' },
  ItemProcessor: {
    ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
    StartAt: 'Count',
    States: { Count: { Type: 'Task', Resource: 'local:count', End: true } },
  },
  ResultWriter: {
    Resource: 'arn:aws:states:::s3:putObject',
    Parameters: { 'Bucket.$': '$.bucket', Prefix: 'results' },
    ...(writerConfig ? { WriterConfig: writerConfig } : {}),
  },
});

const run = (state: Record<string, unknown>, objects: MapObjects) =>
  runDistributedMap(
    state as never,
    { bucket: 'b', prefix: 'shards/', tag: 't' },
    {
      objects,
      handlers: { Count: async (input) => ({ key: (input as { key: string }).key, n: 1 }) },
      retryIntervalOverrides: {},
      executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:m:e',
    },
  ) as Promise<{ ResultWriterDetails: { Bucket: string; Key: string } }>;

describe('runDistributedMap', () => {
  it('runs a child per object a ListObjectsV2 reader lists, and writes COMPACT JSON Lines results', async () => {
    // Prepare
    const objects = memoryObjects({ 'shards/a.json': '1', 'shards/b.json': '22', 'other/c.json': '3' });

    // Act
    const out = await run(listingMap({ OutputType: 'JSONL', Transformation: 'COMPACT' }), objects);

    // Assess: the prefix's objects only, each child's output alone on a line
    const manifest = JSON.parse(await objects.get('b', out.ResultWriterDetails.Key));
    const [file] = manifest.ResultFiles.SUCCEEDED;
    expect(file.Key).toMatch(/^results\/[^/]+\/SUCCEEDED_0\.jsonl$/);
    expect((await objects.get('b', file.Key)).split('\n')).toEqual([
      '{"key":"shards/a.json","n":1}',
      '{"key":"shards/b.json","n":1}',
      '',
    ]);
  });

  it('writes each child with its execution details when no WriterConfig is given', async () => {
    // Prepare
    const objects = memoryObjects({ 'shards/a.json': '1' });

    // Act
    const out = await run(listingMap(), objects);

    // Assess
    const manifest = JSON.parse(await objects.get('b', out.ResultWriterDetails.Key));
    const [entry] = JSON.parse(await objects.get('b', manifest.ResultFiles.SUCCEEDED[0].Key));
    expect(entry).toMatchObject({ Status: 'SUCCEEDED', Input: '{"key":"shards/a.json","size":1,"tag":"t"}' });
    expect(JSON.parse(entry.Output)).toEqual({ key: 'shards/a.json', n: 1 });
  });

  it('writes a failed child whole even with COMPACT, as Step Functions does', async () => {
    // Prepare: the second object's child fails; one failure is tolerated so the results are written
    const objects = memoryObjects({ 'shards/a.json': '1', 'shards/b.json': '2' });
    const state = {
      ...listingMap({ OutputType: 'JSONL', Transformation: 'COMPACT' }),
      ToleratedFailureCount: 1,
    };
    const failing = runDistributedMap(
      state as never,
      { bucket: 'b', prefix: 'shards/', tag: 't' },
      {
        objects,
        handlers: {
          Count: async (input) => {
            if ((input as { key: string }).key.endsWith('b.json')) throw new Error('no shard');
            return { n: 1 };
          },
        },
        retryIntervalOverrides: {},
        executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:m:e',
      },
    ) as Promise<{ ResultWriterDetails: { Key: string } }>;

    // Act
    const out = await failing;

    // Assess
    const manifest = JSON.parse(await objects.get('b', out.ResultWriterDetails.Key));
    expect(await objects.get('b', manifest.ResultFiles.SUCCEEDED[0].Key)).toBe('{"n":1}\n');
    const [failed] = (await objects.get('b', manifest.ResultFiles.FAILED[0].Key))
      .split('\n')
      .map((l) => l && JSON.parse(l));
    expect(failed).toMatchObject({
      Status: 'FAILED',
      Cause: 'no shard',
      Input: '{"key":"shards/b.json","size":1,"tag":"t"}',
    });
  });

  it('fails a ListObjectsV2 reader without a listing', async () => {
    // Prepare
    const { list: _list, ...noList } = memoryObjects({});

    // Act, Assess
    await expect(run(listingMap(), noList)).rejects.toThrow('needs `objects.list`');
  });

  it('reads its items as the object streams in: the first child runs before the object is read whole', async () => {
    // Prepare: 1,000 JSON lines in 100 chunks; batches of 10, one child at a time
    const lines = Array.from({ length: 1000 }, (_, i) => `{"i":${i}}\n`);
    let chunksRead = 0;
    const atFirstChild: number[] = [];
    const objects: MapObjects = {
      ...memoryObjects({}),
      get: async () => {
        throw new Error('the reader must stream, not get the object whole');
      },
      stream: async function* () {
        for (let c = 0; c < 100; c++) {
          chunksRead++;
          yield lines.slice(c * 10, c * 10 + 10).join('');
        }
      },
    };
    const state = {
      Type: 'Map',
      MaxConcurrency: 1,
      ItemReader: {
        Resource: 'arn:aws:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSONL' },
        Parameters: { Bucket: 'b', Key: 'rows.jsonl' },
      },
      ItemBatcher: { MaxItemsPerBatch: 10 },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
        StartAt: 'Sum',
        States: { Sum: { Type: 'Task', Resource: 'local:sum', End: true } },
      },
    };

    // Act
    const out = (await runDistributedMap(
      state as never,
      {},
      {
        objects,
        handlers: {
          Sum: async (input) => {
            if (atFirstChild.length === 0) atFirstChild.push(chunksRead);
            return (input as { Items: Array<{ i: number }> }).Items.reduce((n, x) => n + x.i, 0);
          },
        },
        retryIntervalOverrides: {},
        executionArn: 'arn:aws:states:eu-west-1:111122223333:execution:m:e',
      },
    )) as number[];

    // Assess: every item once, in order; the reader was ahead by the batches in flight and the one forming, not at the end
    expect(out).toHaveLength(100);
    expect(out.reduce((a, b) => a + b, 0)).toBe((999 * 1000) / 2);
    expect(out[1]).toBe(10 * 10 + 45);
    expect(atFirstChild[0]).toBeLessThanOrEqual(3);
  });

  it.each([1, 3, 7])(
    'reads CSV and JSON arrays the same in chunks of %i characters as whole',
    async (size) => {
      // Prepare: a quoted field holding a newline, a comma and a doubled quote; CRLF line ends; a
      // JSON array whose strings hold brackets, commas and escaped quotes
      const csv = 'id,note\r\n1,"two\nlines, and ""quotes"""\r\n2,plain\r\n3,\r\n';
      const json = JSON.stringify([{ a: '[x], {y}', b: [1, { c: 'q"' }] }, 2, 'three', null, []]);
      const chunked = async function* (text: string) {
        for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
      };
      const read = async (text: string, config: Record<string, string>) => {
        const items: unknown[] = [];
        for await (const item of streamItems(chunked(text), config)) items.push(item);
        return items;
      };

      // Act
      const rows = await read(csv, { InputType: 'CSV' });
      const elements = await read(json, { InputType: 'JSON' });

      // Assess
      expect(rows).toEqual([
        { id: '1', note: 'two\nlines, and "quotes"' },
        { id: '2', note: 'plain' },
        { id: '3', note: '' },
      ]);
      expect(elements).toEqual(JSON.parse(json));
    },
  );
});
