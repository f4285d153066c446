/**
 * Local stand-in for the `sagemaker:createTrainingJob.sync` Task of the retraining state machine:
 * takes the CreateTrainingJob request the state's Parameters built, downloads each channel's S3
 * prefix, runs the trainer as a subprocess with SageMaker's container contract
 * (`local/training/run-training-job.ts`), uploads `model.tar.gz` where SageMaker puts it
 * (`<S3OutputPath>/<job>/output/model.tar.gz`) and returns what `.sync` returns: the
 * DescribeTrainingJob response. A failed job fails the Task with `States.TaskFailed` and the
 * description (with `FailureReason`) as the cause, as `.sync` does.
 * @see https://docs.aws.amazon.com/step-functions/latest/dg/connect-sagemaker.html
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-training-algo-output.html
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createTarGz } from '../../lambdas/serving/domain/tar';
import { runTrainingJob } from '../training/run-training-job';

/** The parts of a CreateTrainingJob request the local job honours. */
export interface CreateTrainingJobRequest {
  readonly TrainingJobName: string;
  readonly HyperParameters?: Record<string, string>;
  readonly InputDataConfig: ReadonlyArray<{
    readonly ChannelName: string;
    readonly DataSource: { readonly S3DataSource: { readonly S3Uri: string } };
  }>;
  readonly OutputDataConfig: { readonly S3OutputPath: string };
}

/** A Task failure as the executor reports it: `Error` is the name, `Cause` the message. */
export class TrainingJobFailed extends Error {
  constructor(cause: string) {
    super(cause);
    this.name = 'States.TaskFailed';
  }
}

const parseS3 = (uri: string) => {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`${uri} is not an s3:// URI`);
  return { bucket: m[1], key: m[2] };
};

async function downloadPrefix(s3: S3Client, uri: string, dir: string): Promise<void> {
  const { bucket, key: prefix } = parseS3(uri);
  mkdirSync(dir, { recursive: true });
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (!object.Key || object.Key.endsWith('/')) continue;
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.Key }));
      writeFileSync(join(dir, basename(object.Key)), await out.Body!.transformToByteArray());
    }
    token = page.NextContinuationToken;
  } while (token);
}

/** Makes the Task handler; `onJob` sees each job name (attempt) it starts. */
export function localTrainingJobTask(s3: S3Client, onJob: (jobName: string) => void = () => undefined) {
  return async (input: unknown) => {
    const request = input as CreateTrainingJobRequest;
    const jobName = request.TrainingJobName;
    onJob(jobName);
    const workDir = mkdtempSync(join(tmpdir(), `${jobName}-`));
    try {
      const channels: Record<string, string> = {};
      for (const channel of request.InputDataConfig) {
        const dir = join(workDir, 'input', 'data', channel.ChannelName);
        await downloadPrefix(s3, channel.DataSource.S3DataSource.S3Uri, dir);
        channels[channel.ChannelName] = dir;
      }
      const result = await runTrainingJob({
        channels,
        hyperparameters: request.HyperParameters ?? {},
        workDir,
      });
      const description = { TrainingJobName: jobName, FinalMetricDataList: result.metrics };
      if (result.exitCode !== 0) {
        throw new TrainingJobFailed(
          JSON.stringify({
            ...description,
            TrainingJobStatus: 'Failed',
            FailureReason: result.failureReason ?? `the trainer exited with ${result.exitCode}`,
          }),
        );
      }
      // SageMaker tars everything the container left in SM_MODEL_DIR.
      const entries = readdirSync(result.modelDir).map((name) => ({
        path: name,
        content: readFileSync(join(result.modelDir, name)),
      }));
      const { bucket, key } = parseS3(request.OutputDataConfig.S3OutputPath);
      const artifactKey = `${key.replace(/\/?$/, '/')}${jobName}/output/model.tar.gz`;
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: artifactKey, Body: createTarGz(entries) }));
      return {
        ...description,
        TrainingJobStatus: 'Completed',
        ModelArtifacts: { S3ModelArtifacts: `s3://${bucket}/${artifactKey}` },
      };
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  };
}
