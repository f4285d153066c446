/**
 * The Batch Transform engine's own steps, none of which holds every row. `prepareTransform`
 * packages the version for Triton and says how a request is shaped. A Distributed Map over the
 * input then runs `writeTransformShard` per batch of rows (see `transform-shards.ts`): the rows are
 * checked before the model sees one (a row Triton refused would fail the whole transform job, so
 * refusals are dead-lettered there) and the good ones written as Open Inference Protocol requests,
 * one request file and one row index per shard. After the transform job, a second Distributed Map
 * over the shards' indexes runs `collectTransformShard`: each shard's joined output becomes the
 * same parts as the map engine's. `finalizeTransform` sums both maps' per-shard counts, read a line
 * at a time from their ResultWriter files, and checks them as for the map.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultwriter.html
 */
import {
  type BatchCounts,
  type BatchJobInput,
  batchLayout,
  batchPartName,
  transformModelName,
} from '../../../contracts/batch-predictions';
import type { PreparedSource } from './ports';
import type { RunFiles } from './steps';

/** What the engine needs of a version: its Triton package and its input tensor. */
export interface TransformModel {
  /** The input's feature columns in the model's order; `undefined` when the model does not say. */
  readonly featureNames?: readonly string[];
  /** The graph's input tensor and its Open Inference Protocol datatype (`FP32`). */
  readonly input: { readonly name: string; readonly datatype: string };
  /** model.tar.gz in Triton's model repository layout. */
  readonly tritonPackage: Uint8Array;
}

export type LoadTransformModel = (job: BatchJobInput) => Promise<TransformModel>;

export interface TransformDeps {
  readonly files: RunFiles;
  readonly transformModel: LoadTransformModel;
}

/** The Task result (`$.transform`): what the shard maps, CreateModel and CreateTransformJob read. */
export interface PreparedTransform {
  readonly modelName: string;
  readonly jobName: string;
  readonly tritonModelName: string;
  readonly modelDataUrl: string;
  /** The transform job's input: the shards' request files, and nothing else. */
  readonly inputUri: string;
  readonly outputUri: string;
  /** Key prefix of the shards' row indexes in the output bucket: the collect map lists it. */
  readonly indexPrefix: string;
  /** The graph's input tensor. */
  readonly input: { readonly name: string; readonly datatype: string };
  /** The columns scored in order; `undefined`: each shard's rows but the key column. */
  readonly featureNames?: readonly string[];
}

export const transformLayout = (job: BatchJobInput) => {
  const root = `${batchLayout(job.output.prefix, job.jobId).work}transform/attempt-${job.attempt}/`;
  const input = `${root}input/`;
  const output = `${root}output/`;
  const index = `${root}index/`;
  return {
    package: `${root}model.tar.gz`,
    input,
    output,
    index,
    /** The files of the shard whose first row is `firstIndex`, named as its parts are. */
    shard: (firstIndex: number) => {
      const requests = batchPartName(firstIndex, 'jsonl');
      return {
        requests: `${input}${requests}`,
        index: `${index}${batchPartName(firstIndex, 'json')}`,
        // Batch Transform names each output object after its input object.
        output: `${output}${requests}.out`,
      };
    },
  };
};

export async function prepareTransform(
  deps: TransformDeps,
  job: BatchJobInput,
  source: PreparedSource,
): Promise<PreparedTransform> {
  const layout = transformLayout(job);
  const bucket = job.output.bucket;
  const model = await deps.transformModel(job);
  await deps.files.writeBytes(bucket, layout.package, model.tritonPackage);
  const featureNames = model.featureNames ?? source.featureNames;
  const name = transformModelName(job.jobId, job.attempt);
  return {
    modelName: name,
    jobName: name,
    tritonModelName: job.modelName,
    modelDataUrl: `s3://${bucket}/${layout.package}`,
    inputUri: `s3://${bucket}/${layout.input}`,
    outputUri: `s3://${bucket}/${layout.output}`,
    indexPrefix: layout.index,
    input: model.input,
    ...(featureNames ? { featureNames: [...featureNames] } : {}),
  };
}

/** Whether any shard sent requests: with none, no transform job runs (every row is done or refused). */
export async function transformHasInput(files: RunFiles, job: BatchJobInput): Promise<{ requests: boolean }> {
  return { requests: await files.hasObjects(job.output.bucket, transformLayout(job).input) };
}

/** A shard's counts as either map returns them: `rows` handed out (input map only), and done. */
export interface ShardCounts {
  readonly firstIndex: number;
  /** Input rows of the shard; set by the input map only, so each row is counted once. */
  readonly rows?: number;
  readonly predicted: number;
  readonly failed: number;
}

interface ResultWriterManifest {
  readonly DestinationBucket: string;
  readonly ResultFiles: Record<string, ReadonlyArray<{ Key: string }>>;
}

/** A Distributed Map's ResultWriter location, as the Map state's output gives it. */
export interface MapResult {
  readonly ResultWriterDetails: { readonly Bucket: string; readonly Key: string };
}

/**
 * Sums the shards' counts of both maps. Their ResultWriter files hold only each child's output (a
 * line of counts per shard, COMPACT JSON Lines), read a line at a time: the step's memory does not
 * grow with the rows or the shards.
 */
export async function sumTransformShards(
  files: RunFiles,
  maps: readonly MapResult[],
): Promise<{ counts: BatchCounts; itemsRead: number }> {
  const counts = { read: 0, predicted: 0, failed: 0 };
  let itemsRead = 0;
  for (const { ResultWriterDetails: at } of maps) {
    const manifest = JSON.parse(await files.readText(at.Bucket, at.Key)) as ResultWriterManifest;
    for (const [status, results] of Object.entries(manifest.ResultFiles)) {
      // A map with a failed child fails (no failure is tolerated), so only successes are summed.
      if (status !== 'SUCCEEDED') continue;
      for (const file of results)
        await files.eachLine(manifest.DestinationBucket, file.Key, (line) => {
          const shard = JSON.parse(line) as ShardCounts;
          itemsRead += shard.rows ?? 0;
          counts.read += shard.predicted + shard.failed;
          counts.predicted += shard.predicted;
          counts.failed += shard.failed;
        });
    }
  }
  return { counts, itemsRead };
}
