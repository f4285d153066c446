/**
 * Running README walk-throughs as a reader does, and checking what each command promised: the
 * terminal (a bash session at the repository root with the platform's printed `export` lines and
 * the CLI's keys), and the check of each command's exit code and output against the walk-through's
 * expectations, in the README's order. Shared by the walk-through suite and the demo suite, which
 * runs the walk-throughs that need `npm run demo` first.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformProcess } from './platform-process';
import type { WalkthroughCommand } from './readme-walkthroughs';
import { type ShellResult, type ShellSession, shellSession } from './shell-session';

export const ROOT = join(__dirname, '..', '..');

export interface Expectation {
  /** Picks the command: the first of its walk-through after the previous promise's that matches. */
  readonly command: RegExp;
  /** @default 0 */
  readonly exit?: number;
  readonly stdout?: RegExp;
  readonly stderr?: RegExp;
}

export interface Ran {
  readonly command: WalkthroughCommand;
  readonly result: ShellResult;
}

/** The platform's `export` lines, as a reader pastes them. */
export function exportedEnvironment(output: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const m = /^\s*export (.+)$/.exec(line);
    if (!m) continue;
    for (const assignment of m[1].trim().split(/\s+/)) {
      const eq = assignment.indexOf('=');
      env[assignment.slice(0, eq)] = assignment.slice(eq + 1);
    }
  }
  return env;
}

/**
 * A terminal at the repository root for the platform of `dataDir`: its printed exports, and the
 * CLI finding it through its data directory and signing with the keys it was started with (npm
 * start keeps chosen keys out of the file it writes).
 */
export function readerTerminal(options: {
  readonly platform: PlatformProcess;
  readonly dataDir: string;
  readonly scratchDir: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
}): ShellSession {
  const { MLOPS_API_URL: _unset, ...inherited } = process.env;
  return shellSession({
    cwd: ROOT,
    scratchDir: mkdtempSync(join(options.scratchDir, 'terminal-')),
    env: {
      ...inherited,
      ...exportedEnvironment(options.platform.output()),
      MLOPS_DATA_DIR: options.dataDir,
      MLOPS_ACCESS_KEY_ID: options.credentials.accessKeyId,
      MLOPS_SECRET_ACCESS_KEY: options.credentials.secretAccessKey,
    },
  });
}

/** Runs commands one by one in the terminal, in order. */
export async function runCommands(
  shell: ShellSession,
  commands: readonly WalkthroughCommand[],
  timeoutMs?: number,
): Promise<Ran[]> {
  const done: Ran[] = [];
  for (const command of commands) done.push({ command, result: await shell.run(command.text, timeoutMs) });
  return done;
}

/**
 * Checks each command against the walk-through's promises, in order: a command no promise names
 * must exit 0, and every promise must name a command the README still has.
 */
export function expectAsPromised(
  ran: readonly Ran[],
  expectations: readonly Expectation[],
  platform: PlatformProcess,
): void {
  const pending = [...expectations];
  for (const { command, result } of ran) {
    // In the README's order: the next promise, when it names this command.
    const expected: Expectation = pending[0]?.command.test(command.text)
      ? pending.shift()!
      : { command: /./ };
    const seen = `${describeRun(command, result)}${platformState(platform, result)}`;
    expect({ exit: result.code, seen }).toEqual({ exit: expected.exit ?? 0, seen });
    if (expected.stdout)
      expect({ stdout: result.stdout, seen }).toEqual({
        stdout: expect.stringMatching(expected.stdout),
        seen,
      });
    if (expected.stderr)
      expect({ stderr: result.stderr, seen }).toEqual({
        stderr: expect.stringMatching(expected.stderr),
        seen,
      });
  }
  expect(pending.map((e) => String(e.command))).toEqual([]);
}

/** The platform's last output when a command could not reach it, to say why. */
function platformState(platform: PlatformProcess, result: ShellResult): string {
  const { exitCode, signalCode } = platform.child;
  const gone = exitCode !== null || signalCode !== null;
  if (!gone && !/ECONNREFUSED|no local platform runs/.test(result.stderr)) return '';
  const state = gone ? `exited (${exitCode ?? signalCode})` : 'unreachable';
  return `\n--- the platform is ${state}; its last output:\n${platform.output().slice(-3000)}`;
}

function describeRun(command: WalkthroughCommand, result: { stdout: string; stderr: string }): string {
  return `README line ${command.line}:\n${command.text}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}
