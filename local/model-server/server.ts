/**
 * A model server honouring the SageMaker hosting contract: `GET /ping` answers 200 once the model
 * is loaded, `POST /invocations` takes an Open Inference Protocol v2 JSON request and answers in
 * kind, as the Triton container does on SageMaker. Errors are OIP's `{"error": "..."}`: 400 for
 * a request the model cannot take (named), 500 for a failure inside the model.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html
 * @see https://github.com/kserve/open-inference-protocol/blob/main/specification/protocol/inference_rest.md
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalModelFault } from '../../contracts/serving';
import { validateInferenceRequest } from '../../lambdas/serving/domain/tensors';
import { PlatformError } from '../../lambdas/shared/errors';
import { locateModel } from './model-dir';
import { ModelInputError, OnnxModel } from './onnx-model';

export interface ModelServerOptions {
  /** Where the model package was extracted. @default /opt/ml/model */
  readonly modelDir?: string;
  /** @default 8080, SageMaker's port; 0 picks a free one */
  readonly port?: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Injected faults (local only), read from the container environment. @default none */
  readonly extraLatencyMs?: number;
  readonly errorPercent?: number;
}

export interface RunningModelServer {
  readonly port: number;
  readonly server: Server;
  /** Why the model did not load, when it did not; /ping then answers 503. */
  readonly loadError?: string;
  close(): Promise<void>;
}

/** Largest request body accepted: SageMaker's InvokeEndpoint payload limit. */
const MAX_BODY_BYTES = 6 * 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Fault options from a container environment (see `LocalModelFault`). */
export function faultsFromEnv(
  env: NodeJS.ProcessEnv,
): Pick<ModelServerOptions, 'extraLatencyMs' | 'errorPercent'> {
  const num = (name: string) => (env[name] ? Number(env[name]) : undefined);
  return {
    extraLatencyMs: num(LocalModelFault.extraLatencyMs),
    errorPercent: num(LocalModelFault.errorPercent),
  };
}

/** Loads the model and starts listening; resolves when the port is bound. */
export async function startModelServer(options: ModelServerOptions = {}): Promise<RunningModelServer> {
  let model: OnnxModel | undefined;
  let loadError: string | undefined;
  try {
    const located = locateModel(options.modelDir ?? '/opt/ml/model');
    model = await OnnxModel.load(located.onnxPath, located.modelName, located.modelVersion);
  } catch (err) {
    loadError = err instanceof Error ? err.message : String(err);
  }
  let calls = 0;
  const errorPercent = Math.min(Math.max(options.errorPercent ?? 0, 0), 100);

  const server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method === 'GET' && path === '/ping') {
        return model
          ? send(res, 200, { status: 'Healthy' })
          : send(res, 503, { error: `model not loaded: ${loadError}` });
      }
      if (req.method === 'GET' && model && path === `/v2/models/${model.modelName}`)
        return send(res, 200, model.metadata());
      if (path !== '/invocations') return send(res, 404, { error: `no route ${req.method} ${path}` });
      if (req.method !== 'POST') return send(res, 405, { error: 'use POST /invocations' });
      if (!model) return send(res, 503, { error: `model not loaded: ${loadError}` });
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (type !== 'application/json')
        return send(res, 415, { error: `content-type must be application/json, got "${type}"` });
      const body = await readBody(req);
      if (!body) return send(res, 413, { error: `body larger than ${MAX_BODY_BYTES} bytes` });
      calls++;
      if (options.extraLatencyMs) await new Promise((r) => setTimeout(r, options.extraLatencyMs));
      // Every k-th call fails, so a given percentage gives exactly that share of errors.
      if (Math.floor((calls * errorPercent) / 100) !== Math.floor(((calls - 1) * errorPercent) / 100)) {
        return send(res, 500, { error: 'injected fault' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        return send(res, 400, { error: 'body is not valid JSON' });
      }
      try {
        return send(res, 200, await model.infer(validateInferenceRequest(parsed)));
      } catch (err) {
        if (err instanceof ModelInputError) return send(res, 400, { error: err.message });
        if (err instanceof PlatformError)
          return send(res, err.status, { error: err.message, details: err.details });
        return send(res, 500, {
          error: `inference failed: ${err instanceof Error ? err.message : String(err)}`,
        });
      }
    })().catch((err) => send(res, 500, { error: String(err) }));
  });
  // Keep-alive longer than a typical client idle timeout, as the SageMaker contract asks.
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8080, options.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    server,
    loadError,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await model?.close();
    },
  };
}
