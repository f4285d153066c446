import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  type S3Client,
  type S3ClientConfig,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { withTimeouts } from '../../lambdas/shared/clients';
import type { RunningStandIn } from './dynamodb-local';

/** Options for {@link startS3Local}. */
export interface S3LocalOptions {
  /**
   * TCP port to listen on.
   * @default - a free port chosen by the operating system
   */
  readonly port?: number;
  /**
   * Directory holding buckets and objects, created when missing and kept on stop.
   * @default - a new temporary directory, removed on stop
   */
  readonly dataDir?: string;
  /**
   * How long to wait for s3rver to listen.
   * @default 60_000
   */
  readonly startTimeoutMs?: number;
}

const CHILD_SCRIPT = join(__dirname, 's3rver-child.js');
const STOP_GRACE_MS = 3_000;

/** Children still running, killed synchronously if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  // SIGTERM, not SIGKILL: the child then still removes its temporary directory.
  for (const child of running) child.kill('SIGTERM');
});

/**
 * Starts s3rver in a child Node process and resolves once it listens.
 *
 * The child runs with `NODE_OPTIONS=--openssl-legacy-provider` (s3rver's ListObjectsV2 paging
 * tokens use DES), logs nothing, and exits when its IPC channel closes, so it dies with this
 * process even when this one is killed by a signal. Talk to it with {@link localS3ClientConfig}.
 *
 * @throws Error when the child fails to start or is not listening after `startTimeoutMs`.
 */
export async function startS3Local(options: S3LocalOptions = {}): Promise<RunningStandIn> {
  const temporary = options.dataDir === undefined;
  const directory = temporary ? mkdtempSync(join(tmpdir(), 'mlops-s3-')) : resolve(options.dataDir!);
  mkdirSync(directory, { recursive: true });
  const removeTemporary = () => {
    if (temporary) rmSync(directory, { recursive: true, force: true });
  };

  const child = fork(CHILD_SCRIPT, [directory, String(options.port ?? 0), temporary ? 'temporary' : 'kept'], {
    // Inherited flags (a tsx loader, --inspect) would slow the child down or clash on a port.
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  child.on('error', (error) => {
    stderr += `\n${error.message}`;
  });
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  if (child.pid !== undefined) running.add(child);
  exited.then(() => running.delete(child));

  let stopped = false;
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      // Closing the channel asks the child to close its server and exit; SIGKILL if it hangs.
      if (child.connected) child.disconnect();
      else child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    removeTemporary();
  };

  let port: number;
  try {
    port = await waitForReady(child, exited, options.startTimeoutMs ?? 60_000, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  // A forgotten stop() must not keep this process alive; the channel closing on exit ends the child.
  child.unref();
  child.channel?.unref();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
  return { endpoint: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}

function waitForReady(
  child: ChildProcess,
  exited: Promise<void>,
  timeoutMs: number,
  stderr: () => string,
): Promise<number> {
  return new Promise((res, rej) => {
    const fail = (why: string) =>
      rej(new Error(`s3rver ${why}. Its stderr:\n${stderr().trim() || '(none)'}`));
    const timer = setTimeout(() => fail(`did not listen within ${timeoutMs} ms`), timeoutMs);
    child.on('message', (message: { type?: string; port?: number; message?: string }) => {
      clearTimeout(timer);
      if (message.type === 'ready' && message.port) res(message.port);
      else fail(`failed to start: ${message.message ?? JSON.stringify(message)}`);
    });
    exited.then(() => {
      clearTimeout(timer);
      fail('exited before listening');
    });
  });
}

/**
 * Client settings that work with s3rver: path-style URLs (a `localhost` endpoint would otherwise
 * become `bucket.localhost`), checksums only when an operation requires them (otherwise streamed
 * bodies are stored with their aws-chunked framing, i.e. corrupted), and dummy credentials, which
 * s3rver accepts only as `S3RVER`/`S3RVER` if it checks signatures at all.
 *
 * Presign URLs with a client built from this too: the default config adds an empty-body
 * `x-amz-checksum-crc32` that a later upload would not match.
 */
export function localS3ClientConfig(endpoint: string): S3ClientConfig {
  return {
    ...withTimeouts('transfer'),
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  };
}

/**
 * Creates each bucket that does not exist yet; existing buckets and their objects are kept.
 * @see https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateBucket.html
 */
export async function ensureBuckets(client: S3Client, names: readonly string[]): Promise<void> {
  await Promise.all(
    names.map(async (Bucket) => {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        return;
      } catch (error) {
        if (!(error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404)) throw error;
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
      } catch (error) {
        // Created by another caller in between: the bucket exists, which is all we want.
        const name = (error as { name?: string }).name;
        if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw error;
      }
    }),
  );
}
