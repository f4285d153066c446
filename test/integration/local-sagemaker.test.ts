/**
 * The local SageMaker through the real AWS SDK clients: endpoints with two variants on model
 * servers running the trained reference model, weighted traffic split (seeded, so the counts are
 * reproducible), weight updates that apply to the next call, data capture in SageMaker's format,
 * 5XX accounting for a failing variant, and endpoints restored after a restart. LMI models (the
 * stand-in LLM trained from the artifact's corpus) answer the platform's SageMakerLmiBackend over
 * InvokeEndpointWithResponseStream, each variant its own model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  DescribeEndpointCommand,
  SageMakerClient,
  UpdateEndpointWeightsAndCapacitiesCommand,
} from '@aws-sdk/client-sagemaker';
import {
  InvokeEndpointCommand,
  InvokeEndpointWithResponseStreamCommand,
  ModelError,
  ModelStreamError,
  SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import type { Context } from 'aws-lambda';
import { encode, encodeChat } from 'gpt-tokenizer';
import type { LlmEndpointConfig } from '../../contracts/llm';
import {
  DATA_CAPTURE_PREFIX,
  type DataCaptureRecord,
  ENDPOINT_RESOURCE_TYPE,
  endpointName,
  LocalModelFault,
  modelPackageKey,
} from '../../contracts/serving';
import { SageMakerLmiBackend } from '../../lambdas/llm/adapters/sagemaker-lmi-backend';
import { SageMakerEndpointInvoker } from '../../lambdas/serving/adapters/sagemaker-endpoint-invoker';
import { packageOnnxModel } from '../../lambdas/serving/domain/model-package';
import { makeHandler } from '../../lambdas/serving/handler';
import type { HttpEvent } from '../../lambdas/shared/http';
import { detokenize } from '../../local/llm/ngram';
import { LocalLlm } from '../../local/llm/server';
import type { DataCaptureWriter } from '../../local/sagemaker/data-capture';
import { EndpointMetrics } from '../../local/sagemaker/metrics';
import { invokeEndpointWithResponseStream } from '../../local/sagemaker/response-stream';
import { type LocalSageMaker, startLocalSageMaker } from '../../local/sagemaker/server';
import type { EndpointRecord } from '../../local/sagemaker/state';
import { createTemplateEndpoints, uploadLmiArtifacts } from '../../local/sagemaker-resources';
import { ensureBuckets, localS3ClientConfig, startS3Local } from '../../local/stand-ins';
import type { RunningStandIn } from '../../local/stand-ins/dynamodb-local';
import { readHoldout, trainReferenceModel } from '../helpers/serving';

const BUCKET = 'mlops-sm-test';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
let s3Server: RunningStandIn;
let s3: S3Client;
let dataDir: string;
let sagemaker: LocalSageMaker;
let control: SageMakerClient;
let runtime: SageMakerRuntimeClient;

const clients = (url: string) => {
  control?.destroy();
  runtime?.destroy();
  control = new SageMakerClient({ endpoint: url, region: 'us-east-1', credentials });
  runtime = new SageMakerRuntimeClient({ endpoint: url, region: 'us-east-1', credentials });
};

const row = readHoldout().rows[0];
const payload = JSON.stringify({
  inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: row }],
});
const invoke = (endpoint: string, targetVariant?: string) =>
  runtime.send(
    new InvokeEndpointCommand({
      EndpointName: endpoint,
      ContentType: 'application/json',
      Body: payload,
      TargetVariant: targetVariant,
    }),
  );

async function createEndpoint(
  name: string,
  variants: Array<{ variant: string; model: string; weight: number }>,
  capture = false,
) {
  await control.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${name}-c1`,
      ProductionVariants: variants.map((v) => ({
        VariantName: v.variant,
        ModelName: v.model,
        InitialVariantWeight: v.weight,
        InitialInstanceCount: 1,
        InstanceType: 'ml.g5.xlarge',
      })),
      ...(capture
        ? {
            DataCaptureConfig: {
              EnableCapture: true,
              InitialSamplingPercentage: 100,
              DestinationS3Uri: `s3://${BUCKET}/${DATA_CAPTURE_PREFIX}`,
              CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
              CaptureContentTypeHeader: { JsonContentTypes: ['application/json'] },
            },
          }
        : {}),
    }),
  );
  await control.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-c1` }));
  await sagemaker.settled();
  return control.send(new DescribeEndpointCommand({ EndpointName: name }));
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function invokeMissing(handler: ReturnType<typeof makeHandler>) {
  const body = JSON.stringify({ inputs: [{ name: 'features', shape: [1], datatype: 'FP32', data: [1] }] });
  const event = {
    routeKey: 'POST /v2/models/{name}/infer',
    pathParameters: { name: 'nope' },
    body,
    requestContext: { requestId: 'r' },
  };
  const res = await handler(event as unknown as HttpEvent, {} as Context);
  return { status: res.statusCode, body: JSON.parse(res.body as string) };
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'mlops-sm-'));
  s3Server = await startS3Local();
  s3 = new S3Client(localS3ClientConfig(s3Server.endpoint));
  await ensureBuckets(s3, [BUCKET]);
  const { onnx } = await trainReferenceModel();
  for (const version of [1, 2]) {
    await s3.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: modelPackageKey('bc', version),
        Body: packageOnnxModel('bc', version, onnx),
      }),
    );
  }
  sagemaker = await startLocalSageMaker({ s3, dataDir, seed: 42, flushIntervalMs: 60_000 });
  clients(sagemaker.url);
  for (const [name, version, env] of [
    ['bc-v1', 1, {}],
    ['bc-v2', 2, {}],
    ['bc-broken', 2, { [LocalModelFault.errorPercent]: '100' }],
  ] as const) {
    await control.send(
      new CreateModelCommand({
        ModelName: name,
        ExecutionRoleArn: 'arn:aws:iam::000000000000:role/sm',
        PrimaryContainer: {
          Image: 'triton',
          ModelDataUrl: `s3://${BUCKET}/${modelPackageKey('bc', version)}`,
          Environment: env,
        },
      }),
    );
  }
}, 120_000);

afterAll(async () => {
  await sagemaker?.stop();
  control?.destroy();
  runtime?.destroy();
  s3?.destroy();
  await s3Server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('local SageMaker', () => {
  it('splits traffic by weight, applies new weights on the next call, and captures data', async () => {
    // Prepare
    const described = await createEndpoint(
      'split',
      [
        { variant: 'champion', model: 'bc-v1', weight: 95 },
        { variant: 'challenger', model: 'bc-v2', weight: 5 },
      ],
      true,
    );
    expect(described.EndpointStatus).toBe('InService');
    expect(described.ProductionVariants?.map((v) => [v.VariantName, v.CurrentWeight])).toEqual([
      ['champion', 95],
      ['challenger', 5],
    ]);

    // Act
    const counts: Record<string, number> = {};
    const versions = new Set<string>();
    for (let i = 0; i < 400; i++) {
      const res = await invoke('split');
      counts[res.InvokedProductionVariant!] = (counts[res.InvokedProductionVariant!] ?? 0) + 1;
      versions.add(
        `${res.InvokedProductionVariant}:${JSON.parse(Buffer.from(res.Body!).toString()).model_version}`,
      );
    }
    await control.send(
      new UpdateEndpointWeightsAndCapacitiesCommand({
        EndpointName: 'split',
        DesiredWeightsAndCapacities: [
          { VariantName: 'champion', DesiredWeight: 0 },
          { VariantName: 'challenger', DesiredWeight: 1 },
        ],
      }),
    );
    const next = await invoke('split');
    await sagemaker.flush();

    // Assess: seeded, so the counts are fixed; within 3 points of 95/5 either way
    expect(counts.champion + counts.challenger).toBe(400);
    expect(counts.challenger / 400).toBeGreaterThan(0.02);
    expect(counts.challenger / 400).toBeLessThan(0.08);
    expect(versions).toEqual(new Set(['champion:1', 'challenger:2']));
    expect(next.InvokedProductionVariant).toBe('challenger');
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `${DATA_CAPTURE_PREFIX}split/` }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(
      keys.some((k) =>
        /^serving\/data-capture\/split\/champion\/\d{4}\/\d{2}\/\d{2}\/\d{2}\/\d{2}-\d{2}-\d{3}-[0-9a-f-]{36}\.jsonl$/.test(
          k,
        ),
      ),
    ).toBe(true);
    let lines = 0;
    for (const key of keys) {
      const text = await (
        await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))
      ).Body!.transformToString();
      for (const line of text.trim().split('\n')) {
        const record = JSON.parse(line) as DataCaptureRecord;
        expect(record.eventVersion).toBe('0');
        expect(record.captureData.endpointInput).toMatchObject({
          mode: 'INPUT',
          encoding: 'JSON',
          observedContentType: 'application/json',
        });
        expect(JSON.parse(record.captureData.endpointInput!.data)).toEqual(JSON.parse(payload));
        expect(JSON.parse(record.captureData.endpointOutput!.data).outputs[0].name).toBe('probability');
        lines++;
      }
    }
    expect(lines).toBe(401);
    expect(sagemaker.metrics.sum('split', 'champion', 'Invocations')).toBe(counts.champion);
    expect(sagemaker.metrics.points.find((p) => p.name === 'ModelLatency')?.unit).toBe('Microseconds');
  });

  it('answers a failing variant with ModelError and counts it as 5XX', async () => {
    // Prepare
    await createEndpoint('faulty', [
      { variant: 'champion', model: 'bc-v1', weight: 1 },
      { variant: 'challenger', model: 'bc-broken', weight: 1 },
    ]);

    // Act
    const error = await invoke('faulty', 'challenger').catch((e) => e);
    const ok = await invoke('faulty', 'champion');

    // Assess
    expect(error).toBeInstanceOf(ModelError);
    expect(error.OriginalStatusCode).toBe(500);
    expect(ok.InvokedProductionVariant).toBe('champion');
    expect(sagemaker.metrics.sum('faulty', 'challenger', 'Invocation5XXErrors')).toBe(1);
    expect(sagemaker.metrics.sum('faulty', 'champion', 'Invocation5XXErrors')).toBe(0);
    expect(sagemaker.metrics.sum('faulty', 'challenger', 'Invocations')).toBe(1);
  });

  it('serves the predict route: sticky routing keys, version and variant in the answer', async () => {
    // Prepare
    await createEndpoint(endpointName('dev', 'bc'), [
      { variant: 'champion', model: 'bc-v1', weight: 50 },
      { variant: 'challenger', model: 'bc-v2', weight: 50 },
    ]);
    // The 50/50 split a rollout would have recorded for the endpoint (see DynamoDbEndpointRouting).
    const routing = {
      endpointName: (model: string) => endpointName('dev', model),
      variants: async () => [
        { name: 'champion', weight: 50 },
        { name: 'challenger', weight: 50 },
      ],
    };
    const handler = makeHandler({ endpoints: new SageMakerEndpointInvoker({ runtime }), routing });
    const infer = async (body: unknown) => {
      const event = {
        routeKey: 'POST /v2/models/{name}/infer',
        pathParameters: { name: 'bc' },
        body: JSON.stringify(body),
        requestContext: { requestId: 'r' },
      };
      const res = await handler(event as unknown as HttpEvent, {} as Context);
      return { status: res.statusCode, body: JSON.parse(res.body as string) };
    };
    const tensor = { name: 'features', shape: [1, 30], datatype: 'FP32', data: row };

    // Act
    const sticky = await Promise.all(
      Array.from({ length: 10 }, () => infer({ parameters: { routing_key: 'user-42' }, inputs: [tensor] })),
    );
    const spread = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        infer({ parameters: { routing_key: `user-${i}` }, inputs: [tensor] }),
      ),
    );
    const malformed = await infer({ inputs: [{ ...tensor, shape: [2, 30] }] });
    const missing = await invokeMissing(handler);

    // Assess
    expect(new Set(sticky.map((r) => r.body.parameters.variant)).size).toBe(1);
    expect(new Set(spread.map((r) => r.body.parameters.variant))).toEqual(
      new Set(['champion', 'challenger']),
    );
    for (const r of [...sticky, ...spread]) {
      expect(r.status).toBe(200);
      expect(r.body.model_version).toBe(r.body.parameters.variant === 'champion' ? '1' : '2');
      expect(r.body.model_name).toBe('bc');
    }
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'INVALID_TENSOR' } } });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'ENDPOINT_NOT_FOUND' } } });
  });

  it('fails an endpoint whose model artifact is missing, naming the reason', async () => {
    // Prepare
    await control.send(
      new CreateModelCommand({
        ModelName: 'bc-missing',
        PrimaryContainer: { ModelDataUrl: `s3://${BUCKET}/nope/model.tar.gz` },
      }),
    );

    // Act
    const described = await createEndpoint('missing', [
      { variant: 'champion', model: 'bc-missing', weight: 1 },
    ]);

    // Assess
    expect(described.EndpointStatus).toBe('Failed');
    expect(described.FailureReason).toMatch(/could not download s3:\/\/mlops-sm-test\/nope\/model.tar.gz/);
  });

  it('restores endpoints and their weights after a restart, and stops every child', async () => {
    // Prepare
    const before = Object.values(sagemaker.pids()).flatMap((v) => Object.values(v));

    // Act
    await sagemaker.stop();
    const gone = before.filter((pid) => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    });
    sagemaker = await startLocalSageMaker({ s3, dataDir, seed: 7, flushIntervalMs: 60_000 });
    clients(sagemaker.url);
    const described = await control.send(new DescribeEndpointCommand({ EndpointName: 'split' }));
    const res = await invoke('split');

    // Assess
    expect(gone).toEqual(before);
    expect(described.EndpointStatus).toBe('InService');
    expect(described.ProductionVariants?.map((v) => [v.VariantName, v.CurrentWeight])).toEqual([
      ['champion', 0],
      ['challenger', 1],
    ]);
    expect(res.InvokedProductionVariant).toBe('challenger');
  });
});

describe('local SageMaker, LMI models', () => {
  const lmiEndpoint: LlmEndpointConfig = {
    name: 'lmi',
    backend: 'sagemaker',
    model: 'word-trigram-a',
    instanceType: 'ml.g5.2xlarge',
    tensorParallelDegree: 1,
    initialInstanceCount: 1,
    modelArtifactKey: 'artifacts/llm/a.tar.gz',
    candidateModels: [{ model: 'word-trigram-b', modelArtifactKey: 'artifacts/llm/b.tar.gz' }],
  };
  const question = [{ role: 'user' as const, content: 'What is the capital of Italy?' }];
  const streamed = (endpoint: string, body: unknown) =>
    runtime.send(
      new InvokeEndpointWithResponseStreamCommand({
        EndpointName: endpoint,
        ContentType: 'application/json',
        Body: Buffer.from(JSON.stringify(body)),
      }),
    );
  const chunksOf = async (res: Awaited<ReturnType<typeof streamed>>) => {
    const parts: string[] = [];
    for await (const event of res.Body!) parts.push(Buffer.from(event.PayloadPart!.Bytes!).toString());
    return parts;
  };

  beforeAll(async () => {
    // The artifacts local start puts: the repo's corpus for the model, another for the candidate.
    const put = await uploadLmiArtifacts([lmiEndpoint], s3, BUCKET);
    const again = await uploadLmiArtifacts([lmiEndpoint], s3, BUCKET);
    expect(put).toEqual(['artifacts/llm/a.tar.gz', 'artifacts/llm/b.tar.gz']);
    expect(again).toEqual([]);
    for (const [name, key] of [
      ['lmi-a', 'artifacts/llm/a.tar.gz'],
      ['lmi-b', 'artifacts/llm/b.tar.gz'],
    ]) {
      await control.send(
        new CreateModelCommand({
          ModelName: name,
          PrimaryContainer: {
            Image: 'lmi',
            ModelDataUrl: `s3://${BUCKET}/${key}`,
            Environment: { OPTION_ROLLING_BATCH: 'vllm', OPTION_MODEL_ID: '/opt/ml/model' },
          },
        }),
      );
    }
  });

  it("streams the model's chat answer to SageMakerLmiBackend: content, usage and time to first token", async () => {
    // Prepare
    const described = await createEndpoint('lmi-one', [{ variant: 'champion', model: 'lmi-a', weight: 1 }]);
    const expected = detokenize(new LocalLlm().answer(question).words);

    // Act
    const answer = await new SageMakerLmiBackend(runtime, 'lmi-one').chat({
      model: 'word-trigram-a',
      messages: question,
      parameters: {},
    });
    const raw = await streamed('lmi-one', { messages: question, stream: true });
    const parts = await chunksOf(raw);
    const plain = await runtime.send(
      new InvokeEndpointCommand({
        EndpointName: 'lmi-one',
        ContentType: 'application/json',
        Body: JSON.stringify({ messages: question }),
      }),
    );

    // Assess
    expect(described.EndpointStatus).toBe('InService');
    expect(answer.content).toBe(expected);
    expect(answer.content).toBe('is Rome.');
    expect(answer.finishReason).toBe('stop');
    expect(answer.usage).toMatchObject({
      inputTokens: encodeChat(question, 'gpt-4o').length,
      outputTokens: encode(expected).length,
    });
    expect(answer.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(raw.InvokedProductionVariant).toBe('champion');
    expect(raw.ContentType).toBe('application/jsonlines');
    // Streamed as decoded: more than one part, JSON lines as LMI streams them.
    expect(parts.length).toBeGreaterThan(1);
    expect(
      parts
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).object),
    ).toContain('chat.completion.chunk');
    expect(plain.InvokedProductionVariant).toBe('champion');
    expect(JSON.parse(Buffer.from(plain.Body!).toString()).choices[0].message.content).toBe(expected);
  });

  it('splits streamed calls 50/50 between two LMI variants, each answering as its own model', async () => {
    // Prepare
    await createEndpoint('lmi-split', [
      { variant: 'champion', model: 'lmi-a', weight: 50 },
      { variant: 'challenger', model: 'lmi-b', weight: 50 },
    ]);

    // Act
    const answers = new Map<string, Set<string>>();
    for (let i = 0; i < 40; i++) {
      const res = await streamed('lmi-split', { messages: question, stream: true });
      const content = (await chunksOf(res))
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).choices[0]?.delta?.content ?? '')
        .join('');
      const variant = res.InvokedProductionVariant!;
      answers.set(variant, (answers.get(variant) ?? new Set()).add(content));
    }

    // Assess: seeded, so both are certain to answer in 40 calls
    expect([...answers.keys()].sort()).toEqual(['challenger', 'champion']);
    expect(
      sagemaker.metrics.sum('lmi-split', 'champion', 'Invocations') +
        sagemaker.metrics.sum('lmi-split', 'challenger', 'Invocations'),
    ).toBe(40);
    expect([...answers.get('champion')!]).toEqual(['is Rome.']);
    expect([...answers.get('challenger')!]).toEqual(['is Rome, the old city built on seven hills.']);
  });

  it("creates a template's endpoints whose initial model exists, as a deploy does, and leaves existing ones", async () => {
    // Prepare: one config per endpoint, on the LMI model (artifact uploaded) or a missing package
    for (const name of ['tpl-cfn', 'tpl-custom', 'tpl-missing']) {
      await control.send(
        new CreateEndpointConfigCommand({
          EndpointConfigName: `${name}-c1`,
          ProductionVariants: [
            {
              VariantName: 'champion',
              ModelName: 'lmi-a',
              InitialInstanceCount: 1,
              InstanceType: 'ml.g5.2xlarge',
            },
          ],
        }),
      );
    }
    // As synthesized: the stack's bucket named by a Ref, which local mode maps to its one bucket.
    const url = (key: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: 'ArtifactsBucket' }, `/${key}`]] });
    const template = {
      Resources: {
        Cfn: {
          Type: 'AWS::SageMaker::Endpoint',
          Properties: { EndpointName: 'tpl-cfn', EndpointConfigName: 'tpl-cfn-c1' },
        },
        Custom: {
          Type: ENDPOINT_RESOURCE_TYPE,
          Properties: {
            EndpointName: 'tpl-custom',
            EndpointConfigName: 'tpl-custom-c1',
            InitialPackageUrl: url('artifacts/llm/a.tar.gz'),
          },
        },
        Missing: {
          Type: ENDPOINT_RESOURCE_TYPE,
          Properties: {
            EndpointName: 'tpl-missing',
            EndpointConfigName: 'tpl-missing-c1',
            InitialPackageUrl: url('model-packages/none/1/model.tar.gz'),
          },
        },
      },
    };

    // Act
    const created = await createTemplateEndpoints(template, control, s3, { bucket: BUCKET });
    const again = await createTemplateEndpoints(template, control, s3, { bucket: BUCKET });
    await sagemaker.settled();
    const answer = await new SageMakerLmiBackend(runtime, 'tpl-custom').chat({
      model: 'word-trigram-a',
      messages: question,
      parameters: {},
    });

    // Assess
    expect(created).toEqual(['tpl-cfn', 'tpl-custom']);
    expect(again).toEqual([]);
    expect(answer.content).toBe('is Rome.');
    await expect(control.send(new DescribeEndpointCommand({ EndpointName: 'tpl-missing' }))).rejects.toThrow(
      /Could not find endpoint/,
    );
  });

  it('ends the stream with a ModelStreamError when the model breaks off mid-answer', async () => {
    // Prepare: a model that sends one line, then drops the connection
    const broken = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/jsonlines' });
      res.write('{"choices":[{"delta":{"content":"is"}}]}\n', () => setTimeout(() => res.destroy(), 20));
    });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    const metrics = new EndpointMetrics(undefined, 60_000);
    const endpoint = {
      EndpointName: 'broken',
      EndpointStatus: 'InService',
      ProductionVariants: [{ VariantName: 'champion', CurrentWeight: 1, CurrentInstanceCount: 1 }],
    } as unknown as EndpointRecord;
    const deps = {
      endpoint: () => endpoint,
      captureConfig: () => undefined,
      host: () => ({
        modelName: 'm',
        port: (broken.address() as AddressInfo).port,
        pid: 0,
        stop: async () => {},
      }),
      metrics,
      capture: undefined as unknown as DataCaptureWriter,
      random: () => 0.5,
    };
    const front = createServer((req, res) => {
      void readAll(req).then((body) =>
        invokeEndpointWithResponseStream(deps, 'broken', { body, contentType: 'application/json' }, res),
      );
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const client = new SageMakerRuntimeClient({
      endpoint: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials,
    });

    // Act
    const parts: string[] = [];
    const failure = await (async () => {
      const res = await client.send(
        new InvokeEndpointWithResponseStreamCommand({ EndpointName: 'broken', Body: Buffer.from('{}') }),
      );
      for await (const event of res.Body!) parts.push(Buffer.from(event.PayloadPart!.Bytes!).toString());
    })().catch((e: Error) => e);
    client.destroy();
    await metrics.close();
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await new Promise((resolve) => broken.close(resolve));

    // Assess
    expect(parts).toEqual(['{"choices":[{"delta":{"content":"is"}}]}\n']);
    expect(failure).toBeInstanceOf(ModelStreamError);
    expect(metrics.sum('broken', 'champion', 'Invocation5XXErrors')).toBe(1);
  });

  it('answers a request the model refuses with a ModelError naming its status, as SageMaker does', async () => {
    // Act
    const refused = await streamed('lmi-one', { messages: 'not a list' }).catch((e: ModelError) => e);

    // Assess
    expect(refused).toBeInstanceOf(ModelError);
    expect(refused).toMatchObject({ name: 'ModelError', OriginalStatusCode: 400 });
  });
});
