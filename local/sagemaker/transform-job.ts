/**
 * Runs a transform job as Batch Transform does, on one model-server child instead of instances:
 * every object under the input prefix is split into records (SplitType Line: one per line), sent
 * to `/invocations` one record per call (SingleRecord) or as many newline-joined records as fit
 * in MaxPayloadInMB (MultiRecord), and the answers are assembled (AssembleWith Line: one per
 * line) into `<S3OutputPath>/<object>.out`, joined with their input records when DataProcessing
 * says JoinSource Input (a JSON record gains `SageMakerOutput`, a CSV record the output's
 * columns). A record larger than MaxPayloadInMB, or a call the model refuses, fails the job as it
 * fails on AWS, with the object and the model's answer in FailureReason.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/batch-transform-data-processing.html
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { fetchModelData, startModelHost } from './model-host';
import type { ModelRecord, TransformJobRecord } from './state';

/** A job's failure, worded as DescribeTransformJob's FailureReason. */
export class TransformJobError extends Error {}

export interface TransformRunDeps {
  readonly s3: S3Client;
  readonly modelsDir: string;
}

const s3Parts = (uri: string) => {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new TransformJobError(`ClientError: ${uri} is not an S3 URI`);
  return { bucket: m[1], key: m[2] };
};

async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    keys.push(...(page.Contents ?? []).map((o) => o.Key!).filter((k) => !k.endsWith('/')));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Records of one object: lines (SplitType Line) or the whole object. */
function recordsOf(text: string, split: TransformJobRecord['TransformInput']['SplitType']): string[] {
  if (split !== 'Line') return [text];
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Calls of one object: one record each, or records packed up to the payload limit. */
function payloadsOf(job: TransformJobRecord, records: string[], object: string): string[][] {
  const limit = (job.MaxPayloadInMB ?? 6) * 1024 * 1024;
  const calls: string[][] = [];
  let call: string[] = [];
  let bytes = 0;
  records.forEach((record, i) => {
    const size = Buffer.byteLength(record) + 1;
    if (size > limit)
      throw new TransformJobError(
        `ClientError: record ${i + 1} of ${object} is ${size} bytes, more than MaxPayloadInMB (${job.MaxPayloadInMB ?? 6})`,
      );
    if (call.length > 0 && (job.BatchStrategy !== 'MultiRecord' || bytes + size > limit)) {
      calls.push(call);
      call = [];
      bytes = 0;
    }
    call.push(record);
    bytes += size;
  });
  if (call.length > 0) calls.push(call);
  return calls;
}

/** An output record joined with its input record, as JoinSource Input does. */
function joined(job: TransformJobRecord, input: string, output: string): string {
  if (job.DataProcessing?.JoinSource !== 'Input') return output;
  if (/json/.test(job.TransformInput.ContentType ?? '')) {
    const record = JSON.parse(input) as unknown;
    let result: unknown = output;
    try {
      result = JSON.parse(output);
    } catch {
      // A non-JSON answer is joined as a string.
    }
    if (record && typeof record === 'object' && !Array.isArray(record))
      return JSON.stringify({ ...record, SageMakerOutput: result });
    return JSON.stringify([record, result]);
  }
  return `${input},${output}`;
}

export async function runTransformJob(
  deps: TransformRunDeps,
  job: TransformJobRecord,
  model: ModelRecord,
  signal: AbortSignal,
): Promise<void> {
  const filters = [job.DataProcessing?.InputFilter, job.DataProcessing?.OutputFilter];
  if (filters.some((f) => f !== undefined && f !== '$'))
    throw new TransformJobError(
      'ClientError: InputFilter and OutputFilter other than "$" do not run locally',
    );
  if (job.TransformInput.CompressionType === 'Gzip')
    throw new TransformJobError('ClientError: Gzip input does not run locally');
  const source = s3Parts(job.TransformInput.DataSource.S3DataSource.S3Uri);
  const keys = await listKeys(deps.s3, source.bucket, source.key);
  if (keys.length === 0)
    throw new TransformJobError(
      `ClientError: no S3 objects found under ${job.TransformInput.DataSource.S3DataSource.S3Uri}`,
    );
  const output = s3Parts(job.TransformOutput.S3OutputPath);
  const dir = await fetchModelData(deps.s3, model, deps.modelsDir);
  const host = await startModelHost(model.ModelName, dir, {
    ...model.PrimaryContainer.Environment,
    ...job.Environment,
  });
  try {
    const base =
      source.key.endsWith('/') || source.key === '' ? source.key : source.key.replace(/[^/]*$/, '');
    for (const key of keys) {
      const object = `s3://${source.bucket}/${key}`;
      const got = await deps.s3.send(new GetObjectCommand({ Bucket: source.bucket, Key: key }));
      const records = recordsOf(await got.Body!.transformToString(), job.TransformInput.SplitType);
      const out: string[] = [];
      for (const call of payloadsOf(job, records, object)) {
        if (signal.aborted) throw new TransformJobError('stopped');
        const res = await fetch(`http://127.0.0.1:${host.port}/invocations`, {
          method: 'POST',
          headers: {
            'content-type': job.TransformInput.ContentType ?? 'application/octet-stream',
            accept: job.TransformOutput.Accept ?? '*/*',
          },
          body: call.join('\n'),
        });
        const body = await res.text();
        if (!res.ok)
          throw new TransformJobError(
            `ClientError: the model answered ${res.status} for a record of ${object}: ${body.slice(0, 500)}`,
          );
        // A packed call answers one line per record.
        const answers = call.length === 1 ? [body.replace(/\n$/, '')] : body.replace(/\n$/, '').split('\n');
        if (answers.length !== call.length)
          throw new TransformJobError(
            `ClientError: the model answered ${answers.length} records for ${call.length} of ${object}`,
          );
        call.forEach((record, i) => {
          out.push(joined(job, record, answers[i]));
        });
      }
      const assembled =
        job.TransformOutput.AssembleWith === 'Line' ? out.map((l) => `${l}\n`).join('') : out.join('');
      const target = `${output.key}${output.key === '' || output.key.endsWith('/') ? '' : '/'}${key.slice(base.length)}.out`;
      await deps.s3.send(new PutObjectCommand({ Bucket: output.bucket, Key: target, Body: assembled }));
    }
  } finally {
    await host.stop();
  }
}
