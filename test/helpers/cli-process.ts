/**
 * `mlops <args>` as a user runs it against a deployed API: the CLI in its own process (commander is
 * ESM only), given the API's URL and credentials through the environment the default chain reads.
 * Asynchronous, not spawnSync: a blocked event loop would miss the server closing an idle
 * keep-alive socket (or could not answer at all, where the API runs in this process).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function runCli(
  url: string,
  credentials: { readonly accessKeyId: string; readonly secretAccessKey: string },
  args: readonly string[],
): Promise<CliRun> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'cli', 'bin.cjs'), ...args], {
    env: {
      ...process.env,
      MLOPS_API_URL: url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
