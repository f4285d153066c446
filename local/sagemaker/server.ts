/**
 * The local SageMaker: one HTTP server speaking the control plane (AWS JSON 1.1, `X-Amz-Target:
 * SageMaker.<Operation>`) and the runtime (`POST /endpoints/{name}/invocations`, REST JSON, and
 * `/invocations-response-stream`, an event stream), so
 * handlers use the real `@aws-sdk/client-sagemaker` and `@aws-sdk/client-sagemaker-runtime`
 * with only the endpoint changed. Each production variant, and each transform job while it runs
 * (see `transform-job.ts`), runs a model-server child process, except an LMI model's variant,
 * which runs the stand-in LLM in this process (see `lmi-host.ts`);
 * state persists under the data dir and `start` restores every endpoint; `stop` ends every child.
 * @see https://docs.aws.amazon.com/sagemaker/latest/APIReference/Welcome.html
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { SageMakerControlPlane } from './control-plane';
import { DataCaptureWriter } from './data-capture';
import { isLmiModel, startLmiHost } from './lmi-host';
import { EndpointMetrics } from './metrics';
import { fetchModelData, type ModelHost, startModelHost } from './model-host';
import { invokeEndpointWithResponseStream } from './response-stream';
import { invokeEndpoint, seededRandom } from './runtime';
import {
  type EndpointConfigRecord,
  type EndpointRecord,
  loadState,
  saveState,
  variantsFromConfig,
} from './state';
import { runTransformJob } from './transform-job';
import { CONTROL_OPERATIONS, type ControlOperation, SageMakerError } from './validation';

export interface LocalSageMakerOptions {
  /** S3 client for ModelDataUrl downloads and data capture (the local S3). */
  readonly s3: S3Client;
  /** State file and extracted models live here; in memory and a temp dir when unset. */
  readonly dataDir?: string;
  /** @default 0 (any free port) */
  readonly port?: number;
  /**
   * Where PutMetricData goes, or a function read at each flush; metrics stay in memory only
   * while it is unset. @default - none
   */
  readonly cloudWatchEndpoint?: string | (() => string | undefined);
  /** Seed of traffic splitting and capture sampling. @default - random */
  readonly seed?: number;
  /** Interval of data-capture and metric flushes. @default 1000 */
  readonly flushIntervalMs?: number;
}

export interface LocalSageMaker {
  /** Control plane and runtime endpoint (one URL serves both). */
  readonly url: string;
  readonly controlPlane: SageMakerControlPlane;
  readonly metrics: EndpointMetrics;
  /** Model-server child pids, by endpoint and variant (an LMI variant runs in this process: none). */
  pids(): Record<string, Record<string, number>>;
  /** Resolves when no endpoint is Creating or Updating. */
  settled(): Promise<void>;
  /** Writes buffered data capture and metrics now. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export async function startLocalSageMaker(options: LocalSageMakerOptions): Promise<LocalSageMaker> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const tempDir = options.dataDir ? undefined : mkdtempSync(join(tmpdir(), 'mlops-sagemaker-'));
  const baseDir = options.dataDir ? join(options.dataDir, 'sagemaker') : tempDir!;
  const stateFile = options.dataDir ? join(baseDir, 'state.json') : undefined;
  const modelsDir = join(baseDir, 'models');
  const state = loadState(stateFile);
  const hosts = new Map<string, Map<string, ModelHost>>();
  const metrics = new EndpointMetrics(options.cloudWatchEndpoint, options.flushIntervalMs);
  const capture = new DataCaptureWriter(options.s3, options.flushIntervalMs);

  /** Starts every variant of the config, then swaps them in and stops the old ones. */
  const deploy = async (endpoint: EndpointRecord, config: EndpointConfigRecord): Promise<void> => {
    const started = new Map<string, ModelHost>();
    try {
      for (const v of config.ProductionVariants) {
        const model = state.models[v.ModelName];
        if (!model) throw new Error(`Could not find model "${v.ModelName}".`);
        try {
          const dir = await fetchModelData(options.s3, model, modelsDir);
          started.set(
            v.VariantName,
            isLmiModel(model)
              ? await startLmiHost(model.ModelName, dir)
              : await startModelHost(model.ModelName, dir, model.PrimaryContainer.Environment),
          );
        } catch (err) {
          throw new Error(`variant ${v.VariantName}: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      await Promise.all([...started.values()].map((h) => h.stop()));
      throw err;
    }
    const previous = hosts.get(endpoint.EndpointName);
    hosts.set(endpoint.EndpointName, started);
    await Promise.all([...(previous?.values() ?? [])].map((h) => h.stop()));
  };
  const undeploy = async (name: string) => {
    const running = hosts.get(name);
    hosts.delete(name);
    await Promise.all([...(running?.values() ?? [])].map((h) => h.stop()));
  };

  const controlPlane = new SageMakerControlPlane({
    state,
    save: () => saveState(stateFile, state),
    deploy,
    undeploy,
    transform: (job, model, signal) => runTransformJob({ s3: options.s3, modelsDir }, job, model, signal),
  });
  const random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  const runtimeDeps = {
    endpoint: (name: string) => state.endpoints[name],
    captureConfig: (e: EndpointRecord) => state.endpointConfigs[e.EndpointConfigName]?.DataCaptureConfig,
    host: (e: string, v: string) => hosts.get(e)?.get(v),
    metrics,
    capture,
    random,
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const path = (req.url ?? '/').split('?')[0];
      const invoke = /^\/endpoints\/([^/]+)\/(invocations|invocations-response-stream)$/.exec(path);
      try {
        if (req.method === 'POST' && invoke) {
          const header = (name: string) => {
            const v = req.headers[name];
            return Array.isArray(v) ? v[0] : v;
          };
          const endpointName = decodeURIComponent(invoke[1]);
          const request = {
            body,
            contentType: header('content-type') ?? 'application/octet-stream',
            // InvokeEndpointWithResponseStream sends its Accept as X-Amzn-SageMaker-Accept.
            accept: header('x-amzn-sagemaker-accept') ?? header('accept'),
            targetVariant: header('x-amzn-sagemaker-target-variant'),
            inferenceId: header('x-amzn-sagemaker-inference-id'),
          };
          if (invoke[2] === 'invocations-response-stream') {
            await invokeEndpointWithResponseStream(runtimeDeps, endpointName, request, res);
            return;
          }
          const result = await invokeEndpoint(runtimeDeps, endpointName, request);
          res.writeHead(result.status, { ...result.headers, 'content-length': result.body.length });
          res.end(result.body);
          return;
        }
        const target = String(req.headers['x-amz-target'] ?? '');
        const operation = target.startsWith('SageMaker.') ? target.slice('SageMaker.'.length) : '';
        if (
          req.method !== 'POST' ||
          path !== '/' ||
          !CONTROL_OPERATIONS.includes(operation as ControlOperation)
        ) {
          throw new SageMakerError(
            'UnknownOperationException',
            `The local SageMaker does not support ${target || `${req.method} ${path}`}`,
          );
        }
        const input = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
        const output = await controlPlane[operation as ControlOperation](input);
        sendJson(res, 200, output);
      } catch (err) {
        const e =
          err instanceof SageMakerError
            ? err
            : new SageMakerError('InternalFailure', (err as Error).message, 500);
        sendJson(res, e.status, { __type: e.type, message: e.message }, { 'x-amzn-errortype': e.type });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });

  const stop = async () => {
    await controlPlane.settled();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const name of [...hosts.keys()]) await undeploy(name);
    await capture.close();
    await metrics.close();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };

  // Restore: endpoints that were serving (or about to) come back with their weights.
  try {
    await Promise.all(
      Object.values(state.endpoints).map(async (endpoint) => {
        const config = state.endpointConfigs[endpoint.EndpointConfigName];
        if (!config || endpoint.EndpointStatus === 'Failed') return;
        try {
          await deploy(endpoint, config);
          // An endpoint persisted mid-creation has no variants yet: they come from its config.
          if (endpoint.ProductionVariants.length === 0)
            endpoint.ProductionVariants = variantsFromConfig(config);
          endpoint.EndpointStatus = 'InService';
        } catch (err) {
          endpoint.EndpointStatus = 'Failed';
          endpoint.FailureReason = `restore failed: ${(err as Error).message}`;
        }
      }),
    );
    // A job's model server died with the process; SageMaker would have kept it running.
    for (const job of Object.values(state.transformJobs))
      if (job.TransformJobStatus === 'InProgress' || job.TransformJobStatus === 'Stopping') {
        job.TransformJobStatus = 'Failed';
        job.FailureReason = 'the local SageMaker restarted while the job ran';
      }
    saveState(stateFile, state);
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    controlPlane,
    metrics,
    pids: () =>
      Object.fromEntries(
        [...hosts].map(([e, vs]) => [
          e,
          Object.fromEntries([...vs].filter(([, h]) => h.pid !== process.pid).map(([v, h]) => [v, h.pid])),
        ]),
      ),
    settled: () => controlPlane.settled(),
    flush: async () => {
      await capture.flush();
      await metrics.flush();
    },
    stop,
  };
}
