/**
 * The API calls the demo makes, each through the platform's typed client (`client/`) as a user's
 * code would, with the waiting a user would do (polling a job, a run, a rollout). Nothing here reaches around the API except
 * where the demo plays a part outside the platform: publishing a training window to S3, as a data
 * pipeline would, and (local only) giving a version's model server a fault.
 */
import { CopyObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CreateModelCommand, DescribeModelCommand, type SageMakerClient } from '@aws-sdk/client-sagemaker';
import { expectOk, type PlatformClient } from '../client';
import type { Deployment } from '../contracts/deployment';
import type { RetrainingRun } from '../contracts/pipeline';
import { LocalModelFault, modelPackageKey, sagemakerModelName } from '../contracts/serving';

/** The model's endpoint as the platform names it (`mlops-<envName>-<model>`), from `GET /endpoints`. */
export async function endpointOf(api: PlatformClient, model: string): Promise<string> {
  for (let nextToken: string | undefined, first = true; first || nextToken; first = false) {
    const page = await expectOk(api.GET('/endpoints', { params: { query: { nextToken } } }));
    const found = page.items.find((e) => e.modelName === model);
    if (found) return found.endpointName;
    nextToken = page.nextToken;
  }
  throw new Error(`${model} has no endpoint on this platform`);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` every `everyMs` until `done`; throws after `timeoutMs` naming `what`. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { everyMs = 250, timeoutMs = 180_000 } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await sleep(everyMs);
  }
}

/** Builds a point-in-time training set and waits for it; returns its Parquet object and row count. */
export async function buildTrainingSet(
  api: PlatformClient,
  request: { features: string[]; entityRows: Record<string, number | string>[] },
): Promise<{ outputUri: string; rowCount: number }> {
  const job = await expectOk(api.POST('/training-sets', { body: request }));
  const done = await until(
    `training set ${job.jobId}`,
    () => expectOk(api.GET('/training-sets/{jobId}', { params: { path: { jobId: job.jobId } } })),
    (j) => j.status === 'SUCCEEDED' || j.status === 'FAILED',
  );
  if (done.status !== 'SUCCEEDED' || !done.outputUri)
    throw new Error(`training set ${job.jobId} failed: ${done.error}`);
  return { outputUri: done.outputUri, rowCount: done.rowCount ?? 0 };
}

/** Copies `s3://a/b` to `s3://c/d` (a data pipeline publishing the training window). */
export async function copyObject(s3: S3Client, from: string, to: string): Promise<void> {
  const src = /^s3:\/\/([^/]+)\/(.+)$/.exec(from);
  const dst = /^s3:\/\/([^/]+)\/(.+)$/.exec(to);
  if (!src || !dst) throw new Error(`not s3:// URIs: ${from}, ${to}`);
  await s3.send(new CopyObjectCommand({ CopySource: `${src[1]}/${src[2]}`, Bucket: dst[1], Key: dst[2] }));
}

export const getRun = async (api: PlatformClient, model: string, runId: string): Promise<RetrainingRun> =>
  (await expectOk(
    api.GET('/models/{name}/retraining-runs/{runId}', { params: { path: { name: model, runId } } }),
  )) as RetrainingRun;

export const getDeployment = async (api: PlatformClient, model: string, id: string): Promise<Deployment> =>
  (await expectOk(
    api.GET('/models/{name}/deployments/{deploymentId}', {
      params: { path: { name: model, deploymentId: id } },
    }),
  )) as Deployment;

/** The version the `champion` alias points at, if any. */
export async function championVersion(api: PlatformClient, model: string): Promise<number | undefined> {
  const { data, response } = await api.GET('/models/{name}/aliases/{alias}', {
    params: { path: { name: model, alias: 'champion' } },
  });
  return response.status === 200 ? data?.version : undefined;
}

/**
 * Registers a copy of version `from` (same bytes, metrics and evidence) as a new READY version, the
 * way a CI job registers a build: declare hash and size, upload to the presigned URL, verify.
 */
export async function registerCopy(api: PlatformClient, model: string, from: number): Promise<number> {
  const path = { name: model, version: from };
  const source = await expectOk(api.GET('/models/{name}/versions/{version}', { params: { path } }));
  const { download } = await expectOk(
    api.GET('/models/{name}/versions/{version}/artifact', { params: { path } }),
  );
  const bytes = Buffer.from(await (await fetch(download.url, { headers: download.headers })).arrayBuffer());
  const reg = await expectOk(
    api.POST('/models/{name}/versions', {
      params: { path: { name: model } },
      body: {
        description: `copy of v${from}`,
        metrics: source.metrics,
        artifact: {
          sha256: source.artifact.sha256,
          sizeBytes: bytes.length,
        },
        ...(source.governance ? { governance: source.governance } : {}),
      },
    }),
  );
  const version = reg.version.version;
  const { url, method, headers } = reg.upload;
  const uploaded = await fetch(url, { method, headers, body: bytes });
  // 412: the content-addressed object is there already (the same bytes), which is all verify needs.
  if (!uploaded.ok && uploaded.status !== 412)
    throw new Error(`upload of ${model} v${version} answered ${uploaded.status}`);
  const verified = await expectOk(
    api.POST('/models/{name}/versions/{version}/verify', { params: { path: { name: model, version } } }),
  );
  if (verified.status !== 'READY') throw new Error(`${model} v${version} is ${verified.status}`);
  return version;
}

/**
 * Local only: creates version `version`'s SageMaker model ahead of its rollout, like the champion's
 * but with the local model server's fault switch on, so `errorPercent` of its answers are 500s. The
 * rollout finds the model there and keeps it (creating an existing model is a no-op to it).
 */
export async function createFaultyModel(
  sagemaker: SageMakerClient,
  input: {
    model: string;
    /** The model's endpoint, whose name every SageMaker model made for it starts with. */
    endpoint: string;
    like: number;
    version: number;
    bucket: string;
    errorPercent: number;
  },
): Promise<void> {
  const like = await sagemaker.send(
    new DescribeModelCommand({ ModelName: sagemakerModelName(input.endpoint, input.like) }),
  );
  await sagemaker.send(
    new CreateModelCommand({
      ModelName: sagemakerModelName(input.endpoint, input.version),
      ExecutionRoleArn: like.ExecutionRoleArn,
      PrimaryContainer: {
        ...like.PrimaryContainer,
        ModelDataUrl: `s3://${input.bucket}/${modelPackageKey(input.model, input.version)}`,
        Environment: {
          ...like.PrimaryContainer?.Environment,
          [LocalModelFault.errorPercent]: String(input.errorPercent),
        },
      },
    }),
  );
}
