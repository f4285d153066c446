/**
 * Inference latency, in one run, on the reference model (30 features, batch of 1):
 * - baseline: onnxruntime in this process (`session.run`), no HTTP;
 * - model server: `POST /invocations` (OIP v2 JSON) on the local model server, a child process
 *   as SageMaker runs it;
 * - predict path: the predictions handler (OIP validation, routing, response shaping) forwarding
 *   to that model server, against calling the server directly (the <= 1.2x target);
 * - predict route: the same handler behind the local API server (`npm start`'s), called over
 *   SigV4-signed HTTP as a client would (signing, the extra hop and the signature check included),
 *   against calling the server directly.
 * Printed as p50/p99 and ratios; never fails on time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import * as ort from 'onnxruntime-node';
import { parseCsv } from '../containers/reference-trainer/src/csv';
import { fitLogisticRegression } from '../containers/reference-trainer/src/logistic-regression';
import { exportLogisticRegressionOnnx } from '../containers/reference-trainer/src/onnx-export';
import { DynamoDbEndpointRouting } from '../lambdas/serving/adapters/dynamodb-endpoint-routing';
import type { EndpointInvoker } from '../lambdas/serving/domain/ports';
import { makeHandler } from '../lambdas/serving/handler';
import type { HttpEvent } from '../lambdas/shared/http';
import { localContext } from '../local/api-event';
import { type HttpHandler, LocalApiServer } from '../local/api-server';
import { startModelHost } from '../local/sagemaker/model-host';
import { signedClient } from '../local/signed-client';

const ITERATIONS = 2000;
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

async function time(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 50; i++) await run(); // warm-up: connections, JIT, session
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const start = process.hrtime.bigint();
    await run();
    samples.push(ms(start));
  }
  return samples;
}

/** Alternates two calls so drift in machine load (shared cores) hits both alike. */
async function timePair(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  for (let i = 0; i < 50; i++) {
    await a();
    await b();
  }
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    let start = process.hrtime.bigint();
    await a();
    xs.push(ms(start));
    start = process.hrtime.bigint();
    await b();
    ys.push(ms(start));
  }
  return [xs, ys];
}

const line = (label: string, xs: number[], base?: number[]) =>
  `${label.padEnd(34)} p50 ${pct(xs, 0.5).toFixed(3)} ms  p99 ${pct(xs, 0.99).toFixed(3)} ms` +
  (base
    ? `  (${(pct(xs, 0.5) / pct(base, 0.5)).toFixed(2)}x p50, ${(pct(xs, 0.99) / pct(base, 0.99)).toFixed(2)}x p99)`
    : '');

export async function inference(): Promise<{ name: string; lines: string[] }> {
  const root = join(__dirname, '..', 'test', 'fixtures', 'datasets');
  const train = parseCsv(readFileSync(join(root, 'breast-cancer-train.csv'), 'utf8'), 'target');
  const model = fitLogisticRegression(train.rows, train.labels);
  const onnx = exportLogisticRegressionOnnx({ weights: model.weights, bias: model.bias });
  const dir = mkdtempSync(join(tmpdir(), 'mlops-bench-'));
  mkdirSync(join(dir, 'bc', '1'), { recursive: true });
  writeFileSync(join(dir, 'bc', '1', 'model.onnx'), onnx);
  const host = await startModelHost('bc', dir);
  try {
    const row = train.rows[0];
    const body = JSON.stringify({
      inputs: [{ name: 'features', shape: [1, 30], datatype: 'FP32', data: row }],
    });

    const session = await ort.InferenceSession.create(onnx);
    const inProcess = await time(() =>
      session.run({ features: new ort.Tensor('float32', Float32Array.from(row), [1, 30]) }),
    );

    const invokeServer = async () => {
      const res = await fetch(`http://127.0.0.1:${host.port}/invocations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      return res.json();
    };

    // The predict handler with an invoker that calls the model server as SageMaker Runtime would.
    const endpoints: EndpointInvoker = {
      invoke: async (_endpoint, payload) => {
        const res = await fetch(`http://127.0.0.1:${host.port}/invocations`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(payload),
        });
        return { variant: 'champion', body: await res.json() };
      },
    };
    // The routing the Lambda builds: the endpoint named from the environment, no table (at rest).
    const handler = makeHandler({ endpoints, routing: new DynamoDbEndpointRouting({ envName: 'bench' }) });
    const event = {
      routeKey: 'POST /v2/models/{name}/infer',
      pathParameters: { name: 'bc' },
      body,
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json' },
      requestContext: {
        requestId: 'bench',
        authorizer: { iam: { userArn: 'arn:aws:iam::000000000000:user/bench' } },
      },
    } as unknown as HttpEvent;
    const [direct, predictPath] = await timePair(invokeServer, () => handler(event, {} as Context));

    const credential = {
      accessKeyId: 'AKIALOCALBENCH000001',
      secretAccessKey: 'bench-secret-bench-secret-bench-secret-1',
      principalArn: 'arn:aws:iam::000000000000:user/bench',
    };
    const api = new LocalApiServer({
      // Only the serving function is called here.
      invoke: (_route, event) => (handler as HttpHandler)(event, localContext('serving')),
      credentials: [credential],
    });
    const client = signedClient(await api.listen(0), credential);
    const input = JSON.parse(body);
    const [direct2, predictRoute] = await timePair(invokeServer, async () => {
      const res = await client.call('POST', '/v2/models/bc/infer', input);
      if (res.status !== 200) throw new Error(`predict route answered ${res.status}`);
    });
    await api.close();

    await session.release();
    return {
      name: `inference (reference model, batch 1, ${ITERATIONS} calls each)`,
      lines: [
        line('onnxruntime in process (baseline)', inProcess),
        line('model server POST /invocations', direct, inProcess),
        line('predict handler -> model server', predictPath, direct),
        line('model server POST /invocations', direct2),
        line('signed HTTP -> local API -> handler', predictRoute, direct2),
      ],
    };
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
