/**
 * Starts the local platform as a user does (`npm start` runs `tsx local/main.ts`), in a child
 * process with its own data directory and credentials, and waits for the line with the API URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface PlatformProcess {
  readonly child: ChildProcess;
  readonly url: string;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl-C, as a user stops it; resolves when the process has exited. */
  stop(): Promise<void>;
}

export async function startPlatformProcess(options: {
  dataDir: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Extra arguments, e.g. `['-c', 'mlops:envName=e2e']`. */
  args?: string[];
  env?: Record<string, string>;
  /** How long to wait for the API line. @default 90000 */
  startTimeoutMs?: number;
}): Promise<PlatformProcess> {
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/main.ts', ...(options.args ?? [])], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...options.env,
      MLOPS_DATA_DIR: options.dataDir,
      MLOPS_PORT: '0',
      MLOPS_ACCESS_KEY_ID: options.credentials.accessKeyId,
      MLOPS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    // Generous: a loaded CI machine synthesizes the template and boots Java slowly.
    const timer = setTimeout(() => {
      // Not left running behind the failed test.
      child.kill('SIGINT');
      reject(new Error(`platform did not start:\n${output}`));
    }, options.startTimeoutMs ?? 90_000);
    const onData = (d: Buffer) => {
      output += d;
      const m = /API:\s+(http:\/\/\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited with ${code}:\n${output}`));
    });
  });
  return {
    child,
    url,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    },
  };
}
