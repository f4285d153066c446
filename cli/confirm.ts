/** Asking before a change: only a person at a terminal can answer, so a script must say `--yes`. */
import { createInterface } from 'node:readline/promises';
import { EXIT } from './exit-codes';
import { CliFailure } from './failure';

/**
 * Resolves true when the person answers yes; `yes` (from `--yes`) skips the question. Without a
 * terminal on stdin nobody can answer, and the command refuses rather than guessing.
 * @throws CliFailure (usage) when stdin is not a terminal and `yes` is not set
 */
export async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  if (!process.stdin.isTTY)
    throw new CliFailure(
      'refusing to apply without confirmation: stdin is not a terminal (pass --yes to apply)',
      EXIT.USAGE,
    );
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
