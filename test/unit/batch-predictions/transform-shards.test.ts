import type { BatchJobInput } from '../../../contracts/batch-predictions';
import type { RunFiles } from '../../../lambdas/batch-predictions/domain/steps';
import type { PreparedTransform } from '../../../lambdas/batch-predictions/domain/transform';
import { sumTransformShards, transformLayout } from '../../../lambdas/batch-predictions/domain/transform';
import {
  collectTransformShard,
  writeTransformShard,
} from '../../../lambdas/batch-predictions/domain/transform-shards';

/** The run's objects in memory; parts keep their counts as S3 metadata would. */
function memoryFiles(): RunFiles & { texts: Map<string, string> } {
  const texts = new Map<string, string>();
  const counts = new Map<string, { predicted: number; failed: number }>();
  const missing = (key: string) => Object.assign(new Error(key), { name: 'NoSuchKey' });
  return {
    texts,
    partCounts: async (_b, key) => counts.get(key),
    writePart: async (_b, key, body, c) => {
      texts.set(key, body);
      counts.set(key, c);
    },
    readRowGroup: async () => [],
    list: async (_b, prefix) => [...texts.keys()].filter((k) => k.startsWith(prefix)).sort(),
    rowGroups: async () => [],
    readText: async (_b, key) => {
      const text = texts.get(key);
      if (text === undefined) throw missing(key);
      return text;
    },
    readOptionalText: async (_b, key) => texts.get(key),
    eachLine: async (_b, key, onLine) => {
      for (const line of (texts.get(key) ?? '').split('\n')) if (line !== '') await onLine(line);
    },
    hasObjects: async (_b, prefix) => [...texts.keys()].some((k) => k.startsWith(prefix)),
    writeText: async (_b, key, body) => {
      texts.set(key, body);
    },
    writeBytes: async () => undefined,
  };
}

const job: BatchJobInput = {
  jobId: 'job-1',
  attempt: 1,
  modelName: 'm',
  version: 3,
  engine: 'transform',
  artifact: { bucket: 'b', key: 'model.onnx' },
  keyColumn: 'id',
  input: { uri: 's3://b/in.jsonl', format: 'jsonl' },
  toleratedFailurePercent: 5,
  output: { bucket: 'b', prefix: 'out/', format: 'jsonl' },
};
const transform: PreparedTransform = {
  modelName: 'mlops-batch-job-1-1',
  jobName: 'mlops-batch-job-1-1',
  tritonModelName: 'm',
  modelDataUrl: 's3://b/model.tar.gz',
  inputUri: `s3://b/${transformLayout(job).input}`,
  outputUri: `s3://b/${transformLayout(job).output}`,
  indexPrefix: transformLayout(job).index,
  input: { name: 'input', datatype: 'FP32' },
  featureNames: ['f1'],
};
const source = { bucket: 'b', key: 'in.jsonl', reader: 'jsonl' as const, mapResultsPrefix: 'r' };
const shardEvent = (first: number, rows: Array<Record<string, unknown>>) => ({
  BatchInput: { job, source, transform },
  Items: rows.map((row, i) => ({ index: first + i, row })),
});
const lines = (text = '') =>
  text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));

describe('writeTransformShard', () => {
  it('writes a shard whose every row is refused as parts at once, sending nothing', async () => {
    // Prepare
    const files = memoryFiles();

    // Act
    const counts = await writeTransformShard(files, shardEvent(10, [{ id: 'a' }, { f1: 1 }]));

    // Assess
    expect(counts).toEqual({ firstIndex: 10, rows: 2, predicted: 0, failed: 2 });
    expect(await files.hasObjects('b', transformLayout(job).input)).toBe(false);
    expect(lines(files.texts.get('out/job-1/dead-letter/part-000000000010.jsonl'))).toEqual([
      { id: 'a', source: { object: 's3://b/in.jsonl', line: 11, index: 10 }, reason: 'missing feature f1' },
      {
        id: null,
        source: { object: 's3://b/in.jsonl', line: 12, index: 11 },
        reason: 'missing key column id',
      },
    ]);
  });

  it('sends nothing for a shard an earlier attempt wrote, and counts its rows', async () => {
    // Prepare
    const files = memoryFiles();
    await files.writePart('b', 'out/job-1/predictions/part-000000000000.jsonl', '', {
      predicted: 1,
      failed: 1,
    });

    // Act
    const counts = await writeTransformShard(files, shardEvent(0, [{ id: 'a', f1: 1 }, { id: 'b' }]));

    // Assess
    expect(counts).toEqual({ firstIndex: 0, rows: 2, predicted: 1, failed: 1 });
    expect(await files.hasObjects('b', transformLayout(job).input)).toBe(false);
  });
});

describe('collectTransformShard', () => {
  it('dead-letters the rows of a request the transform job did not answer, and the counts add up', async () => {
    // Prepare: a shard of two sent rows and a refused one; its output answers nothing
    const files = memoryFiles();
    const written = await writeTransformShard(
      files,
      shardEvent(0, [
        { id: 'a', f1: 1 },
        { id: 'b', f1: 'x' },
        { id: 'c', f1: 2 },
      ]),
    );
    const shard = transformLayout(job).shard(0);
    const collected = await collectTransformShard(files, { job, indexKey: shard.index });
    await files.writeText('b', 'r/1/SUCCEEDED_0.jsonl', `${JSON.stringify(written)}\n`);
    await files.writeText('b', 'r/2/SUCCEEDED_0.jsonl', `${JSON.stringify(collected)}\n`);
    const manifest = (key: string) =>
      JSON.stringify({ DestinationBucket: 'b', ResultFiles: { SUCCEEDED: [{ Key: key }] } });
    await files.writeText('b', 'r/1/manifest.json', manifest('r/1/SUCCEEDED_0.jsonl'));
    await files.writeText('b', 'r/2/manifest.json', manifest('r/2/SUCCEEDED_0.jsonl'));

    // Act
    const sums = await sumTransformShards(files, [
      { ResultWriterDetails: { Bucket: 'b', Key: 'r/1/manifest.json' } },
      { ResultWriterDetails: { Bucket: 'b', Key: 'r/2/manifest.json' } },
    ]);

    // Assess
    expect(lines(files.texts.get(shard.requests))[0].inputs[0]).toMatchObject({
      shape: [2, 1],
      data: [1, 2],
    });
    expect(collected).toEqual({ firstIndex: 0, predicted: 0, failed: 3 });
    expect(
      lines(files.texts.get('out/job-1/dead-letter/part-000000000000.jsonl')).map((d) => d.reason),
    ).toEqual([
      'the transform job wrote no output for request 0',
      'feature f1 is not a finite number: "x"',
      'the transform job wrote no output for request 0',
    ]);
    expect(sums).toEqual({ itemsRead: 3, counts: { read: 3, predicted: 0, failed: 3 } });
  });
});
