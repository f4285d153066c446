import { type MapObjects, runDistributedMap } from '../../../local/state-machines/distributed-map';

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
});
