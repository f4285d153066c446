/**
 * One bash process fed commands one at a time, as a reader pastes them into one terminal:
 * functions, variables and the working directory carry over from command to command. Each
 * command's stdout and stderr are kept apart, with its exit code.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ShellResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface ShellSession {
  run(command: string, timeoutMs?: number): Promise<ShellResult>;
  close(): Promise<void>;
}

const DONE = '__shell_session_done__';

export function shellSession(options: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  scratchDir: string;
}): ShellSession {
  const bash: ChildProcess = spawn('bash', ['--noprofile', '--norc'], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let errors = '';
  let waiting: ((code: number) => void) | undefined;
  bash.stdout!.on('data', (d: Buffer) => {
    out += d;
    const m = new RegExp(`${DONE} (\\d+)\\n`).exec(out);
    if (m && waiting) {
      out = out.slice(m.index + m[0].length);
      const resolve = waiting;
      waiting = undefined;
      resolve(Number(m[1]));
    }
  });
  bash.stderr!.on('data', (d: Buffer) => {
    errors += d;
  });
  let count = 0;

  return {
    async run(command, timeoutMs = 60_000) {
      const n = count++;
      const stdoutFile = join(options.scratchDir, `${n}.out`);
      const stderrFile = join(options.scratchDir, `${n}.err`);
      const code = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`timed out after ${timeoutMs} ms:\n${command}`));
        }, timeoutMs);
        waiting = (c) => {
          clearTimeout(timer);
          resolve(c);
        };
        // Braces, not a subshell: what the command defines stays defined for the next one.
        bash.stdin!.write(
          `{ ${command}\n} >'${stdoutFile}' 2>'${stderrFile}' </dev/null; echo "${DONE} $?"\n`,
        );
      });
      return { code, stdout: readFileSync(stdoutFile, 'utf8'), stderr: readFileSync(stderrFile, 'utf8') };
    },
    async close() {
      if (bash.exitCode !== null) return;
      const exited = new Promise((resolve) => bash.once('exit', resolve));
      bash.stdin!.end('exit\n');
      await exited;
      if (errors) process.stderr.write(errors);
    },
  };
}
