/**
 * Runs one production variant: fetches its model's artifact from S3 (ModelDataUrl), extracts
 * model.tar.gz as SageMaker does into a model directory, and starts the local model server as a
 * child process on a free port with the container's environment; ready when `/ping` is 200.
 * @see https://docs.aws.amazon.com/sagemaker/latest/dg/your-algorithms-inference-code.html
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readTarGz } from '../../lambdas/serving/domain/tar';
import type { ModelRecord } from './state';

const MODEL_SERVER_MAIN = join(__dirname, '..', 'model-server', 'main.ts');
const START_TIMEOUT_MS = 60_000;
/** The loader local functions use (see `local/ts-require.cjs`), by absolute path. */
const TS_LOADER = join(__dirname, '..', 'ts-require.cjs');

/** Children still running, killed if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** A running model server for one variant. */
export interface ModelHost {
  readonly modelName: string;
  readonly port: number;
  readonly pid: number;
  stop(): Promise<void>;
}

function parseS3Url(url: string): { bucket: string; key: string } {
  const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!m) throw new Error(`ModelDataUrl must be s3://bucket/key, got ${url}`);
  return { bucket: m[1], key: m[2] };
}

/** Downloads and extracts the model package; returns the model directory. */
export async function fetchModelData(s3: S3Client, model: ModelRecord, modelsDir: string): Promise<string> {
  const url = model.PrimaryContainer.ModelDataUrl;
  if (!url) throw new Error(`model ${model.ModelName} has no ModelDataUrl`);
  const { bucket, key } = parseS3Url(url);
  const dir = join(
    modelsDir,
    `${model.ModelName}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}`,
  );
  let bytes: Uint8Array;
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    bytes = await object.Body!.transformToByteArray();
  } catch (cause) {
    throw new Error(`could not download ${url}: ${(cause as Error).name ?? cause}`, { cause });
  }
  rmSync(dir, { recursive: true, force: true });
  for (const entry of key.endsWith('.onnx') ? [{ path: 'model.onnx', content: bytes }] : readTarGz(bytes)) {
    const target = join(dir, entry.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, entry.content);
  }
  return dir;
}

/** Starts the model server on a model directory; rejects with its reason if it never gets healthy. */
export async function startModelHost(
  modelName: string,
  modelDir: string,
  environment: Record<string, string> = {},
): Promise<ModelHost> {
  // `node --require <loader>` runs the TypeScript entry in ONE process.
  const child: ChildProcess = spawn(process.execPath, ['--require', TS_LOADER, MODEL_SERVER_MAIN], {
    env: { ...process.env, ...environment, MLOPS_MODEL_DIR: modelDir, SAGEMAKER_BIND_TO_PORT: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stderr = '';
  child.stderr!.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('model server did not start in time')),
        START_TIMEOUT_MS,
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          new Error(`model server exited (${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`),
        );
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        try {
          const msg = JSON.parse(line);
          if (msg.event !== 'listening') return;
          clearTimeout(timer);
          if (msg.loadError) reject(new Error(`the model failed to load: ${msg.loadError}`));
          else resolve(msg.port);
        } catch {
          // not a control line
        }
      });
    });
    const ping = await fetch(`http://127.0.0.1:${port}/ping`);
    if (ping.status !== 200) throw new Error(`/ping answered ${ping.status}`);
    return { modelName, port, pid: child.pid!, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
