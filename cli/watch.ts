/** Following an asynchronous operation (a rollout, a batch job, an erasure) until it ends. */
import type { Command } from 'commander';
import type { Output } from './output';

/**
 * Reads `read()` every `everyMs` until `ended` says so, writing a timestamped line on stderr each
 * time what `describe` shows changes; resolves to the last state read.
 */
export async function watchUntil<T>(
  out: Output,
  read: () => Promise<T>,
  describe: (state: T) => string,
  ended: (state: T) => boolean,
  everyMs: number,
): Promise<T> {
  let last = '';
  for (;;) {
    const state = await read();
    const line = describe(state);
    if (line !== last) out.note(`${new Date().toISOString().slice(11, 19)} ${line}`);
    last = line;
    if (ended(state)) return state;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** `--watch` and `--interval`, the same on every command that can follow what it started. */
export function watchOptions(command: Command, what: string): Command {
  return command
    .option('-w, --watch', `follow ${what} until it ends`)
    .option('--interval <seconds>', 'how often --watch reads it', Number, 2);
}

export interface WatchOptions {
  readonly watch?: boolean;
  readonly interval: number;
}
