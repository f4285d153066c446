/**
 * Registers the template's SageMaker models and endpoint configs with the local SageMaker, as
 * CloudFormation would create them, so a model's first rollout can create its endpoint from the
 * stack's initial config; then creates the template's endpoints whose initial model exists, as a
 * deploy does: each AWS::SageMaker::Endpoint, and each endpoint custom resource whose
 * InitialPackageUrl exists (its Create on AWS). A model endpoint's package does not exist on
 * `npm start`, so its first rollout creates it on the version it deploys; an LMI LLM endpoint's
 * artifact is uploaded first (`uploadLmiArtifacts`), so it serves from the start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  type CreateEndpointConfigCommandInput,
  CreateModelCommand,
  type CreateModelCommandInput,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { LlmEndpointConfig } from '../contracts/llm';
import { ENDPOINT_RESOURCE_TYPE } from '../contracts/serving';
import { createTarGz } from '../lambdas/serving/domain/tar';
import type { CfnTemplate } from './cdk-template';
import { LMI_CORPUS_FILE } from './sagemaker/lmi-host';
import { resolveIntrinsics } from './state-machines/intrinsics';

/**
 * The corpora the local LMI stand-in trains on: an endpoint's model's, and its candidates' (another
 * text, so a candidate visibly answers otherwise).
 */
const LMI_CORPORA = {
  model: join(__dirname, 'llm', 'corpus.txt'),
  candidate: join(__dirname, 'llm', 'candidate-corpus.txt'),
};

const alreadyExists = (err: unknown) => /already exist/i.test(String((err as Error)?.message));

/** s3:// URIs name the stack's bucket by logical id here; locally it is one fixed bucket. */
const localUriIn = (bucket: string) => (uri: unknown) =>
  String(uri).replace(/^s3:\/\/[^/]+\//, `s3://${bucket}/`);

const resolvedOf = (template: CfnTemplate, type: string) =>
  Object.values(template.Resources)
    .filter((r) => r.Type === type)
    .map((r) => resolveIntrinsics(r.Properties ?? {}, template) as Record<string, unknown>);

async function objectExists(s3: S3Client, url: string): Promise<boolean> {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) return false;
  try {
    await s3.send(new HeadObjectCommand({ Bucket: m[1], Key: m[2] }));
    return true;
  } catch (err) {
    const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (err as Error).name === 'NotFound') return false;
    throw err;
  }
}

/**
 * Puts a model artifact for each LMI LLM endpoint (`backend: 'sagemaker'`) and each of its
 * candidate models whose key is missing: a model.tar.gz holding the corpus the local stand-in
 * trains on (the repo's corpus for the endpoint's model, another for its candidates), where a
 * deploy would have the operator upload weights. Returns the keys it put.
 */
export async function uploadLmiArtifacts(
  endpoints: readonly LlmEndpointConfig[],
  s3: S3Client,
  bucket: string,
): Promise<string[]> {
  const wanted = new Map<string, string>();
  for (const e of endpoints) {
    if (e.backend !== 'sagemaker') continue;
    wanted.set(e.modelArtifactKey, LMI_CORPORA.model);
    for (const c of e.candidateModels ?? [])
      if (!wanted.has(c.modelArtifactKey)) wanted.set(c.modelArtifactKey, LMI_CORPORA.candidate);
  }
  const put: string[] = [];
  for (const [key, corpus] of wanted) {
    if (await objectExists(s3, `s3://${bucket}/${key}`)) continue;
    const body = createTarGz([{ path: LMI_CORPUS_FILE, content: readFileSync(corpus) }]);
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    put.push(key);
  }
  return put;
}

/**
 * Creates the template's endpoints whose initial model exists, as a deploy does: each
 * AWS::SageMaker::Endpoint (CloudFormation's create) whose config's models' artifacts exist, and
 * each endpoint custom resource whose InitialPackageUrl exists (the resource's Create). An
 * endpoint that exists already (a restart on the same data) is left as it is. Returns the
 * endpoints it created; they are Creating until the local SageMaker has started their variants.
 */
export async function createTemplateEndpoints(
  template: CfnTemplate,
  client: SageMakerClient,
  s3: S3Client,
  options: { bucket: string },
): Promise<string[]> {
  const localUri = localUriIn(options.bucket);
  const ready: Array<{ name: string; config: string }> = [];
  for (const endpoint of resolvedOf(template, 'AWS::SageMaker::Endpoint')) {
    const config = await client.send(
      new DescribeEndpointConfigCommand({ EndpointConfigName: String(endpoint.EndpointConfigName) }),
    );
    let artifactsExist = true;
    for (const variant of config.ProductionVariants ?? []) {
      const model = await client.send(new DescribeModelCommand({ ModelName: variant.ModelName }));
      const url = model.PrimaryContainer?.ModelDataUrl;
      if (url && !(await objectExists(s3, url))) artifactsExist = false;
    }
    if (artifactsExist)
      ready.push({ name: String(endpoint.EndpointName), config: String(endpoint.EndpointConfigName) });
  }
  for (const resource of resolvedOf(template, ENDPOINT_RESOURCE_TYPE)) {
    const url = resource.InitialPackageUrl;
    if (url === undefined || (await objectExists(s3, localUri(url))))
      ready.push({ name: String(resource.EndpointName), config: String(resource.EndpointConfigName) });
    else if (resource.InitialPackageRequired === 'true')
      // As the resource's Create fails the deploy: no rollout would ever create this endpoint.
      throw new Error(
        `endpoint ${resource.EndpointName} serves ${url}, which does not exist: upload it first`,
      );
  }
  const created: string[] = [];
  for (const { name, config } of ready) {
    try {
      await client.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: config }));
      created.push(name);
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  return created;
}

/** Creates every AWS::SageMaker::Model and ::EndpointConfig of the template that is missing. */
export async function registerTemplateSageMakerResources(
  template: CfnTemplate,
  client: SageMakerClient,
  options: { bucket: string },
): Promise<string[]> {
  const created: string[] = [];
  const resolved = (type: string) => resolvedOf(template, type);
  const localUri = localUriIn(options.bucket);

  for (const model of resolved('AWS::SageMaker::Model')) {
    const container = model.PrimaryContainer as Record<string, unknown> | undefined;
    const input = {
      ...model,
      ...(container
        ? { PrimaryContainer: { ...container, ModelDataUrl: localUri(container.ModelDataUrl) } }
        : {}),
    } as CreateModelCommandInput;
    try {
      await client.send(new CreateModelCommand(input));
      created.push(String(model.ModelName));
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  for (const config of resolved('AWS::SageMaker::EndpointConfig')) {
    const capture = config.DataCaptureConfig as Record<string, unknown> | undefined;
    const input = {
      ...config,
      ...(capture
        ? { DataCaptureConfig: { ...capture, DestinationS3Uri: localUri(capture.DestinationS3Uri) } }
        : {}),
    } as CreateEndpointConfigCommandInput;
    try {
      await client.send(new CreateEndpointConfigCommand(input));
      created.push(String(config.EndpointConfigName));
    } catch (err) {
      if (!alreadyExists(err)) throw err;
    }
  }
  return created;
}
